// Child process of cold-start.mjs: time `import()` of the modules named on the command line, in order.
const start = process.hrtime.bigint();
for (const specifier of process.argv.slice(2)) await import(specifier);
const importNs = process.hrtime.bigint() - start;
process.stdout.write(JSON.stringify({ importMs: Number(importNs) / 1e6 }));
