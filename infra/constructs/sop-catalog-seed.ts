/**
 * Seeds the stored SOP catalogue from config/sops.json on deploy: a custom resource whose Lambda
 * (functions/deploy/seed-sop-catalog.ts) stores each configured SOP whose content changed as a new version. Its
 * properties carry a hash of config/sops.json (and of config/kb-articles.json, whose new article versions the same
 * step stores) and the commit being deployed, so CloudFormation runs it on
 * the first deploy and on every deploy that changes either; a run that finds nothing changed stores nothing.
 * It runs in the stateless stack, after the table exists and before the functions that read the catalogue are
 * created or updated (infra/stacks/stateless-stack.ts), so a deploy that changes a SOP makes it current in the
 * same deploy. CloudFormation invokes the function directly; it answers at the event's response URL.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { CustomResource, Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CONFIG_AUTHOR, sopContentHash } from '../../functions/adapters/sop-catalog';
import { loadConfig } from '../../functions/config/load';
import type { Sop } from '../../functions/config/schema';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { CityDeskFunction } from './function';
import { ArticleEntity, SopEntity } from '../../functions/adapters/table';
import { loadKbSeed } from '../../functions/kb/seed';

/** Module under functions/ exporting the custom resource's `handler`. */
export const SOP_CATALOG_SEED_HANDLER = 'deploy/seed-sop-catalog';

export interface SopCatalogSeedProps {
  settings: StageSettings;
  table: CaseTable;
  /** The SOPs to seed; default config/sops.json (`loadConfig().sops`), the same file the functions bundle. */
  sops?: readonly Sop[];
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

export class SopCatalogSeed extends Construct {
  readonly function: CityDeskFunction;
  readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: SopCatalogSeedProps) {
    super(scope, id);
    const { settings, table } = props;
    const sops = props.sops ?? loadConfig().sops;

    this.function = new CityDeskFunction(this, 'SeedSops', {
      handler: SOP_CATALOG_SEED_HANDLER,
      settings,
      table,
      tableAccess: 'RO',
      functionsDir: props.functionsDir,
      description: `CityDesk 1999 deploy step: config/sops.json into the SOP catalogue (${settings.stage})`,
      timeout: Duration.minutes(5),
    });
    // Every function links messages to the console; this one sends none, but the environment stays uniform.
    this.function.bindConsoleUrl(settings.consoleUrl);
    // New versions only, and only of SOP items.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [SopEntity.partition('*'), ArticleEntity.partitionPattern] } },
      }),
    );

    // `cdk deploy -c citydesk:commit=$(git rev-parse --short HEAD)` names the commit on the versions it stores.
    const commit: unknown = this.node.tryGetContext('citydesk:commit');
    const author = typeof commit === 'string' && commit !== '' ? `${CONFIG_AUTHOR}@${commit}` : CONFIG_AUTHOR;
    this.resource = new CustomResource(this, 'Resource', {
      // CloudFormation invokes the function itself, with the deploying role's rights (no resource policy needed).
      serviceToken: this.function.functionArn,
      resourceType: 'Custom::SopCatalogSeed',
      properties: { ConfigHash: catalogueHash(sops), KnowledgeBaseHash: knowledgeBaseHash(), Author: author },
    });
  }
}

/** The shipped articles (config/kb-articles.json, validated): a change runs the step again. */
function knowledgeBaseHash(): string {
  return createHash('sha256').update(JSON.stringify(loadKbSeed(loadConfig()))).digest('hex');
}

/** One hash over every configured SOP's content hash, in config order. */
function catalogueHash(sops: readonly Sop[]): string {
  return createHash('sha256')
    .update(sops.map((s) => `${s.category}:${sopContentHash(s)}`).join('\n'))
    .digest('hex');
}
