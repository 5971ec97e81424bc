/**
 * CDK's built-in CloudFormation validation (schema and rule checks of every template, errors by the
 * `validateAgainstDefaultRules` flag in cdk.json), with its report kept in the cloud assembly directory and given
 * again while the templates are byte for byte the ones it was made for. Starting its engine and checking our five
 * templates is most of a synth's CPU once bundles are reused; a synth after a change to any template runs it in
 * full. The report is a function of the templates, their paths and stacks, and the engine and rules, which ship
 * inside aws-cdk-lib; acknowledgements are applied to it afterwards by CDK, so they count either way.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CloudFormationValidatePlugin, type IPolicyValidationContext, type PolicyValidationPluginReport } from 'aws-cdk-lib';

const CACHE_DIR = 'citydesk-cfn-validation';

function cdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (JSON.parse(readFileSync(require.resolve('aws-cdk-lib/package.json'), 'utf8')) as { version: string }).version;
}

/** Names a validation: the same key means the same templates, stacks and engine. */
export function validationKey(context: Pick<IPolicyValidationContext, 'stackTemplates'>, version = cdkVersion()): string {
  const hash = createHash('sha256').update(`aws-cdk-lib ${version}\n`);
  for (const stack of context.stackTemplates) {
    hash.update(JSON.stringify([stack.stackConstructPath, stack.templatePath, stack.accountId ?? null, stack.region ?? null]));
    hash.update(createHash('sha256').update(readFileSync(stack.templatePath)).digest('hex'));
  }
  return hash.digest('hex');
}

/**
 * Registered on the app, it takes the place of the instance CDK would add (CDK adds none when one is registered),
 * so the templates are validated exactly once per synth as before.
 *
 * The checking is done by one plugin instance per process, not by this app's: a plugin keeps its validation
 * engine (about 130 MB of WebAssembly memory) until disposed, which nothing does for an app's plugins, so a process
 * that synthesizes many apps (a test worker) grew by that much per app until the garbage collector ran without
 * pause. The shared instance keeps one engine and makes a new one only for resource types it has not seen.
 */
export class CachedCloudFormationValidate extends CloudFormationValidatePlugin {
  private static shared: CloudFormationValidatePlugin | undefined;

  constructor(private readonly assemblyDir: string) {
    super();
  }

  override validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const file = path.join(this.assemblyDir, CACHE_DIR, `${validationKey(context)}.json`);
    if (existsSync(file)) {
      try {
        return JSON.parse(readFileSync(file, 'utf8')) as PolicyValidationPluginReport;
      } catch {
        // An unreadable report (a synth stopped while writing it) is made again.
      }
    }
    CachedCloudFormationValidate.shared ??= new CloudFormationValidatePlugin();
    const report = CachedCloudFormationValidate.shared.validate(context);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(report));
    renameSync(`${file}.tmp`, file);
    return report;
  }
}
