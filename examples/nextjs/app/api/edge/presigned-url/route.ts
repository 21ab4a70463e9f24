// The presigned-URL route on the Edge runtime: signing needs no Node.js API.
export { POST } from '../../presigned-url/route.js';

export const runtime = 'edge';
