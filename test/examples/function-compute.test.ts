import { start } from '../../examples/function-compute/local.js';
import { describeExample, overHttp } from './smoke.js';

describeExample('Function Compute (local adapter)', overHttp(start));
