import { start } from '../../examples/express/app.js';
import { describeExample, overHttp } from './smoke.js';

describeExample('Express', overHttp(start));
