/**
 * The SOP catalogue: every version of every category is a stored item, `SOP#<category>` / `V#00001`,
 * `V#00002`..., and the highest stored version is current. config/sops.json is the seed of the catalogue, not a
 * second source: `seed()` (run on every deploy and every local start) stores a configured SOP as a new version
 * when its content differs from the newest version config stored before, and does nothing when it does not. A
 * supervisor's edit through the API stores a new version too. So whichever happened last wins: a changed config
 * after an edit is a newer version, an edit after that newer still. A case records the version it was routed
 * under, and reading that version returns what was stored then, whatever config says today.
 *
 * Every version carries the sha-256 of its content's canonical JSON (`contentHash`), its author and reason, and
 * whether config or a person made it (`origin`). Seeding compares hashes with config's own last version only: a
 * console edit must not count as "config changed", or every deploy would undo it.
 *
 * Cost: `list()` runs one Query (Limit 1, newest first) per configured category, in parallel. A `CURRENT`
 * pointer item read with BatchGetItem would cost the same read units (each item rounds up to one 4 KB read) and
 * save only round trips, but would need a second, non-atomic write per edit that could leave it stale; the
 * version items alone cannot disagree with themselves. `seed()` reads each category's versions once per deploy.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Sop, SopOrigin, VersionedSop } from '../config/schema';
import { nowIso } from '../domain/clock';
import { PreconditionFailedError, ValidationError } from '../domain/errors';
import type { SopAuthor, SopCatalog } from '../usecases/ports';
import { SopEntity, isConditionFailure } from './table';

/** The author of versions that seeding stores; `config@<commit>` when the deploy knows its commit. */
export const CONFIG_AUTHOR = 'config';
export const CONFIG_FIRST_REASON = 'config/sops.json: first stored version';
export const CONFIG_CHANGED_REASON = 'config/sops.json changed';

/** Two seeders (or a seeder and an edit) racing for the same version number: re-read and decide again. */
const SEED_ATTEMPTS = 5;

export interface SopSeedResult {
  /** Versions this run stored. */
  stored: Array<{ category: string; version: number }>;
  /** Categories whose config content is already config's newest stored version. */
  unchanged: string[];
}

export class DynamoSopCatalog implements SopCatalog {
  private readonly categories: readonly string[];
  /**
   * Versions this container has read, by category and version number. A stored version never changes (an edit
   * is a new version), so a case's SOP is read once per container, not once per workflow step.
   */
  private readonly seen = new Map<string, VersionedSop>();
  /** The newest version of each category this container has read (intake checks it in its write, see current). */
  private readonly newestSeen = new Map<string, VersionedSop>();

