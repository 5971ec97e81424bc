/**
 * The knowledge base in the table (keys: `ArticleEntity` in table.ts):
 *   `KB#ART#<id>` / `V#00001`...   every version of an article (content, status, who, when, why);
 *   `KB#PUBLISHED` / `ART#<id>`     the version the public and the agents' search see, one item per live article;
 *   `KB#REVISION` / `KB`            a fresh token written after every change of what is published;
 *   `KB#HEAD` / `ART#<id>`          each article's current version, status, title and department (the editors' list).
 * A draft or a retired article has no published item, so the public reads cannot show one. Search containers
 * read the revision (one GetItem) and, when it moved, the published partition (one paged Query) to rebuild
 * their index: publishing anything reaches every container on its next search, and no request ever Scans.
 *
 * Seeding (deploy step, local start): config/kb-articles.json names each article's version. A version not yet
 * stored is stored (conditional put), and a published one replaces an older published version (conditional on
 * the stored version being lower), so a seed run twice, or two at once, stores nothing twice and never undoes a
 * newer edit.
 *
 * Editing (usecases/edit-article.ts): every change stores the next version and moves the head in ONE
 * TransactWriteItems, the head conditional on the version the editor read; a publish also puts the published item
 * and a new revision token in it, a retirement deletes the published item, so what the public sees and what the
 * search containers rebuild from never disagree with the versions.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { headOf, type ArticleHead, type ArticleVersion, type PublishedArticle, type SeedArticle } from '../kb/article';
import { nowIso } from '../domain/clock';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import type { ArticleReader } from '../kb/published-library';
import type { ArticleChange, ArticleEditorStore } from '../usecases/edit-article';
import { ArticleEntity, isConditionFailure, type Item } from './table';

export const KB_CONFIG_AUTHOR = 'config';
export const KB_SEED_REASON = 'config/kb-articles.json';

export interface ArticleSeedResult {
  /** Versions this run stored. */
  stored: Array<{ id: string; version: number }>;
  /** Articles whose published item this run wrote. */
  published: string[];
}

