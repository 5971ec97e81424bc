/**
 * Reuse of a function's esbuild bundle from the previous synth into the same cloud assembly directory, when
 * nothing that shapes the bundle changed.
 *
 * A bundle is made of its bundling options (entry, esbuild flags, runtime, the esbuild and aws-cdk-lib versions)
 * and of the files esbuild read. After each bundling, esbuild's metafile lists those files; a record in the
 * assembly directory keeps a digest of each, of the listing of every project directory on the way to them (a new
 * file can change what an import resolves to without changing any file read before), and of the project and
 * installed lockfiles, tsconfig and package.json (a reinstall changes what a package import resolves to). The
 * next synth with the same options rebuilds those digests; when every one is equal and the staged bundle is still
 * there, the function takes that directory as its code instead of bundling again. Any difference, or no record,
 * means a normal bundling and a new record.
 *
 * The staged directory's name is the hash CDK computed from the bundle's own bytes, and CDK computes the same name
 * for it when it is given as code, so templates and asset hashes are the same as after a bundling.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What a bundle is made of apart from its input files. */
export interface BundleSpec {
  projectRoot: string;
  /** The entry file (absolute). */
  entry: string;
  /** Every option that reaches esbuild: bundling options, runtime, architecture, as plain JSON. */
  options: Record<string, unknown>;
}

/** Digests of a bundle's inputs, by path relative to the project root. */
export interface InputSnapshot {
  files: Record<string, string>;
  dirs: Record<string, string>;
}

interface BundleRecord {
  key: string;
  assetHash: string;
  inputs: string[];
  fingerprint: string;
}

/** Files every bundle depends on, read or not by esbuild as a module: resolution and installed versions. */
const PROJECT_FILES = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tsconfig.json'];

const RECORD_DIR = 'citydesk-bundle-inputs';

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function versionOf(projectRoot: string, pkg: string): string {
  const require = createRequire(path.join(projectRoot, 'package.json'));
  return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
}

/** Names the bundle: equal keys mean the same entry built by the same tools with the same options. */
export function bundleKey(spec: BundleSpec): string {
  return sha256(
    JSON.stringify({
      entry: path.relative(spec.projectRoot, spec.entry),
      options: spec.options,
      esbuild: versionOf(spec.projectRoot, 'esbuild'),
      cdk: versionOf(spec.projectRoot, 'aws-cdk-lib'),
    }),
  );
}

/** The input files of an esbuild metafile, relative to the project root (esbuild ran there). */
export function inputsOfMetafile(metafile: string): string[] {
  return Object.keys((JSON.parse(readFileSync(metafile, 'utf8')) as { inputs: Record<string, unknown> }).inputs);
}

