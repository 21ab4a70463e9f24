import { start } from '../../examples/fastify/app.js';
import { describeExample, overHttp } from './smoke.js';

describeExample('Fastify', overHttp(start));
