// What a Next.js app's own types (@types/node, through next-env.d.ts) declare of `process.env`; here alone,
// so that this folder type-checks with a browser's globals and nothing of Node.
declare const process: { env: Record<string, string | undefined> };
