/**
 * Knowledge-base articles: the list (by status, by department for supervisors and admins, and those past their
 * review-by date), and the editor: department editors and admins write a draft with a preview and the reason for
 * the change; a supervisor publishes or retires. Supervisors and admins also pin surge topics here.
 */
import { useState } from 'react';
import { ApiError } from '../api/client';
import type { ArticleForEditing, ArticleListItem, ArticleStatus } from '../api/types';
import { useApp } from '../context';
import { useI18n } from '../i18n/react';
import type { MessageKey } from '../i18n';
import { articleBody, articleContent, cityDay, emptyArticleForm, formFromArticle, inLanguage, type ArticleForm } from '../logic/articles';
import { articleHref, canPinSurgeTopics, canPublishArticles, canWriteArticles, href } from '../logic/navigation';
import { formatDateTime, serverClock } from '../logic/time';
import { useAsync } from '../components/hooks';
import { useDisplayName } from '../components/names';
import { ErrorBanner, Field, Loading, NamedOptions, submitKeys, useLabels } from '../components/ui';
import { SurgeTopicAdmin } from './articles/SurgeTopicAdmin';

const STATUSES: readonly ArticleStatus[] = ['draft', 'published', 'retired'];
const statusKey = (s: ArticleStatus): MessageKey => `articles.status.${s}`;

export function ArticlesScreen({ params }: { params: URLSearchParams }) {
  const { session } = useApp();
  const { t } = useI18n();
  const role = session.user.role;
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as ArticleStatus) : undefined;
  const department = params.get('department') ?? undefined;
  const selected = params.get('article') ?? undefined;
  const filters = { status, department };
  const [changed, setChanged] = useState(0);
  // Kept here, not in the form: a saved article is shown by a fresh form at its new version.
  const [notice, setNotice] = useState<{ id: string; message: string } | undefined>();
  const saved = (id: string, message: string) => {
    setChanged((n) => n + 1);
    setNotice({ id, message });
    if (id !== selected) window.location.hash = articleHref(id, filters);
  };
  return (
    <section className="articles">
      <h1>{t('articles.title')}</h1>
      <p className="muted">{t('articles.intro')}</p>
      {canPinSurgeTopics(role) && <SurgeTopicAdmin />}
      <div className="sop-grid">
        <ArticleList filters={filters} selected={selected} changed={changed} />
        <div>
          {notice && notice.id === selected && (
            <p className="banner ok" role="status" data-testid="article-done">
              {notice.message}
            </p>
          )}
          {selected === 'new' && canWriteArticles(role) ? (
            <ArticleEditor key={`new:${params.get('question') ?? ''}`} question={params.get('question') ?? undefined} onChanged={saved} />
          ) : selected ? (
            <ArticleEditor key={`${selected}:${changed}`} id={selected} onChanged={saved} />
          ) : (
            <p className="muted">{t('articles.pick')}</p>
          )}
        </div>
      </div>
    </section>
  );
}

