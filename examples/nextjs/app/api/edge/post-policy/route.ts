// The POST-policy route on the Edge runtime: signing needs no Node.js API.
export { POST } from '../../post-policy/route.js';

export const runtime = 'edge';
