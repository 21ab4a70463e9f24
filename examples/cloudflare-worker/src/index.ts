// A Cloudflare Worker that lets browsers upload straight to OSS, the keys staying in the Worker's secrets:
//   GET  /presign?name=photo.png&type=image/png -> a presigned PUT URL, with the headers the upload sends
//   POST /post-policy  {"name":"photo.png"}     -> the URL and fields of a browser form (PostObject)
// Each upload gets a fresh folder, uploads/<uuid>/. A real app authenticates the user first and chooses
// the folder from who they are.
import { createPostPolicy, OssSignError, presignUrl } from 'oss-direct-upload';

export interface Env {
  OSS_ACCESS_KEY_ID: string;
  OSS_ACCESS_KEY_SECRET: string;
  OSS_BUCKET: string;
  OSS_REGION: string;
  /** Another endpoint, e.g. a local OSS endpoint (`http://127.0.0.1:9000`) with OSS_PATH_STYLE = 'true'. */
  OSS_ENDPOINT?: string;
  OSS_PATH_STYLE?: string;
}

const MAX_BYTES = 10 * 1024 * 1024;
const EXPIRES_IN = 600;

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const { pathname, searchParams } = new URL(request.url);
    try {
      if (request.method === 'GET' && pathname === '/presign') {
        const key = uploadKey(searchParams.get('name'));
        if (key === undefined) return badName();
        const type = searchParams.get('type') ?? 'application/octet-stream';
        const signed = presignUrl({
          ...oss(env),
          key,
          method: 'PUT',
          contentType: type,
          expiresIn: EXPIRES_IN,
        });
        return Response.json({ key, ...signed });
      }
      if (request.method === 'POST' && pathname === '/post-policy') {
        const { name } = (await request.json()) as { name?: unknown };
        const key = uploadKey(typeof name === 'string' ? name : null);
        if (key === undefined) return badName();
        const form = createPostPolicy({
          ...oss(env),
          key,
          contentLengthRange: [1, MAX_BYTES],
          expiresIn: EXPIRES_IN,
        });
        return Response.json({ key, url: form.url, fields: form.fields, expiresAt: form.expiresAt });
      }
      return Response.json({ error: 'NOT_FOUND' }, { status: 404 });
    } catch (error) {
      // A type or name the library refuses: the message names the rule, never a secret.
      if (error instanceof OssSignError) {
        return Response.json({ error: error.code, message: error.message }, { status: 400 });
      }
      throw error;
    }
  },
} satisfies { fetch(request: Request, env: Env): Promise<Response> };

/** Where uploads go, and with which keys: the same for every request. */
function oss(env: Env) {
  return {
    bucket: env.OSS_BUCKET,
    region: env.OSS_REGION,
    credentials: { accessKeyId: env.OSS_ACCESS_KEY_ID, accessKeySecret: env.OSS_ACCESS_KEY_SECRET },
    endpoint: env.OSS_ENDPOINT,
    pathStyle: env.OSS_PATH_STYLE === 'true',
  };
}

/** `uploads/<uuid>/<name>`: the browser names the file, never the folder. */
function uploadKey(name: string | null): string | undefined {
  if (name === null || !/^[^/\\\p{Cc}]{1,200}$/u.test(name) || name === '.' || name === '..')
    return undefined;
  return `uploads/${crypto.randomUUID()}/${name}`;
}

function badName(): Response {
  const message = 'name must be a file name: 1 to 200 characters, without / or \\';
  return Response.json({ error: 'INVALID_NAME', message }, { status: 400 });
}
