// A Next.js route handler on the edge runtime (app/api/upload/route.ts) that lets browsers upload straight
// to OSS, the keys staying in the server's environment:
//   GET  /api/upload?name=photo.png&type=image/png -> a presigned PUT URL, with the headers the upload sends
//   POST /api/upload  {"name":"photo.png"}         -> the URL and fields of a browser form (PostObject)
// Each upload gets a fresh folder, uploads/<uuid>/. A real app authenticates the user first and chooses
// the folder from who they are. Next.js bundles the package's web build here (the `edge-light` condition).
import { createPostPolicy, OssSignError, presignUrl } from 'oss-direct-upload';

export const runtime = 'edge';

const MAX_BYTES = 10 * 1024 * 1024;
const EXPIRES_IN = 600;

export async function GET(request: Request): Promise<Response> {
  const { searchParams } = new URL(request.url);
  const key = uploadKey(searchParams.get('name'));
  if (key === undefined) return badName();
  const type = searchParams.get('type') ?? 'application/octet-stream';
  return signed(() => ({
    key,
    ...presignUrl({ ...oss(), key, method: 'PUT', contentType: type, expiresIn: EXPIRES_IN }),
  }));
}

export async function POST(request: Request): Promise<Response> {
  const { name } = (await request.json()) as { name?: unknown };
  const key = uploadKey(typeof name === 'string' ? name : null);
  if (key === undefined) return badName();
  return signed(() => {
    const form = createPostPolicy({
      ...oss(),
      key,
      contentLengthRange: [1, MAX_BYTES],
      expiresIn: EXPIRES_IN,
    });
    return { key, url: form.url, fields: form.fields, expiresAt: form.expiresAt };
  });
}

/** Where uploads go, and with which keys (OSS_ENDPOINT and OSS_PATH_STYLE: a local OSS endpoint, say). */
function oss() {
  const env = process.env;
  return {
    bucket: env.OSS_BUCKET ?? '',
    region: env.OSS_REGION ?? '',
    credentials: {
      accessKeyId: env.OSS_ACCESS_KEY_ID ?? '',
      accessKeySecret: env.OSS_ACCESS_KEY_SECRET ?? '',
    },
    endpoint: env.OSS_ENDPOINT,
    pathStyle: env.OSS_PATH_STYLE === 'true',
  };
}

/** The JSON of a signing result; a type or setting the library refuses is a 400 naming the rule. */
function signed(sign: () => object): Response {
  try {
    return Response.json(sign());
  } catch (error) {
    if (error instanceof OssSignError) {
      return Response.json({ error: error.code, message: error.message }, { status: 400 });
    }
    throw error;
  }
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
