/**
 * SOP versions. The SOPs in config/sops.json are version 1 of their category and are never stored; a supervisor's
 * edit stores `SOP#<category>` / `V#00002`, `V#00003`... and the highest version is current. A case records the
 * version it was routed under, so old versions stay readable.
 *
 * Cost: `list()` runs one Query (Limit 1, newest first) per configured category, in parallel. A `CURRENT`
 * pointer item read with BatchGetItem would cost the same read units (each item rounds up to one 4 KB read) and
 * save only round trips, but would need a second, non-atomic write per edit that could leave it stale; the
 * version items alone cannot disagree with themselves.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Sop, VersionedSop } from '../config/schema';
import { nowIso } from '../domain/clock';
import { PreconditionFailedError, ValidationError } from '../domain/errors';
import type { SopCatalog } from '../usecases/ports';
import { SopEntity, isConditionFailure } from './table';

export class DynamoSopCatalog implements SopCatalog {
  private readonly seeds: ReadonlyMap<string, Sop>;

  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
    seeds: readonly Sop[],
  ) {
    this.seeds = new Map(seeds.map((s) => [s.category, s]));
  }

  /** Current version of every configured category, in config order. */
  async list(): Promise<VersionedSop[]> {
    const current = await Promise.all([...this.seeds.keys()].map((category) => this.current(category)));
    return current.filter((s): s is VersionedSop => s !== undefined);
  }

  async current(category: string): Promise<VersionedSop | undefined> {
    const seed = this.seeds.get(category);
    if (!seed) return undefined;
    return (await this.newestStored(category)) ?? SopEntity.fromConfig(seed);
  }

  async version(category: string, version: number): Promise<VersionedSop | undefined> {
    const seed = this.seeds.get(category);
    if (!seed || !Number.isInteger(version) || version < 1) return undefined;
    if (version === 1) return SopEntity.fromConfig(seed);
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: SopEntity.key(category, version) }));
    return out.Item ? SopEntity.fromItem(out.Item) : undefined;
  }

  /** Every version, oldest first. */
  async versions(category: string): Promise<VersionedSop[]> {
    const seed = this.seeds.get(category);
    if (!seed) return [];
    const stored: VersionedSop[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': SopEntity.partition(category), ':v': SopEntity.versionPrefix },
          ExclusiveStartKey: startKey,
        }),
      );
      stored.push(...(out.Items ?? []).map((i) => SopEntity.fromItem(i)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return [SopEntity.fromConfig(seed), ...stored];
  }

  /**
   * Steps: the category must be configured; the current version must be `expectedVersion` (else 412 with the
   * current one); put version + 1 only if nobody stored it meanwhile (else 412).
   */
  async saveNewVersion(sop: Sop, expectedVersion: number, by: string): Promise<VersionedSop> {
    if (!this.seeds.has(sop.category))
      throw new ValidationError('Unknown SOP category', [
        { path: 'category', message: `"${sop.category}" is not configured; new categories are added in config/sops.json` },
      ]);
    const current = await this.current(sop.category);
    const currentVersion = current?.version ?? 1;
    if (currentVersion !== expectedVersion) throw staleSop(sop.category, expectedVersion, currentVersion);

    const saved: VersionedSop = { ...sop, version: expectedVersion + 1, updatedAt: nowIso(), updatedBy: by };
    try {
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: SopEntity.toItem(saved), ConditionExpression: 'attribute_not_exists(pk)' }));
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      throw staleSop(sop.category, expectedVersion, (await this.current(sop.category))?.version ?? expectedVersion + 1);
    }
    return saved;
  }

  /** Strongly consistent: a case routed right after an edit must run under the new version. */
  private async newestStored(category: string): Promise<VersionedSop | undefined> {
    const out = await this.ddb.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
        ExpressionAttributeValues: { ':pk': SopEntity.partition(category), ':v': SopEntity.versionPrefix },
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const item = out.Items?.[0];
    return item ? SopEntity.fromItem(item) : undefined;
  }
}

const staleSop = (category: string, expected: number, current: number) =>
  new PreconditionFailedError(`SOP ${category} is at version ${current}, not ${expected}`, current);
