/**
 * The surge topics a supervisor pinned (a typhoon, an epidemic, a water outage), at the top of the intake screen
 * until unpinned or expired: the short script to read, its articles, and a box to log the call under the topic so
 * its calls are counted together.
 */
import type { SurgeTopicView } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { useAsync } from '../../components/hooks';

export function SurgeTopics({ chosen, onChoose }: { chosen?: string; onChoose: (topic: string | undefined) => void }) {
  const { api } = useApp();
  const { t } = useI18n();
  const topics = useAsync(() => api.surgeTopics(), [api]);
  const items: SurgeTopicView[] = topics.data?.items ?? [];
  if (!items.length) return null;
  return (
    <div className="surge-topics" data-testid="surge-topics">
      {items.map((topic) => (
        <section key={topic.id} className="banner warn surge-topic" data-topic-id={topic.id}>
          <h2>{t('surge.title', { title: topic.title })}</h2>
          <p className="surge-script">{topic.script}</p>
          {topic.articles.length > 0 && <p className="muted">{t('surge.articles', { titles: topic.articles.map((a) => a.title).join('、') })}</p>}
          <label>
            <input type="checkbox" name="surgeTopic" checked={chosen === topic.id} onChange={(e) => onChoose(e.target.checked ? topic.id : undefined)} /> {t('surge.logUnder')}
          </label>
        </section>
      ))}
    </div>
  );
}