  /** `categories`: the configured categories, in config order (new categories come with config). */
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
    categories: readonly string[],
  ) {
    this.categories = [...categories];
  }

  /** Current version of every configured category, in config order. */
  async list(): Promise<VersionedSop[]> {
    const current = await Promise.all(this.categories.map((category) => this.current(category)));
    return current.filter((s): s is VersionedSop => s !== undefined);
  }

  async current(category: string, options: { seen?: boolean } = {}): Promise<VersionedSop | undefined> {
    if (!this.categories.includes(category)) return undefined;
    const seen = options.seen ? this.newestSeen.get(category) : undefined;
    if (seen) return structuredClone(seen);
    const newest = await this.newestStored(category);
    if (newest) this.newestSeen.set(category, structuredClone(newest));
    return newest;
  }

  /** A stored version, also of a category config no longer lists: old cases keep what they ran under. */
  async version(category: string, version: number): Promise<VersionedSop | undefined> {
    if (!Number.isInteger(version) || version < 1) return undefined;
    const seen = this.seen.get(seenKey(category, version));
    if (seen) return structuredClone(seen);
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: SopEntity.key(category, version) }));
    return out.Item ? this.remember(SopEntity.fromItem(out.Item)) : undefined;
  }

  private remember(sop: VersionedSop): VersionedSop {
    this.seen.set(seenKey(sop.category, sop.version), structuredClone(sop));
    return sop;
  }

  /** Every stored version, oldest first (strongly consistent: seeding decides on it). */
  async versions(category: string): Promise<VersionedSop[]> {
    const stored: VersionedSop[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :v)',
          ExpressionAttributeValues: { ':pk': SopEntity.partition(category), ':v': SopEntity.versionPrefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      stored.push(...(out.Items ?? []).map((i) => SopEntity.fromItem(i)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return stored;
  }

  /**
   * Steps: the category must be configured; the current version must be `expectedVersion` (else 412 with the
   * current one); put version + 1 only if nobody stored it meanwhile (else 412).
   */
  async saveNewVersion(sop: Sop, expectedVersion: number, author: SopAuthor): Promise<VersionedSop> {
    if (!this.categories.includes(sop.category))
      throw new ValidationError('Unknown SOP category', [
        { path: 'category', message: `"${sop.category}" is not configured; new categories are added in config/sops.json` },
      ]);
    const currentVersion = (await this.current(sop.category))?.version ?? 0;
    if (currentVersion !== expectedVersion) throw staleSop(sop.category, expectedVersion, currentVersion);

    const saved = versionOf(sop, expectedVersion + 1, 'console', author);
    if (!(await this.putNew(saved)))
      throw staleSop(sop.category, expectedVersion, (await this.current(sop.category))?.version ?? expectedVersion + 1);
    return saved;
  }

  /**
   * Stores config's SOPs where they changed. Safe to run on every deploy and start, and by two at once.
   * Steps, per configured SOP:
   * 1. read the category's stored versions; find the newest one config stored;
   * 2. its content hash equals the config SOP's: nothing to do;
   * 3. else store the config SOP as the next version (as version 1 when version 1 was never stored: tables from
   *    before the catalogue was seeded held edits from version 2 on, and their cases' version 1 meant config);
   * 4. the put is conditional on the version being free; when another writer took it, go back to 1.
   */
  async seed(seeds: readonly Sop[], author: string = CONFIG_AUTHOR): Promise<SopSeedResult> {
    const result: SopSeedResult = { stored: [], unchanged: [] };
    for (const sop of seeds) {
      const version = await this.seedOne(sop, author);
      if (version === undefined) result.unchanged.push(sop.category);
      else result.stored.push({ category: sop.category, version });
    }
    return result;
  }

  private async seedOne(sop: Sop, author: string): Promise<number | undefined> {
    const hash = sopContentHash(sop);
    for (let attempt = 0; attempt < SEED_ATTEMPTS; attempt++) {
      const stored = await this.versions(sop.category);
      const configs = stored.filter((v) => v.origin === 'config');
      const lastConfig = configs[configs.length - 1];
      if (lastConfig?.contentHash === hash) return undefined;
      const first = !stored.some((v) => v.version === 1);
      const version = first ? 1 : Math.max(...stored.map((v) => v.version)) + 1;
      const reason = version === 1 ? CONFIG_FIRST_REASON : CONFIG_CHANGED_REASON;
      if (await this.putNew(versionOf(sop, version, 'config', { by: author, reason }))) return version;
    }
    throw new Error(`Seeding SOP ${sop.category}: its next version was taken ${SEED_ATTEMPTS} times in a row`);
  }

  /** Conditional put of a version nobody stored yet; false when the number is taken. */
  private async putNew(sop: VersionedSop): Promise<boolean> {
    try {
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: SopEntity.toItem(sop), ConditionExpression: 'attribute_not_exists(pk)' }));
      return true;
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
      return false;
    }
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
    return item ? this.remember(SopEntity.fromItem(item)) : undefined;
  }
}

function seenKey(category: string, version: number): string {
  return `${category}#${version}`;
}

function versionOf(sop: Sop, version: number, origin: SopOrigin, author: SopAuthor): VersionedSop {
  const content = sopContent(sop);
  return { ...content, version, updatedAt: nowIso(), updatedBy: author.by, origin, reason: author.reason, contentHash: sopContentHash(content) };
}

/** The SOP without a version's bookkeeping (a version read and passed back as an edit carries it). */
function sopContent(sop: Sop | VersionedSop): Sop {
  const { version: _v, updatedAt: _a, updatedBy: _b, origin: _o, reason: _r, contentHash: _h, ...content } = sop as VersionedSop;
  return content;
}

/** sha-256 (hex) of the SOP's canonical JSON: keys sorted at every level, so key order never changes the hash. */
export function sopContentHash(sop: Sop): string {
  return createHash('sha256').update(canonicalJson(sopContent(sop))).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const staleSop = (category: string, expected: number, current: number) =>
  new PreconditionFailedError(`SOP ${category} is at version ${current}, not ${expected}`, current);
