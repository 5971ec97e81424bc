// Imports one bundle in a fresh process and prints the CPU time the import took (ms, user + system, every thread
// of the process): Lambda's init phase for an ESM handler is this import plus the runtime's own start, which is
// the same for every function. CPU time rather than wall time because an import is CPU-bound (compiling and
// running the bundle's top level) and, on a shared machine, wall time mostly measures the other processes; on
// Lambda's own vCPU the two are close.
const c0 = process.cpuUsage();
await import(process.argv[2]);
const used = process.cpuUsage(c0);
process.stdout.write(String((used.user + used.system) / 1000));
