// Child process of cold-start.mjs: time `require()` of the modules named on the command line, in order:
// wall time, and CPU time (which waiting for a busy machine's processors does not inflate).
const startCpu = process.cpuUsage();
const start = process.hrtime.bigint();
for (const specifier of process.argv.slice(2)) require(specifier);
const importNs = process.hrtime.bigint() - start;
const { user, system } = process.cpuUsage(startCpu);
process.stdout.write(JSON.stringify({ importMs: Number(importNs) / 1e6, cpuMs: (user + system) / 1e3 }));
