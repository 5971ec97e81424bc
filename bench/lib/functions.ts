/**
 * Every Lambda function CDK builds (API handlers, workflow tasks, scheduled jobs), bundled here with the flags
 * `infra/constructs/function.ts` gives esbuild, plus each one's baseline: an empty handler that imports and
 * constructs the same SDK clients (the `@aws-sdk/client-*` packages found in the function's bundle), built with
 * the same flags.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';
import { handlerModules } from '../../functions/api/routes';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { handlerModuleOf, WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Handler modules under functions/ (without extension), in a stable order. */
export function lambdaHandlers(): string[] {
  const all = [...handlerModules().map((m) => m.handler), ...WORKFLOW_FUNCTIONS.map(handlerModuleOf), ...SCHEDULED_JOBS.map((j) => j.handler)];
  return [...new Set(all)].sort();
}

/** esbuild options as aws-lambda-nodejs passes them for CityDeskFunction (nodejs24.x, ESM, minify, source maps). */
export function lambdaBuildOptions(entry: string | { contents: string }, outfile: string): BuildOptions {
  return {
    ...(typeof entry === 'string' ? { entryPoints: [entry] } : { stdin: { contents: entry.contents, resolveDir: ROOT, loader: 'ts', sourcefile: 'baseline-handler.ts' } }),
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    banner: { js: "import { createRequire as __cdCreateRequire } from 'node:module'; const require = __cdCreateRequire(import.meta.url);" },
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'silent',
    metafile: true,
  };
}

export interface BuiltBundle {
  handler: string;
  /** The .mjs file (what runs), without its source map. */
  file: string;
  bytes: number;
  mapBytes: number;
  /** Bytes by top-level package (node_modules/<name>) or `functions` for our own code. */
  byPackage: Map<string, number>;
  /** The SDK client packages in the bundle (`@aws-sdk/client-dynamodb`...). */
  sdkClients: string[];
}

/** Client class per SDK package the functions use. */
const CLIENT_CLASSES: Record<string, string> = {
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-sfn': 'SFNClient',
  '@aws-sdk/client-sns': 'SNSClient',
  '@aws-sdk/client-sesv2': 'SESv2Client',
  '@aws-sdk/client-location': 'LocationClient',
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
};

/** The baseline handler's source for a set of SDK client packages. */
export function baselineSource(clients: readonly string[]): string {
  const known = clients.filter((c) => CLIENT_CLASSES[c]);
  const unknown = clients.filter((c) => !CLIENT_CLASSES[c]);
  if (unknown.length) throw new Error(`bench: no baseline client class for ${unknown.join(', ')} (add it to CLIENT_CLASSES)`);
  const lib = known.includes('@aws-sdk/client-dynamodb') ? "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';\n" : '';
  return [
    ...known.map((c) => `import { ${CLIENT_CLASSES[c]} } from '${c}';`),
    lib,
    `const clients = [${known.map((c) => (c === '@aws-sdk/client-dynamodb' ? 'DynamoDBDocumentClient.from(new DynamoDBClient({}))' : `new ${CLIENT_CLASSES[c]}({})`)).join(', ')}];`,
    'export const handler = async () => clients.length;',
  ].join('\n');
}

/** Builds `functions/<handler>.ts` (or a baseline's source) into `outDir/<handler>/index.mjs`. */
export async function buildBundle(handler: string, outDir: string, source?: string): Promise<BuiltBundle> {
  const entry = source !== undefined ? { contents: source } : path.join(ROOT, 'functions', `${handler}.ts`);
  const dir = path.join(outDir, handler.replace(/\//g, '__'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'index.mjs');
  const result = await build(lambdaBuildOptions(entry, file));
  const outputs = result.metafile!.outputs;
  const main = Object.entries(outputs).find(([k]) => k.endsWith('index.mjs'))![1];
  const map = Object.entries(outputs).find(([k]) => k.endsWith('.map'))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(main.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const key = m ? m[1] : input.startsWith('functions/') ? 'functions' : input;
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const sdkClients = [...byPackage.keys()].filter((p) => p.startsWith('@aws-sdk/client-')).sort();
  return { handler, file, bytes: main.bytes, mapBytes: map?.bytes ?? 0, byPackage, sdkClients };
}
