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

describe('the composition root and the SDK clients cost a function only what its handler asks for', () => {
  // esbuild keeps a module-scope call (and all it reaches) unless it is annotated pure: one unannotated part put
  // every adapter, all seven SDK clients and every config file into every function.
  const moduleScope = (file: string) => readFileSync(join(ROOT, file), 'utf8').split('\n').filter((line) => /^(export )?(const|let) \w+(: [^=]+)? = /.test(line) || /^[\w$.]+\(/.test(line));

  it.each(['functions/composition.ts', 'functions/adapters/clients.ts'])('%s builds every part through a pure factory and calls nothing at module scope', (file) => {
    const impure = moduleScope(file).filter((line) => /\(/.test(line.split('=').slice(1).join('=') || line) && !line.includes('/* @__PURE__ */') && !/= (async )?\(/.test(line));
    expect(impure).toEqual([]);
  });
});
