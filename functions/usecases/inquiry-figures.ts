/**
 * The knowledge base's figures and the departments' article requests.
 *   inquiryFigures steps: 1. the month's inquiry counters (one Query); 2. first-contact resolution = inquiries
 *   closed on the call (answered + no article) / all inquiries; 3. the most used articles with their titles
 *   (published ones, from the container's library); 4. the month's latest questions no article answered.
 *   listArticleRequests steps: department staff read their own department's requests, supervisors and admins any
 *   department's or all.
 */
import type { Actor } from '../domain/actor';
import { taipeiDate } from '../domain/case-number';
import { now } from '../domain/clock';
import { ForbiddenError } from '../domain/errors';
import type { PublishedLibrary } from '../kb/published-library';
import type { ArticleRequest, InquiryLog } from './ports';

export interface InquiryFiguresPorts {
  inquiries: Pick<InquiryLog, 'figures' | 'articleRequests'>;
  library: Pick<PublishedLibrary, 'current'>;
}

export const TOP_ARTICLES = 10;
export const LATEST_QUESTIONS = 20;

export interface InquiryFiguresView {
  month: string;
  inquiries: number;
  closedOnCall: number;
  answered: number;
  noArticle: number;
  escalated: number;
  /** closedOnCall / inquiries; null without inquiries. */
  firstContactResolution: number | null;
  topArticles: Array<{ articleId: string; title?: string; calls: number }>;
  questionsWithoutArticle: ArticleRequest[];
  callsPerSurgeTopic: Array<{ topic: string; calls: number }>;
}

export function currentMonth(): string {
  return taipeiDate(now()).slice(0, 7);
}

export async function inquiryFigures(ports: InquiryFiguresPorts, month: string = currentMonth()): Promise<InquiryFiguresView> {
  const [figures, questions, { articles }] = await Promise.all([
    ports.inquiries.figures(month),
    ports.inquiries.articleRequests(month, undefined, LATEST_QUESTIONS),
    ports.library.current(),
  ]);
  const closedOnCall = figures.answered + figures.noArticle;
  const inquiries = closedOnCall + figures.escalated;
  const ranked = <K extends string>(counts: Record<string, number>, key: K) =>
    Object.entries(counts)
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .map(([id, calls]) => ({ [key]: id, calls }) as Record<K, string> & { calls: number });
  return {
    month,
    inquiries,
    closedOnCall,
    answered: figures.answered,
    noArticle: figures.noArticle,
    escalated: figures.escalated,
    firstContactResolution: inquiries ? closedOnCall / inquiries : null,
    topArticles: ranked(figures.articles, 'articleId')
      .slice(0, TOP_ARTICLES)
      .map((a) => ({ ...a, ...(articles.get(a.articleId) ? { title: articles.get(a.articleId)!.title.zh } : {}) })),
    questionsWithoutArticle: questions,
    callsPerSurgeTopic: ranked(figures.topics, 'topic'),
  };
}

export async function listArticleRequests(ports: Pick<InquiryFiguresPorts, 'inquiries'>, actor: Actor, query: { month?: string; department?: string; limit?: number }): Promise<{ items: ArticleRequest[] }> {
  // Staff always get their own department's, whatever they name.
  if (actor.role === 'staff' && !actor.department) throw new ForbiddenError('Department staff without a department');
  const department = actor.role === 'staff' ? actor.department : query.department;
  return { items: await ports.inquiries.articleRequests(query.month ?? currentMonth(), department, query.limit ?? 100) };
}
