/**
 * The article editor's form: what the editor types (one question or link per line, tags separated by commas)
 * and the API body it becomes (functions/kb/api-schemas.ts articleEditBody). The preview shows the same body, so
 * what is previewed is exactly what is saved.
 */
import type { ArticleContentView, ArticleVersionView } from '../api/types';
import { TIME_ZONE } from './time';

export interface ArticleForm {
  /** Only for a new article; an article's id never changes. */
  id: string;
  titleZh: string;
  titleEn: string;
  /** One caller phrasing per line. */
  questions: string;
  answerZh: string;
  answerEn: string;
  department: string;
  categories: string[];
  /** One link per line: `title | https://...` (a bare URL is its own title). */
  links: string;
  /** Separated by commas (，、 too). */
  tags: string;
  reviewBy: string;
  internalNote: string;
  reason: string;
}

/** A new article's form: the editor's department, a review-by date a year from today (YYYY-MM-DD). */
export function emptyArticleForm(department: string, today: string): ArticleForm {
  const [y, m, d] = today.split('-');
  return { id: '', titleZh: '', titleEn: '', questions: '', answerZh: '', answerEn: '', department, categories: [], links: '', tags: '', reviewBy: `${Number(y) + 1}-${m}-${d}`, internalNote: '', reason: '' };
}

export function formFromArticle(a: ArticleVersionView): ArticleForm {
  return {
    id: a.id,
    titleZh: a.title.zh,
    titleEn: a.title.en ?? '',
    questions: a.questions.join('\n'),
    answerZh: a.answer.zh,
    answerEn: a.answer.en ?? '',
    department: a.department,
    categories: [...a.categories],
    links: a.links.map((l) => `${l.title} | ${l.url}`).join('\n'),
    tags: a.tags.join(', '),
    reviewBy: a.reviewBy,
    internalNote: a.internalNote ?? '',
    reason: '',
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The article's content as the API takes it; English and the internal note only when written. */
export function articleContent(form: ArticleForm): ArticleContentView {
  return {
    title: { zh: form.titleZh, ...(form.titleEn.trim() ? { en: form.titleEn } : {}) },
    questions: lines(form.questions),
    answer: { zh: form.answerZh, ...(form.answerEn.trim() ? { en: form.answerEn } : {}) },
    department: form.department,
    categories: form.categories,
    links: lines(form.links).map((line) => {
      const bar = line.lastIndexOf('|');
      if (bar < 0) return { title: line, url: line };
      return { title: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
    }),
    tags: form.tags
      .split(/[,，、]/)
      .map((t) => t.trim())
      .filter(Boolean),
    reviewBy: form.reviewBy,
    ...(form.internalNote.trim() ? { internalNote: form.internalNote } : {}),
  };
}

/** The body of a save: the content and why; a new article also names its id. */
export function articleBody(form: ArticleForm, isNew: boolean): Record<string, unknown> {
  return { ...(isNew ? { id: form.id.trim() } : {}), ...articleContent(form), reason: form.reason };
}

/** A surge topic's expiry from "hours from now". */
export function expiryFrom(nowMs: number, hours: number): string {
  return new Date(nowMs + hours * 3600_000).toISOString();
}

/** The city's calendar day (YYYY-MM-DD) at an instant: review-by dates are days in Taipei. */
export function cityDay(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** An article's text in the console's language; zh-TW is always written, English only sometimes. */
export function inLanguage(text: { zh: string; en?: string }, lang: string): string {
  return (lang === 'en' && text.en) || text.zh;
}
