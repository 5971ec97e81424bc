/**
 * The one DynamoDB table (DESIGN.md "Data model"): key and index names come from the store's table definition,
 * so CDK, the repository and the local cloud cannot disagree.
 */
import { Construct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableEncryptionV2, TableV2, type ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { StageSettings } from '../stage';
import { CASE_TABLE } from './table-definition';

export interface CaseTableProps {
  settings: StageSettings;
}

export class CaseTable extends Construct {
  /**
   * The table the functions, grants and alarms use: the stack's own, or the one context `citydesk:tableName` names
   * (a point-in-time restore, imported by name; docs/operations.md "Backup and restore").
   */
  readonly table: ITableV2;
  /** The stack's own table. It stays (untouched, retained in production) while the stage uses a restored one. */
  readonly ownTable: TableV2;
  /**
   * The key of the table's phone-search index (gsi8 holds HMAC-SHA256(key, phone), functions/privacy/phone-hash.ts)
   * and of the SMS caps' counters: generated per stage. Functions get its ARN (PII_HASH_KEY_SECRET_ARN) and read the
   * value at cold start; the key is never in a function's configuration or a template.
   */
  readonly piiHashKey: Secret;
  /** The MAC key of pagination cursors: generated per stage, never a public value; the API functions get its ARN (CURSOR_SECRET_ARN). */
  readonly cursorSecret: Secret;

  constructor(scope: Construct, id: string, props: CaseTableProps) {
    super(scope, id);
    const { settings } = props;
    this.ownTable = new TableV2(this, 'Table', {
      partitionKey: { name: CASE_TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: CASE_TABLE.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: CASE_TABLE.ttlAttribute,
      encryption: TableEncryptionV2.awsManagedKey(),
      deletionProtection: settings.production,
      removalPolicy: settings.removalPolicy,
      globalSecondaryIndexes: CASE_TABLE.indexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        ...(index.projection.ProjectionType === 'INCLUDE'
          ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: index.projection.NonKeyAttributes }
          : { projectionType: ProjectionType.KEYS_ONLY }),
      })),
    });
    // A restored table has the same keys and indexes (a restore copies them); the restore script gives it PITR, TTL
    // and deletion protection, which a restore does not copy.
    this.table = settings.tableName ? TableV2.fromTableName(this, 'InUse', settings.tableName) : this.ownTable;
    this.piiHashKey = new Secret(this, 'PiiHashKey', {
      description: `CityDesk 1999 (${settings.stage}): key of the phone-search index; changing it orphans the index`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.piiHashKey).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'A new key makes every stored phone hash unfindable: it is changed only together with a re-index of the phone index (docs/security.md "Keys"), never by automatic rotation',
    });
    this.cursorSecret = new Secret(this, 'CursorSecret', {
      description: `CityDesk 1999 (${settings.stage}): MAC key of pagination cursors; changing it only ends open page-throughs`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      removalPolicy: settings.removalPolicy,
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotated by hand (put-secret-value; docs/security.md "Keys"): a new value only ends the page-throughs open at that moment, so a rotation Lambda would add a function and grants for no gain',
    });
  }

  get indexNames(): string[] {
    return CASE_TABLE.indexes.map((i) => i.name);
  }

  /** The table and each of its indexes by name: grants never need an `index/*` wildcard. */
  get resourceArns(): string[] {
    return [this.table.tableArn, ...this.indexNames.map((name) => `${this.table.tableArn}/index/${name}`)];
  }
}
