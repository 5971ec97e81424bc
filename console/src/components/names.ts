/**
 * People's display names for the ids timelines record, from the staff directory (GET /users). A name found is kept
 * for the page's life (a name seldom changes, and a timeline is re-read every few seconds while it moves); an id
 * not found is asked again by the next timeline shown, since that person may sign in (PUT /me) meanwhile.
 */
import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';

/** id -> name of the ids the directory knew. */
const known = new Map<string, string>();
const MACHINE_ACTORS = new Set(['workflow', 'system']);

export function useDisplayName(ids: readonly string[]): (id: string) => string {
  const { api, session } = useApp();
  const { t } = useI18n();
  const [, answered] = useState(0);
  known.set(session.user.sub, session.user.name);
  const missing = [...new Set(ids)].filter((id) => !known.has(id) && !MACHINE_ACTORS.has(id)).sort();
  const ask = missing.join(',');
  useEffect(() => {
    if (!ask) return;
    let live = true;
    const asked = ask.split(',');
    api.users(asked).then(
      (profiles) => {
        for (const p of profiles) known.set(p.id, p.name);
        if (live) answered((n) => n + 1);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, ask]);
  return (id) => {
    if (id === 'workflow') return t('actor.workflow');
    if (id === 'system') return t('actor.system');
    return known.get(id) ?? shortId(id);
  };
}

/** An unknown id shortened (a Cognito sub is 36 characters): enough to tell two apart. */
function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}
