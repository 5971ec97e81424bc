/**
 * The knowledge base in the table (keys: `ArticleEntity` in table.ts):
 *   `KB#ART#<id>` / `V#00001`...   every version of an article (content, status, who, when, why);
 *   `KB#PUBLISHED` / `ART#<id>`     the version the public and the agents' search see, one item per live article;
 *   `KB#REVISION` / `KB`            a fresh token written after every change of what is published.
 * A draft or a retired article has no published item, so the public reads cannot show one. Search containers
 * read the revision (one GetItem) and, when it moved, the published partition (one paged Query) to rebuild
 * their index: publishing anything reaches every container on its next search, and no request ever Scans.
 *
 * Seeding (deploy step, local start): config/kb-articles.json names each article's version. A version not yet
 * stored is stored (conditional put), and a published one replaces an older published version (conditional on
 * the stored version being lower), so a seed run twice, or two at once, stores nothing twice and never undoes a
 * newer edit.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleVersion, PublishedArticle, SeedArticle } from '../kb/article';
import { nowIso } from '../domain/clock';
import type { ArticleReader } from '../kb/published-library';
import { ArticleEntity, isConditionFailure, type Item } from './table';

export const KB_CONFIG_AUTHOR = 'config';
export const KB_SEED_REASON = 'config/kb-articles.json';

export interface ArticleSeedResult {
  /** Versions this run stored. */
  stored: Array<{ id: string; version: number }>;
  /** Articles whose published item this run wrote. */
  published: string[];
}

export class DynamoArticleStore implements ArticleReader {
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
    const articles: PublishedArticle[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.ddb.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :art)',
          ExpressionAttributeValues: { ':pk': ArticleEntity.publishedPartition, ':art': ArticleEntity.publishedPrefix },
          // The revision was bumped after the publish's put: a strongly consistent read sees that put.
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      articles.push(...(out.Items ?? []).map((i) => ArticleEntity.fromItem<PublishedArticle>(i)));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return articles;
  }

  async publishedArticle(id: string): Promise<PublishedArticle | undefined> {
    const out = await this.ddb.send(new GetCommand({ TableName: this.tableName, Key: ArticleEntity.publishedKey(id) }));
    return out.Item ? ArticleEntity.fromItem<PublishedArticle>(out.Item) : undefined;
  }

  /**
   * Steps, per seed article: 1. store its version unless stored; 2. if published, write the published item
   * unless a version as new or newer is published; then 3. bump the revision once if anything was published.
   */
  async seed(articles: readonly SeedArticle[], author: string = KB_CONFIG_AUTHOR): Promise<ArticleSeedResult> {
    const result: ArticleSeedResult = { stored: [], published: [] };
    const at = nowIso();
    for (const { id, status, version, ...content } of articles) {
      const stored: ArticleVersion = { ...content, id, version, status, at, by: author, reason: KB_SEED_REASON };
      if (await this.putIf(ArticleEntity.versionKey(id, version), stored, 'attribute_not_exists(pk)')) result.stored.push({ id, version });
      if (status !== 'published') continue;
      const live: PublishedArticle = { ...content, id, version, publishedAt: at, publishedBy: author };
      if (await this.putIf(ArticleEntity.publishedKey(id), live, 'attribute_not_exists(pk) OR version < :v', { ':v': version })) result.published.push(id);
    }
    if (result.published.length) await this.bumpRevision();
    return result;
  }

  /**
   * A new token rather than a counter: containers only ask whether it changed, and a plain put keeps the seed
   * step's grant to PutItem.
   */
  async bumpRevision(): Promise<void> {
    const at = nowIso();
    await this.ddb.send(new PutCommand({ TableName: this.tableName, Item: { ...ArticleEntity.revisionKey(), entity: 'KB', revision: `${at}#${randomUUID()}`, updatedAt: at } }));
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
