/**
 * What inquiries leave behind besides their case: the questions no article answered, kept per department as
 * article requests, and the figures (inquiries by outcome, calls per article) as idempotent counters per Taipei
 * day (keys: `ArticleRequestEntity`, `InquiryStatsEntity` in table.ts). Every write is conditional on not having
 * been made for the same case, so a retried intake records and counts nothing twice.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleRequest, InquiryCount, InquiryFigures, InquiryLog } from '../usecases/ports';
import { countOnce } from './case-statistics';
import { ArticleRequestEntity, InquiryStatsEntity, isConditionFailure } from './table';
import { queryAll } from './case-queues';

export class DynamoInquiryLog implements InquiryLog {
  constructor(
    private readonly ddb: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordArticleRequest(r: ArticleRequest): Promise<void> {
    try {
      await this.ddb.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...ArticleRequestEntity.key(r.department, r.at, r.caseNo), entity: 'KB', ...r },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  /** A month's article requests (Taipei month), of one department or of all, newest first. */
  async articleRequests(month: string, department: string | undefined, limit: number): Promise<ArticleRequest[]> {
    const byDepartment = department !== undefined;
    const items = await queryAll(this.ddb, {
      TableName: this.tableName,
      KeyConditionExpression: byDepartment ? 'pk = :pk AND begins_with(sk, :dept)' : 'pk = :pk',
      ExpressionAttributeValues: { ':pk': ArticleRequestEntity.partition(month), ...(byDepartment ? { ':dept': ArticleRequestEntity.departmentPrefix(department) } : {}) },
      ScanIndexForward: false,
    });
    return items
      .map((i) => ({ department: String(i.department), at: String(i.at), caseNo: String(i.caseNo), category: String(i.category), question: String(i.question) }))
      .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
      .slice(0, limit);
  }

  async countInquiry(c: InquiryCount): Promise<void> {
    await countOnce(this.ddb, this.tableName, InquiryStatsEntity.key(c.day), c.outcome, c.caseNo, { day: c.day });
    if (c.articleId) await countOnce(this.ddb, this.tableName, InquiryStatsEntity.key(c.day, { article: c.articleId }), InquiryStatsEntity.countAttribute, c.caseNo, { day: c.day, article: c.articleId });
  }

  async countSurgeCall(c: { day: string; caseNo: string; topic: string }): Promise<void> {
    await countOnce(this.ddb, this.tableName, InquiryStatsEntity.key(c.day, { topic: c.topic }), InquiryStatsEntity.countAttribute, c.caseNo, { day: c.day, topic: c.topic });
  }

  /** The month's figures: one Query of its partition (markers left out of what is returned). */
  async figures(month: string): Promise<InquiryFigures> {
    const items = await queryAll(this.ddb, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ProjectionExpression: 'sk, article, topic, calls, answered, #noArticle, escalated',
      ExpressionAttributeNames: { '#noArticle': 'no-article' },
      ExpressionAttributeValues: { ':pk': InquiryStatsEntity.partition(month) },
    });
    const figures: InquiryFigures = { month, answered: 0, noArticle: 0, escalated: 0, articles: {}, topics: {} };
    for (const i of items) {
      const n = (v: unknown) => (typeof v === 'number' ? v : 0);
      if (typeof i.article === 'string') figures.articles[i.article] = (figures.articles[i.article] ?? 0) + n(i.calls);
      else if (typeof i.topic === 'string') figures.topics[i.topic] = (figures.topics[i.topic] ?? 0) + n(i.calls);
      else {
        figures.answered += n(i.answered);
        figures.noArticle += n(i['no-article']);
        figures.escalated += n(i.escalated);
      }
    }
    return figures;
  }
}
