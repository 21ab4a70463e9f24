// Next.js's options for this app (typed NextConfig; the type is not imported, because next's types would
// make NODE_ENV a required variable of every process.env type checked with this repository).
const config = {
  // `npm run typecheck` checks this app with the rest of the repository; Next's own check would rewrite
  // tsconfig.json.
  typescript: { ignoreBuildErrors: true },
};

export default config;
