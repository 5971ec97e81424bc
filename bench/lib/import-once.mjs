// Imports one bundle in a fresh process and prints how long the import took (ms): Lambda's init phase for an
// ESM handler is this import plus the runtime's own start, which is the same for every function.
const t0 = performance.now();
await import(process.argv[2]);
process.stdout.write(String(performance.now() - t0));