export class DynamoArticleStore implements ArticleReader, ArticleEditorStore {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async revision(): Promise<string> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ArticleEntity.revisionKey(), ProjectionExpression: 'revision' }));
    return typeof out.Item?.revision === 'string' ? out.Item.revision : '';
  }

  /** Every published article: one Query over the published partition, paged by DynamoDB's 1 MB pages. */
  async published(): Promise<PublishedArticle[]> {
    // The revision was bumped after (or with) the publish's put: the strongly consistent Query sees that put.
    return this.queryAll(ArticleEntity.publishedPartition, ArticleEntity.publishedPrefix);
  }

  async publishedArticle(id: string): Promise<PublishedArticle | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ArticleEntity.publishedKey(id) }));
    return out.Item ? ArticleEntity.fromItem<PublishedArticle>(out.Item) : undefined;
  }

  /**
   * Steps, per seed article: 1. store its version unless stored; 2. its head unless a version as new or newer is
   * the head (an editor's); 3. if published, write the published item unless a version as new or newer is
   * published; then 4. bump the revision once if anything was published.
   */
  async seed(articles: readonly SeedArticle[], author: string = KB_CONFIG_AUTHOR): Promise<ArticleSeedResult> {
    const result: ArticleSeedResult = { stored: [], published: [] };
    const at = nowIso();
    for (const { id, status, version, ...content } of articles) {
      const stored: ArticleVersion = { ...content, id, version, status, at, by: author, reason: KB_SEED_REASON };
      if (await this.putIf(ArticleEntity.versionKey(id, version), stored, 'attribute_not_exists(pk)')) result.stored.push({ id, version });
      // Also for versions stored by an earlier run: tables seeded before heads existed get theirs.
      await this.putIf(ArticleEntity.headKey(id), headOf(stored, status === 'published' ? version : undefined), 'attribute_not_exists(pk) OR version < :v', { ':v': version });
      if (status !== 'published') continue;
      const live: PublishedArticle = { ...content, id, version, publishedAt: at, publishedBy: author };
      if (await this.putIf(ArticleEntity.publishedKey(id), live, 'attribute_not_exists(pk) OR version < :v', { ':v': version })) result.published.push(id);
    }
    if (result.published.length) await this.bumpRevision();
    return result;
  }

  /** A plain put keeps the seed step's grant to PutItem. */
  async bumpRevision(): Promise<void> {
    await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: revisionItem() }));
  }

  /** Strongly consistent: an editor who just saved reads the version to send as If-Match. */
  async head(id: string): Promise<ArticleHead | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ArticleEntity.headKey(id), ConsistentRead: true }));
    return out.Item ? ArticleEntity.fromItem<ArticleHead>(out.Item) : undefined;
  }

  /** Every article's head: one Query of the head partition (small items), paged by DynamoDB's 1 MB pages. */
  async heads(): Promise<ArticleHead[]> {
    return this.queryAll(ArticleEntity.headPartition, ArticleEntity.publishedPrefix);
  }

  async version(id: string, version: number): Promise<ArticleVersion | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ArticleEntity.versionKey(id, version), ConsistentRead: true }));
    return out.Item ? ArticleEntity.fromItem<ArticleVersion>(out.Item) : undefined;
  }

  /** Every version of an article, oldest first (one Query of its partition). */
  async versions(id: string): Promise<ArticleVersion[]> {
    return this.queryAll(ArticleEntity.versionPartition(id), ArticleEntity.versionPrefix);
  }

  /**
   * Steps: one TransactWriteItems of 1. the new version (conditional: not stored yet); 2. the head (conditional:
   * absent for a new article, else at the version the editor read); 3. on a publish the published item and 4. a
   * new revision token; on a retirement the published item's deletion and the token. Each item conditional so an
   * older version never replaces a newer published one. A failed condition: a new article's id taken is a 409
   * naming `id`; otherwise another change got in first, a 412 with the version now current.
   */
  async append(change: ArticleChange): Promise<void> {
    const { version: next, expectedVersion, published } = change;
    const id = next.id;
    const head = headOf(next, published === 'retire' ? undefined : published ? published.version : change.publishedVersion);
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      { Put: { TableName: this.tableName, Item: { ...next, ...ArticleEntity.versionKey(id, next.version), entity: 'KB' }, ConditionExpression: 'attribute_not_exists(pk)' } },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...head, ...ArticleEntity.headKey(id), entity: 'KB' },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expectedVersion } }),
        },
      },
    ];
    const newerOnly = { ConditionExpression: 'attribute_not_exists(pk) OR version < :v', ExpressionAttributeValues: { ':v': next.version } };
    if (published === 'retire') items.push({ Delete: { TableName: this.tableName, Key: ArticleEntity.publishedKey(id), ...newerOnly } });
    else if (published) items.push({ Put: { TableName: this.tableName, Item: { ...published, ...ArticleEntity.publishedKey(id), entity: 'KB' }, ...newerOnly } });
    if (published) items.push({ Put: { TableName: this.tableName, Item: revisionItem() } });
    try {
      await this.ddb.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (e) {
      if (!isCancelledByCondition(e)) throw e;
      if (expectedVersion === undefined) throw new ConflictError(`Article ${id} already exists`, { field: 'id', id });
      const current = (await this.head(id))?.version;
      throw new PreconditionFailedError(`Article ${id} is at version ${current ?? '?'}, not ${expectedVersion}: read it again`, current, 'If-Match');
    }
  }

  private async queryAll<T>(pk: string, prefix: string): Promise<T[]> {
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []).map((i) => ArticleEntity.fromItem<T>(i)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /** A conditional put; false when the condition did not hold. */
  private async putIf(key: { pk: string; sk: string }, value: object, condition: string, values?: Record<string, unknown>): Promise<boolean> {
    const item: Item = { ...value, ...key, entity: 'KB' };
    try {
      await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: condition, ExpressionAttributeValues: values }));
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}

/** A new token rather than a counter: containers only ask whether it changed, and a plain put needs no read. */
function revisionItem(): Item {
  const at = nowIso();
  return { ...ArticleEntity.revisionKey(), entity: 'KB', revision: `${at}#${randomUUID()}`, updatedAt: at };
}

function isCancelledByCondition(e: unknown): boolean {
  if (isConditionFailure(e)) return true;
  if (!(e instanceof Error) || e.name !== 'TransactionCanceledException') return false;
  const reasons = (e as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code === 'ConditionalCheckFailed');
}
