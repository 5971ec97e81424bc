/**
 * Supervisors and admins pin a surge topic (a typhoon, an epidemic, a water outage) with a short script and its
 * articles for every agent's intake screen, and unpin it when it is over (it also leaves by itself at expiry).
 */
import { useState } from 'react';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { expiryFrom } from '../../logic/articles';
import { formatDateTime, serverClock } from '../../logic/time';
import { useAsync } from '../../components/hooks';
import { ErrorBanner, Field } from '../../components/ui';

const EMPTY = { id: '', title: '', script: '', articleIds: '', hours: '24' };

export function SurgeTopicAdmin() {
  const { api } = useApp();
  const { t } = useI18n();
  const topics = useAsync(() => api.surgeTopics(), [api]);
  const [form, setForm] = useState(EMPTY);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof EMPTY, v: string) => setForm((f) => ({ ...f, [k]: v }));

  const act = async (what: () => Promise<string | undefined>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await what());
      topics.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const pin = () =>
    act(async () => {
      const articleIds = form.articleIds
        .split(/[,，、\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      const topic = await api.pinSurgeTopic({ id: form.id.trim(), title: form.title, script: form.script, articleIds, expiresAt: expiryFrom(serverClock.now(), Number(form.hours) || 0) });
      setForm(EMPTY);
      return t('surgeAdmin.pinned', { title: topic.title });
    });

  return (
    <section className="panel surge-admin" data-testid="surge-admin">
      <h2>{t('surgeAdmin.title')}</h2>
      <ul className="plain">
        {(topics.data?.items ?? []).map((topic) => (
          <li key={topic.id} data-topic-id={topic.id}>
            <strong>{topic.title}</strong> <span className="muted">{t('surgeAdmin.expires', { at: formatDateTime(topic.expiresAt) })}</span>{' '}
            <button type="button" className="link" disabled={busy} onClick={() => void act(async () => (await api.unpinSurgeTopic(topic.id), undefined))} data-testid="unpin-topic">
              {t('surgeAdmin.unpin')}
            </button>
          </li>
        ))}
        {topics.data?.items.length === 0 && <li className="muted">{t('surgeAdmin.none')}</li>}
      </ul>
      {done && (
        <p className="banner ok" role="status">
          {done}
        </p>
      )}
      <ErrorBanner error={error} shownPaths={['id', 'title', 'script', 'articleIds', 'expiresAt']} />
      <form
        className="row wrap"
        onSubmit={(e) => {
          e.preventDefault();
          void pin();
        }}
      >
        <Field label={t('surgeAdmin.id')} error={error} path="id" required>
          <input name="topicId" value={form.id} onChange={(e) => set('id', e.target.value)} />
        </Field>
        <Field label={t('surgeAdmin.topicTitle')} error={error} path="title" required>
          <input name="topicTitle" value={form.title} onChange={(e) => set('title', e.target.value)} />
        </Field>
        <Field label={t('surgeAdmin.script')} error={error} path="script" required>
          <textarea name="topicScript" rows={2} value={form.script} onChange={(e) => set('script', e.target.value)} />
        </Field>
        <Field label={t('surgeAdmin.articleIds')} error={error} path="articleIds">
          <input name="topicArticles" value={form.articleIds} onChange={(e) => set('articleIds', e.target.value)} />
        </Field>
        <Field label={t('surgeAdmin.hours')} error={error} path="expiresAt" required>
          <input name="topicHours" type="number" min={1} max={720} value={form.hours} onChange={(e) => set('hours', e.target.value)} />
        </Field>
        <button type="submit" className="primary" disabled={busy} data-testid="pin-topic">
          {t('surgeAdmin.pin')}
        </button>
      </form>
    </section>
  );
}