/** Whether `dir` (relative to the root, or absolute) is a folder below the project root, not the root itself. */
function isBelowRoot(projectRoot: string, dir: string): boolean {
  const relative = path.relative(path.resolve(projectRoot), path.resolve(projectRoot, dir));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Digests of `inputs` (a missing file is recorded as missing) plus the project files, and of the listing of every
 * project directory from an input's folder up to (not including) the root: node_modules folders are covered by
 * the installed lockfile instead.
 */
export function snapshotInputs(projectRoot: string, inputs: readonly string[], cache: Map<string, string> = new Map()): InputSnapshot {
  const digest = (file: string): string => {
    const absolute = path.resolve(projectRoot, file);
    let value = cache.get(absolute);
    if (value === undefined) {
      value = existsSync(absolute) && statSync(absolute).isFile() ? sha256(readFileSync(absolute)) : 'missing';
      cache.set(absolute, value);
    }
    return value;
  };
  const listing = (dir: string): string => {
    const absolute = path.resolve(projectRoot, dir);
    const key = `${absolute}/`;
    let value = cache.get(key);
    if (value === undefined) {
      value = existsSync(absolute) ? sha256(readdirSync(absolute).sort().join('\n')) : 'missing';
      cache.set(key, value);
    }
    return value;
  };
  const files: Record<string, string> = {};
  const dirs: Record<string, string> = {};
  for (const file of [...PROJECT_FILES, ...inputs]) files[file] = digest(file);
  for (const file of inputs) {
    if (file.split(/[\\/]/).includes('node_modules')) continue;
    for (let dir = path.dirname(file); isBelowRoot(projectRoot, dir); dir = path.dirname(dir)) dirs[dir] ??= listing(dir);
  }
  return { files, dirs };
}

/** One hash of a snapshot, independent of the order its entries were found in. */
export function snapshotFingerprint(snapshot: InputSnapshot): string {
  const lines = (kind: string, entries: Record<string, string>) => Object.keys(entries).sort().map((k) => `${kind} ${k} ${entries[k]}`);
  return sha256([...lines('file', snapshot.files), ...lines('dir', snapshot.dirs)].join('\n'));
}

/** The records of one cloud assembly directory; file digests are memoised for the synth. */
export class BundleCache {
  private readonly digests = new Map<string, string>();
  private readonly dir: string;

  constructor(
    private readonly assetOutdir: string,
    private readonly projectRoot: string,
  ) {
    this.dir = path.join(assetOutdir, RECORD_DIR);
  }

  /** Where esbuild writes the metafile of this bundle (outside the bundle, which is deployed as it is). */
  metafilePath(key: string): string {
    mkdirSync(this.dir, { recursive: true });
    return path.join(this.dir, `${key}.meta.json`);
  }

  private recordPath(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  /**
   * The staged bundle of the previous synth when every input is as it was then (as a link to it, see `linkTo`);
   * otherwise undefined.
   */
  reusable(key: string): string | undefined {
    const file = this.recordPath(key);
    if (!existsSync(file)) return undefined;
    let record: BundleRecord;
    try {
      record = JSON.parse(readFileSync(file, 'utf8')) as BundleRecord;
    } catch {
      return undefined;
    }
    if (record.key !== key || !/^[0-9a-f]{64}$/.test(record.assetHash) || !Array.isArray(record.inputs)) return undefined;
    const staged = path.join(this.assetOutdir, `asset.${record.assetHash}`);
    if (!existsSync(staged) || readdirSync(staged).length === 0) return undefined;
    const now = snapshotFingerprint(snapshotInputs(this.projectRoot, record.inputs, this.digests));
    return now === record.fingerprint ? this.linkTo(staged, key) : undefined;
  }

  /**
   * A link without a dot in its name to the staged directory: CDK takes what follows the last dot of an asset's
   * source as a file extension for the staged name (`asset.<hash>.<hash>`, a copy); the hash is the same, since CDK
   * hashes the directory the link resolves to.
   */
  private linkTo(staged: string, key: string): string {
    const link = path.join(this.dir, `bundle-${key}`);
    rmSync(link, { force: true });
    symlinkSync(path.resolve(staged), link, 'junction');
    return link;
  }

  /**
   * After a bundling that started at `startedAt` (epoch ms): records its inputs (from the metafile, which is then
   * removed) under the bundle's hash. An input changed since the start may or may not be in the bundle, so then
   * nothing is recorded and the next synth bundles again.
   */
  record(key: string, assetHash: string, startedAt: number): void {
    const metafile = this.metafilePath(key);
    if (!existsSync(metafile)) return;
    const inputs = inputsOfMetafile(metafile);
    rmSync(metafile);
    const changedSince = (file: string) => {
      const absolute = path.resolve(this.projectRoot, file);
      return existsSync(absolute) && statSync(absolute).mtimeMs >= startedAt;
    };
    if ([...PROJECT_FILES, ...inputs].some(changedSince)) return;
    const record: BundleRecord = { key, assetHash, inputs, fingerprint: snapshotFingerprint(snapshotInputs(this.projectRoot, inputs, this.digests)) };
    const file = this.recordPath(key);
    writeFileSync(`${file}.tmp`, JSON.stringify(record));
    renameSync(`${file}.tmp`, file);
  }
}
