/**
 * A surge topic (a typhoon, an epidemic, a water outage): a supervisor pins it with a short script and its
 * articles, every agent sees it at the top of the intake screen until it is unpinned or expires, and the calls
 * logged under it are counted together.
 */
import * as z from 'zod';
import { articleIdSchema } from './article';

export const SURGE_LIMITS = { title: 80, script: 1000, articles: 10, maxDays: 30 } as const;

export const surgeTopicIdSchema = z.string().regex(/^[a-z][a-z0-9-]{2,63}$/, 'must be 3-64 lower-case letters, digits or -');

export const pinSurgeTopicBody = z
  .strictObject({
    id: surgeTopicIdSchema.meta({ examples: ['typhoon-2026-krathon'] }),
    title: z.string().trim().min(1, 'must not be empty').max(SURGE_LIMITS.title, `must be at most ${SURGE_LIMITS.title} characters`),
    script: z.string().trim().min(1, 'must not be empty').max(SURGE_LIMITS.script, `must be at most ${SURGE_LIMITS.script} characters`),
    articleIds: z
      .array(articleIdSchema)
      .max(SURGE_LIMITS.articles, `at most ${SURGE_LIMITS.articles} articles`)
      .refine((ids) => new Set(ids).size === ids.length, 'articles must not repeat')
      .default([]),
    expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant' }).meta({ description: `When it leaves the intake screen by itself (at most ${SURGE_LIMITS.maxDays} days ahead)` }),
  })
  .meta({ id: 'PinSurgeTopic' });
export type PinSurgeTopic = z.output<typeof pinSurgeTopicBody>;

export interface SurgeTopic {
  id: string;
  title: string;
  script: string;
  articleIds: string[];
  expiresAt: string;
  pinnedBy: string;
  pinnedAt: string;
  unpinnedAt?: string;
  unpinnedBy?: string;
}

export function isActive(topic: SurgeTopic, at: Date): boolean {
  return !topic.unpinnedAt && new Date(topic.expiresAt).getTime() > at.getTime();
}
