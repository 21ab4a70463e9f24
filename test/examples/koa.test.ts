import { start } from '../../examples/koa/app.js';
import { describeExample, overHttp } from './smoke.js';

describeExample('Koa', overHttp(start));
