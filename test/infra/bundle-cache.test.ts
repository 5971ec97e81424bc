import { mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BundleCache, bundleKey, snapshotFingerprint, snapshotInputs } from '../../infra/constructs/bundle-cache';
import { PROJECT_ROOT } from '../../infra/constructs/function';

const ASSET_HASH = 'a'.repeat(64);
const INPUTS = ['src/handler.ts', 'src/domain/rules.ts', 'config/departments.json', 'node_modules/lib/index.js'];

let root: string;
let outdir: string;

/** Writes a file of the fixture project dated a minute ago, as if it had been there before the bundling began. */
function write(file: string, content: string): void {
  const absolute = path.join(root, file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, content);
  const past = new Date(Date.now() - 60_000);
  utimesSync(absolute, past, past);
}

function fingerprint(): string {
  return snapshotFingerprint(snapshotInputs(root, INPUTS));
}

/** A bundling as CDK runs it: esbuild writes the bundle and the metafile, then the cache records the inputs. */
function bundleAndRecord(cache: BundleCache, key: string, startedAt = Date.now()): string {
  const staged = path.join(outdir, `asset.${ASSET_HASH}`);
  mkdirSync(staged, { recursive: true });
  writeFileSync(path.join(staged, 'index.mjs'), 'export const handler = () => 1;');
  writeFileSync(cache.metafilePath(key), JSON.stringify({ inputs: Object.fromEntries(INPUTS.map((i) => [i, { bytes: 1 }])) }));
  cache.record(key, ASSET_HASH, startedAt);
  return staged;
}

/** The directory a new synth's cache (a new process) would take as the function's code, if any. */
function reused(key: string): string | undefined {
  const offered = new BundleCache(outdir, root).reusable(key);
  return offered === undefined ? undefined : realpathSync(offered);
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'citydesk-bundle-cache-'));
  outdir = path.join(root, 'cdk.out');
  for (const [file, content] of Object.entries({
    'package.json': '{"type":"module"}',
    'package-lock.json': '{"lockfileVersion":3}',
    'node_modules/.package-lock.json': '{"packages":{"node_modules/lib":{"version":"1.0.0"}}}',
    'tsconfig.json': '{}',
    'src/handler.ts': "import { rule } from './domain/rules';\nexport const handler = () => rule();",
    'src/domain/rules.ts': 'export const rule = () => 1;',
    'config/departments.json': '{"departments":[]}',
    'node_modules/lib/index.js': 'module.exports = 1;',
    'other/unrelated.ts': 'export const x = 1;',
  }))
    write(file, content);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the inputs fingerprint of a bundle', () => {
  it('is the same while no input changes, whatever else changes in the project', () => {
    const before = fingerprint();
    write('other/unrelated.ts', 'export const x = 2;');
    write('other/new.ts', 'export const y = 1;');
    write('README.md', '# new at the root');
    expect(fingerprint()).toBe(before);
  });

  it.each([
    ['the entry', 'src/handler.ts'],
    ['a module it imports', 'src/domain/rules.ts'],
    ['a config file it imports', 'config/departments.json'],
    ['an installed package file', 'node_modules/lib/index.js'],
    ['the lockfile', 'package-lock.json'],
    ['the installed packages (npm install --no-save)', 'node_modules/.package-lock.json'],
    ['tsconfig.json', 'tsconfig.json'],
    ['package.json', 'package.json'],
  ])('changes when %s changes', (_what, file) => {
    const before = fingerprint();
    write(file, `${file} edited`);
    expect(fingerprint()).not.toBe(before);
  });

  it('is the same whether the root is given with a trailing slash or not', () => {
    expect(snapshotFingerprint(snapshotInputs(`${root}/`, INPUTS))).toBe(fingerprint());
  });

  it('changes when an input is deleted', () => {
    const before = fingerprint();
    rmSync(path.join(root, 'src/domain/rules.ts'));
    expect(fingerprint()).not.toBe(before);
  });

  it.each([
    ['next to an input (an import may resolve to it now)', 'src/domain/rules.tsx'],
    ['in a folder on the way to an input (a node_modules there shadows the installed one)', 'src/node_modules/lib/index.js'],
  ])('changes when a file appears %s', (_where, file) => {
    const before = fingerprint();
    write(file, 'export const rule = () => 2;');
    expect(fingerprint()).not.toBe(before);
  });
});

describe('the bundle key', () => {
  const spec = {
    projectRoot: PROJECT_ROOT,
    entry: path.join(PROJECT_ROOT, 'functions/api/handlers/create-case.ts'),
    options: { bundling: { format: 'esm', minify: true, sourceMap: true }, runtime: 'nodejs24.x', architecture: 'arm64' },
  };

  it('is the same for the same entry, options and tools', () => {
    expect(bundleKey({ ...spec, options: structuredClone(spec.options) })).toBe(bundleKey(spec));
  });

  it.each([
    ['a bundling option', { ...spec.options, bundling: { ...spec.options.bundling, minify: false } }],
    ['an added bundling option', { ...spec.options, bundling: { ...spec.options.bundling, banner: '/* x */' } }],
    ['the runtime', { ...spec.options, runtime: 'nodejs22.x' }],
    ['the architecture', { ...spec.options, architecture: 'x86_64' }],
  ])('changes with %s', (_what, options) => {
    expect(bundleKey({ ...spec, options })).not.toBe(bundleKey(spec));
  });

  it('changes with the entry', () => {
    expect(bundleKey({ ...spec, entry: path.join(PROJECT_ROOT, 'functions/api/handlers/get-case.ts') })).not.toBe(bundleKey(spec));
  });
});

describe('BundleCache', () => {
  const key = 'k'.repeat(64);

  it('offers the staged bundle of the previous synth while its inputs are unchanged, and not after one changes', () => {
    const staged = realpathSync(bundleAndRecord(new BundleCache(outdir, root), key));
    expect(reused(key)).toBe(staged);
    write('src/domain/rules.ts', 'export const rule = () => 2;');
    expect(reused(key)).toBeUndefined();
    write('src/domain/rules.ts', 'export const rule = () => 1;');
    expect(reused(key)).toBe(staged);
  });

  it('offers it under a name without a dot, which CDK would take for an extension and stage a copy under', () => {
    bundleAndRecord(new BundleCache(outdir, root), key);
    expect(path.basename(new BundleCache(outdir, root).reusable(key)!)).not.toContain('.');
  });

  it('offers nothing for another key, or when the staged bundle is gone', () => {
    const staged = bundleAndRecord(new BundleCache(outdir, root), key);
    expect(reused('b'.repeat(64))).toBeUndefined();
    rmSync(staged, { recursive: true });
    expect(reused(key)).toBeUndefined();
  });

  it('records nothing when an input changed while esbuild ran (the bundle may hold either version)', () => {
    const startedAt = Date.now() - 1_000;
    write('src/handler.ts', 'export const handler = () => 2;');
    utimesSync(path.join(root, 'src/handler.ts'), new Date(), new Date());
    bundleAndRecord(new BundleCache(outdir, root), key, startedAt);
    expect(reused(key)).toBeUndefined();
  });
});
