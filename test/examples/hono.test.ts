import { start } from '../../examples/hono/app.js';
import { describeExample, overHttp } from './smoke.js';

describeExample('Hono', overHttp(start));
