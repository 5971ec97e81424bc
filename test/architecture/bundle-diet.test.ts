/**
 * What keeps the Lambda bundles small (measured by `npm run bench -- bundles`): esbuild keeps whatever a module
 * reaches at run time, so three import habits decide hundreds of KiB per function.
 *   - date-holidays (and moment-timezone, astronomia behind it, ~1.3 MiB minified) is build-time only: the SLA
 *     calendar reads config/public-holidays.json, generated from it;
 *   - zod is imported as a namespace (`import * as z from 'zod'`): `import { z } from 'zod'` makes esbuild keep
 *     the whole namespace object, every locale included (~360 KiB);
 *   - `z.core` is used for types only: touching it at run time keeps zod's core namespace, locales included.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

const files = sources(join(ROOT, 'functions')).map((f) => ({ file: relative(ROOT, f), text: readFileSync(f, 'utf8') }));
const offending = (pattern: RegExp) => files.filter((f) => f.text.split('\n').some((line) => pattern.test(line) && !/^\s*(\*|\/\/)/.test(line))).map((f) => f.file);

describe('Lambda code imports what keeps bundles small', () => {
  it('reads as many files as functions/ holds', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('never imports date-holidays', () => {
    expect(offending(/from ['"]date-holidays['"]/)).toEqual([]);
  });

  it('imports zod values as a namespace, never `{ z }`', () => {
    expect(offending(/^import \{[^}]*\bz\b[^}]*\} from ['"]zod['"]/)).toEqual([]);
  });

  it('uses z.core in type positions only', () => {
    expect(offending(/instanceof z\.core\.|= z\.core\.|\(z\.core\./)).toEqual([]);
  });
});

describe('modules every function imports build nothing at module scope that esbuild must keep', () => {
  // esbuild keeps a module-scope call (and everything it reaches) unless it is annotated pure: one unannotated part
  // of the composition root put every adapter, all seven SDK clients and every config file into every function, and
  // the route schemas' table kept every request schema in every API handler. esbuild drops an annotated call only
  // when its arguments are free of side effects (a factory's arrow function; `.meta(...)` ending a schema's chain).
  const PURE_MODULES = [
    'functions/composition.ts',
    'functions/adapters/clients.ts',
    'functions/api/schemas.ts',
    'functions/privacy/schemas.ts',
    'functions/kb/api-schemas.ts',
    'functions/usecases/lifecycle/action-inputs.ts',
  ];
  /** Module-scope statements that run code: a call or `new` as a const's value (unless pure), or a bare call. */
  const impureAtModuleScope = (file: string) =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .filter((line) => {
        const value = /^(?:export )?(?:const|let) \w+(?::[^=]+)? = (.*)$/.exec(line)?.[1];
        if (value === undefined) return /^[\w$.]+\(/.test(line);
        if (value.startsWith('/* @__PURE__ */')) return false;
        return /^new\b/.test(value) || /^[\w$]+(?:\.[\w$]+)*(?:\(|$)/.test(value);
      });

  it.each(PURE_MODULES)('%s: every call at module scope is a pure factory', (file) => {
    expect(impureAtModuleScope(file)).toEqual([]);
  });
});
