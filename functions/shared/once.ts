/**
 * Builds on first call, then returns the same value for the container's life (Lambda keeps a module's scope
 * between invocations).
 *
 * Call it as `/* @__PURE__ *\/ once(() => ...)` at module scope: esbuild then drops a part no code of the function
 * asks for, and with it every module only that part imports, so each function's bundle holds what its handler
 * uses (`npm run bench -- bundles`). Without the annotation a call at module scope counts as a side effect and
 * keeps everything it reaches.
 */
export function once<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
