/**
 * The intake side panel's answers: as the agent types what the caller says, the best-matching published articles
 * (title and a snippet with the caller's words marked, when published, a warning when past its review-by date).
 * Opening one shows the answer to read aloud, its links and the note for agents; on an inquiry the agent can log
 * the call as answered by it.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { ArticleHit, TextRange } from '../../api/types';
import { useApp } from '../../context';
import { useI18n } from '../../i18n/react';
import { formatDateTime } from '../../logic/time';
import { ErrorBanner } from '../../components/ui';

/** Shorter text is not a question yet; the search would only be noise. */
const MIN_QUERY = 2;
const DEBOUNCE_MS = 250;

export function KnowledgePanel({ text, category, usedArticle, onUse }: { text: string; category: string; usedArticle?: string; onUse?: (hit: ArticleHit) => void }) {
  const { api } = useApp();
  const { t, pick } = useI18n();
  const q = text.trim();
  const question = JSON.stringify([q, category]);
  const [state, setState] = useState<{ items?: ArticleHit[]; error?: unknown; question?: string }>({});
  const [open, setOpen] = useState<string>();

  useEffect(() => {
    if (q.length < MIN_QUERY) return;
    let live = true;
    const timer = setTimeout(() => {
      api.searchArticles(q, category).then(
        (page) => live && setState({ items: page.items, question }),
        (error: unknown) => live && setState({ error, question }),
      );
    }, DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, q, category, question]);

  if (q.length < MIN_QUERY) return <p className="panel muted kb-panel">{t('kb.hint')}</p>;
  const items = state.items ?? [];
  return (
    <section className="panel kb-panel" aria-labelledby="kb-title" aria-live="polite" data-loaded={state.question === question}>
      <h2 id="kb-title">{t('kb.title')}</h2>
      <ErrorBanner error={state.error} />
      {state.items && items.length === 0 && <p className="muted">{t('kb.none')}</p>}
      <ul className="kb-list">
        {items.map((hit) => (
          <li key={hit.id} data-article-id={hit.id} className={hit.id === usedArticle ? 'used' : undefined}>
            <button type="button" className="link kb-title" aria-expanded={open === hit.id} onClick={() => setOpen(open === hit.id ? undefined : hit.id)}>
              {marked(hit.title.zh, hit.titleHighlights)}
            </button>
            <div className="muted kb-meta">
              {t('kb.published', { at: formatDateTime(hit.publishedAt) })}
              {hit.pastReview && <span className="badge warn"> {t('kb.pastReview', { date: hit.reviewBy })}</span>}
            </div>
            {open !== hit.id && (
              <p className="kb-snippet">
                {hit.snippet.cutStart && '…'}
                {marked(hit.snippet.text, hit.snippet.highlights)}
                {hit.snippet.cutEnd && '…'}
              </p>
            )}
            {open === hit.id && (
              <div className="kb-article" data-testid="kb-article">
                <p className="kb-answer">{pick({ zh: hit.answer.zh, en: hit.answer.en ?? hit.answer.zh })}</p>
                {hit.internalNote && <p className="banner info">{t('kb.internalNote', { note: hit.internalNote })}</p>}
                {hit.links.length > 0 && (
                  <ul className="kb-links">
                    {hit.links.map((l) => (
                      <li key={l.url}>
                        <a href={l.url} target="_blank" rel="noreferrer">
                          {l.title}
                        </a>
                      </li>
                    ))}
                  </ul>
                )}
                {onUse && (
                  <button type="button" className="primary" onClick={() => onUse(hit)} data-testid="kb-use">
                    {hit.id === usedArticle ? t('kb.used') : t('kb.use')}
                  </button>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The text with its matched ranges in <mark>, built as elements (never as HTML). */
function marked(text: string, ranges: readonly TextRange[]): ReactNode[] {
  const out: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start < at || end > text.length) continue;
    if (start > at) out.push(text.slice(at, start));
    out.push(<mark key={start}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}
