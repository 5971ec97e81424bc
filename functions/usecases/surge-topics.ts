/**
 * Surge topics: pinned by a supervisor, shown at the top of every agent's intake screen until unpinned or expired.
 *   pinSurgeTopic steps: the expiry must be in the future and within SURGE_LIMITS.maxDays; every article must be
 *   published (400 naming `articleIds.<i>`); a conditional put (an id used before is a 409).
 *   activeSurgeTopics steps: one Query of the topics, those not unpinned and not expired, newest first, with their
 *   articles' titles.
 *   unpinSurgeTopic: a conditional update (404 when not pinned).
 */
import type { Actor } from '../domain/actor';
import { now } from '../domain/clock';
import { ValidationError, type FieldProblem } from '../domain/errors';
import type { PublishedArticle } from '../kb/article';
import { isActive, SURGE_LIMITS, type PinSurgeTopic, type SurgeTopic } from '../kb/surge-topic';

export interface SurgeTopicStore {
  all(): Promise<SurgeTopic[]>;
  pin(topic: SurgeTopic): Promise<void>;
  unpin(id: string, by: string, at: string): Promise<void>;
}

export interface SurgeTopicPorts {
  topics: SurgeTopicStore;
  articles: { publishedArticle(id: string): Promise<PublishedArticle | undefined> };
}

export type SurgeTopicView = SurgeTopic & { articles: Array<{ id: string; title: string }> };

const DAY_MS = 24 * 60 * 60 * 1000;

export async function pinSurgeTopic(ports: SurgeTopicPorts, actor: Actor, input: PinSurgeTopic): Promise<SurgeTopic> {
  const at = now();
  const expires = new Date(input.expiresAt).getTime();
  const problems: FieldProblem[] = [];
  if (expires <= at.getTime()) problems.push({ path: 'expiresAt', message: 'must be in the future' });
  else if (expires > at.getTime() + SURGE_LIMITS.maxDays * DAY_MS) problems.push({ path: 'expiresAt', message: `must be within ${SURGE_LIMITS.maxDays} days` });
  const found = await Promise.all(input.articleIds.map((id) => ports.articles.publishedArticle(id)));
  found.forEach((a, i) => {
    if (!a) problems.push({ path: `articleIds.${i}`, message: `"${input.articleIds[i]}" is not a published article` });
  });
  if (problems.length) throw new ValidationError('The surge topic cannot be pinned', problems);
  const topic: SurgeTopic = { ...input, expiresAt: new Date(expires).toISOString(), pinnedBy: actor.id, pinnedAt: at.toISOString() };
  await ports.topics.pin(topic);
  return topic;
}

export async function activeSurgeTopics(ports: SurgeTopicPorts): Promise<{ items: SurgeTopicView[] }> {
  const at = now();
  const active = (await ports.topics.all()).filter((t) => isActive(t, at)).sort((a, b) => b.pinnedAt.localeCompare(a.pinnedAt));
  const items = await Promise.all(
    active.map(async (t) => {
      const articles = await Promise.all(t.articleIds.map((id) => ports.articles.publishedArticle(id)));
      return { ...t, articles: articles.flatMap((a) => (a ? [{ id: a.id, title: a.title.zh }] : [])) };
    }),
  );
  return { items };
}

export async function unpinSurgeTopic(ports: SurgeTopicPorts, actor: Actor, id: string): Promise<void> {
  await ports.topics.unpin(id, actor.id, now().toISOString());
}

/** The active topic a call is logged under (400 naming `surgeTopic` when it is not one). */
export async function activeTopic(topics: Pick<SurgeTopicStore, 'all'>, id: string): Promise<SurgeTopic> {
  const topic = (await topics.all()).find((t) => t.id === id);
  if (!topic || !isActive(topic, now())) throw new ValidationError('Unknown surge topic', [{ path: 'surgeTopic', message: `"${id}" is not a pinned surge topic` }]);
  return topic;
}