function ArticleList({ filters, selected, changed }: { filters: { status?: ArticleStatus; department?: string }; selected?: string; changed: number }) {
  const { api, session, reference } = useApp();
  const { t, lang } = useI18n();
  const role = session.user.role;
  const list = useAsync(() => api.editorArticles(filters), [api, filters.status, filters.department, changed]);
  const overdue = useAsync(() => api.editorArticles({ department: filters.department, pastReview: true }), [api, filters.department, changed]);
  const go = (next: Record<string, string | undefined>) => (window.location.hash = href('articles', { status: filters.status, department: filters.department, article: selected, ...next }));
  const item = (a: ArticleListItem) => (
    <li key={a.id} data-article-id={a.id} data-status={a.status}>
      <a href={articleHref(a.id, filters)} className={a.id === selected ? 'active' : undefined}>
        {inLanguage(a.title, lang)}{' '}
        <span className="muted">
          v{a.version} · {t(statusKey(a.status))}
        </span>
        {a.publishedVersion !== undefined && a.status !== 'published' && <span className="badge">{t('articles.live', { version: a.publishedVersion })}</span>}
        {a.pastReview && <span className="badge warn">{t('articles.pastReview')}</span>}
      </a>
    </li>
  );
  return (
    <nav className="panel sop-list article-list" aria-label={t('articles.title')}>
      {canWriteArticles(role) && (
        <p>
          <a href={articleHref('new', filters)} className="button" data-testid="new-article">
            {t('articles.new')}
          </a>
        </p>
      )}
      <div className="row wrap">
        <Field label={t('articles.filterStatus')}>
          <select name="statusFilter" value={filters.status ?? ''} onChange={(e) => go({ status: e.target.value || undefined })}>
            <option value="">{t('articles.allStatuses')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(statusKey(s))}
              </option>
            ))}
          </select>
        </Field>
        {role !== 'staff' && (
          <Field label={t('articles.department')}>
            <select name="departmentFilter" value={filters.department ?? ''} onChange={(e) => go({ department: e.target.value || undefined })}>
              <option value="">{t('articles.allDepartments')}</option>
              <NamedOptions items={reference.departments} value={(d) => d.code} />
            </select>
          </Field>
        )}
      </div>
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      {list.loading && !list.data ? (
        <Loading />
      ) : (
        <ul className="plain" data-testid="article-list">
          {(list.data?.items ?? []).map(item)}
          {list.data?.items.length === 0 && <li className="muted">{t('articles.none')}</li>}
        </ul>
      )}
      <ArticleRequests department={filters.department} newHref={(question) => href('articles', { ...filters, article: 'new', question })} />
      <h2>{t('articles.pastReviewList', { n: overdue.data?.items.length ?? 0 })}</h2>
      <ul className="plain" data-testid="past-review-list">
        {(overdue.data?.items ?? []).map((a) => (
          <li key={a.id} data-article-id={a.id}>
            <a href={articleHref(a.id, filters)}>
              {inLanguage(a.title, lang)} <span className="muted">{a.reviewBy}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** Questions agents logged as "no article fit" this month: what the department should write next. */
function ArticleRequests({ department, newHref }: { department?: string; newHref: (question: string) => string }) {
  const { api, session } = useApp();
  const { t } = useI18n();
  const labels = useLabels();
  const requests = useAsync(() => api.articleRequests(department), [api, department]);
  const items = requests.data?.items ?? [];
  return (
    <>
      <h2>{t('articles.requests', { n: items.length })}</h2>
      <ul className="plain" data-testid="article-requests">
        {items.map((r) => (
          <li key={r.caseNo} data-case-no={r.caseNo}>
            {r.question} <span className="muted">{labels.category(r.category)} · {formatDateTime(r.at)}</span>{' '}
            {canWriteArticles(session.user.role) && (
              <a href={newHref(r.question)} data-testid="draft-from-request">
                {t('articles.draftFromRequest')}
              </a>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function ArticleEditor({ id, question, onChanged }: { id?: string; question?: string; onChanged: (id: string, message: string) => void }) {
  const { api } = useApp();
  const loaded = useAsync(() => (id ? api.editorArticle(id) : Promise.resolve(undefined)), [api, id]);
  if (id && loaded.loading && !loaded.data) return <Loading />;
  if (id && loaded.error && !loaded.data) return <ErrorBanner error={loaded.error} onRetry={loaded.reload} />;
  return <ArticleForm current={loaded.data} question={question} onChanged={onChanged} />;
}

function ArticleForm({ current, question, onChanged }: { current?: ArticleForEditing; question?: string; onChanged: (id: string, message: string) => void }) {
  const { api, session, reference } = useApp();
  const { t, lang } = useI18n();
  const labels = useLabels();
  const role = session.user.role;
  const isNew = !current;
  const mayWrite = canWriteArticles(role);
  const [form, setForm] = useState<ArticleForm>(() =>
    current ? formFromArticle(current.article) : { ...emptyArticleForm(session.user.department ?? '', cityDay(serverClock.now())), questions: question ?? '' },
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof ArticleForm>(k: K, v: ArticleForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const preview = articleContent(form);

  const run = async (what: () => Promise<ArticleForEditing>, message: (v: number) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      const saved = await what();
      onChanged(saved.article.id, message(saved.article.version));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = () =>
    run(
      () => (current ? api.editArticle(current.article.id, articleBody(form, false), current.article.version) : api.createArticle(articleBody(form, true))),
      (version) => t('articles.saved', { version }),
    );

  const text = (key: Exclude<keyof ArticleForm, 'categories'>, label: MessageKey, path: string, opts: { rows?: number; required?: boolean; type?: string } = {}) => (
    <Field label={t(label)} error={error} path={path} required={opts.required}>
      {opts.rows ? (
        <textarea name={key} rows={opts.rows} value={form[key]} onChange={(e) => set(key, e.target.value)} disabled={!mayWrite} />
      ) : (
        <input name={key} type={opts.type ?? 'text'} value={form[key]} onChange={(e) => set(key, e.target.value)} disabled={!mayWrite} />
      )}
    </Field>
  );

  return (
    <div className="article-editor" data-testid="article-editor" data-version={current?.article.version}>
      {current && (
        <h2>
          {inLanguage(current.article.title, lang)} <code>{current.article.id}</code> <span className="badge" data-testid="article-status">{t(statusKey(current.article.status))}</span>
          <span className="badge">v{current.article.version}</span>
          {current.publishedVersion !== undefined && <span className="badge">{t('articles.live', { version: current.publishedVersion })}</span>}
          {current.pastReview && <span className="badge warn">{t('articles.pastReview')}</span>}
        </h2>
      )}
      <ErrorBanner
        error={error}
        shownPaths={['id', 'title.zh', 'title.en', 'questions', 'answer.zh', 'answer.en', 'department', 'reviewBy', 'internalNote', 'reason']}
      />
      {error instanceof ApiError && error.status === 412 && <p className="banner warn">{t('error.preconditionFailed')}</p>}
      <div className="article-columns">
        <form
          className="panel"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={submitKeys(() => void save())}
        >
          {!mayWrite && <p className="muted">{t('articles.readOnly')}</p>}
          {isNew && text('id', 'articles.id', 'id', { required: true })}
          {text('titleZh', 'articles.titleZh', 'title.zh', { required: true })}
          {text('titleEn', 'articles.titleEn', 'title.en')}
          {text('questions', 'articles.questions', 'questions', { rows: 3, required: true })}
          {text('answerZh', 'articles.answerZh', 'answer.zh', { rows: 6, required: true })}
          {text('answerEn', 'articles.answerEn', 'answer.en', { rows: 3 })}
          <div className="row wrap">
            <Field label={t('articles.department')} error={error} path="department" required>
              <select name="department" value={form.department} onChange={(e) => set('department', e.target.value)} disabled={!mayWrite || role === 'staff'}>
                <option value="" />
                <NamedOptions items={reference.departments} value={(d) => d.code} />
              </select>
            </Field>
            {text('reviewBy', 'articles.reviewBy', 'reviewBy', { type: 'date', required: true })}
          </div>
          <Field label={t('articles.categories')} error={error} path="categories">
            <select
              name="categories"
              multiple
              size={5}
              value={form.categories}
              onChange={(e) => set('categories', [...e.target.selectedOptions].map((o) => o.value))}
              disabled={!mayWrite}
            >
              <NamedOptions items={reference.sops} value={(sop) => sop.category} />
            </select>
          </Field>
          {text('links', 'articles.links', 'links', { rows: 2 })}
          {text('tags', 'articles.tags', 'tags')}
          {text('internalNote', 'articles.internalNote', 'internalNote', { rows: 2 })}
          {mayWrite && (
            <>
              {text('reason', 'articles.reason', 'reason', { required: true })}
              <div className="actions-bar">
                <button type="submit" className="primary" disabled={busy} data-testid="save-article">
                  {busy ? t('articles.saving') : t('articles.saveDraft')}
                </button>
              </div>
            </>
          )}
        </form>
        <aside className="panel article-preview" data-testid="article-preview" aria-label={t('articles.preview')}>
          <h3>{t('articles.preview')}</h3>
          <h4>{preview.title.zh}</h4>
          <p className="kb-answer">{preview.answer.zh}</p>
          {preview.links.length > 0 && (
            <ul>
              {preview.links.map((l, i) => (
                <li key={i}>
                  <a href={l.url} target="_blank" rel="noreferrer">
                    {l.title}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {preview.internalNote && <p className="muted">{t('kb.internalNote', { note: preview.internalNote })}</p>}
          {preview.questions.length > 0 && (
            <>
              <h4>{t('articles.previewQuestions')}</h4>
              <ul>
                {preview.questions.map((q, i) => (
                  <li key={i}>{q}</li>
                ))}
              </ul>
            </>
          )}
          <p className="muted">
            {labels.department(preview.department)} · {preview.categories.map((c) => labels.category(c)).join('、')} · {t('articles.reviewBy')} {preview.reviewBy}
          </p>
        </aside>
      </div>
      {current && canPublishArticles(role) && <StatusChange current={current} busy={busy} error={error} run={run} />}
      {current && <ArticleVersions id={current.article.id} version={current.article.version} />}
    </div>
  );
}

function StatusChange({ current, busy, error, run }: { current: ArticleForEditing; busy: boolean; error: unknown; run: (what: () => Promise<ArticleForEditing>, message: (v: number) => string) => Promise<void> }) {
  const { api } = useApp();
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { id, version, status } = current.article;
  const change = (what: 'publish' | 'retire') =>
    void run(
      () => api.changeArticleStatus(id, what, reason, version),
      (v) => t(what === 'publish' ? 'articles.published' : 'articles.retiredDone', { version: v }),
    );
  return (
    <div className="panel row wrap article-status">
      <Field label={t('articles.statusReason')} error={error} path="reason" required>
        <input name="statusReason" value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
      </Field>
      <button type="button" className="primary" disabled={busy || status !== 'draft'} onClick={() => change('publish')} data-testid="publish-article">
        {t('articles.publish')}
      </button>
      <button type="button" disabled={busy || status === 'retired'} onClick={() => change('retire')} data-testid="retire-article">
        {t('articles.retire')}
      </button>
    </div>
  );
}

function ArticleVersions({ id, version }: { id: string; version: number }) {
  const { api } = useApp();
  const { t } = useI18n();
  const versions = useAsync(() => api.articleVersions(id), [api, id, version]);
  const author = useDisplayName((versions.data?.items ?? []).map((v) => v.by));
  return (
    <section className="panel">
      <h3>{t('articles.versions')}</h3>
      <ol className="plain versions" data-testid="article-versions">
        {(versions.data?.items ?? []).map((v) => (
          <li key={v.version}>
            {t('articles.versionLine', { version: v.version, status: t(statusKey(v.status)), at: formatDateTime(v.at), by: author(v.by) })}
            <span className="muted"> · {v.reason}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
