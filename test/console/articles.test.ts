/** The article editor's form: what the editor types becomes exactly the body the API validates. */
import { describe, expect, it } from 'vitest';
import { articleBody, cityDay, emptyArticleForm, formFromArticle } from '../../console/src/logic/articles';
import { articleDraftBody } from '../../functions/kb/api-schemas';
import type { ArticleVersionView } from '../../console/src/api/types';

describe('article form', () => {
  it('turns lines into questions and links, commas into tags, and leaves out English and the note when not written', () => {
    const form = {
      ...emptyArticleForm('PWD', '2026-12-03'),
      id: 'loose-drain-cover',
      titleZh: '水溝蓋鬆動',
      questions: '水溝蓋鬆動\n\n  水溝蓋會晃  ',
      answerZh: '請告知地點。',
      links: '工務局 | https://pwd.example.gov.tw\nhttps://example.gov.tw/a',
      tags: '道路，水溝、 蓋子',
      reason: '新增',
    };

    const body = articleBody(form, true);

    expect(body).toEqual({
      id: 'loose-drain-cover',
      title: { zh: '水溝蓋鬆動' },
      questions: ['水溝蓋鬆動', '水溝蓋會晃'],
      answer: { zh: '請告知地點。' },
      department: 'PWD',
      categories: [],
      links: [
        { title: '工務局', url: 'https://pwd.example.gov.tw' },
        { title: 'https://example.gov.tw/a', url: 'https://example.gov.tw/a' },
      ],
      tags: ['道路', '水溝', '蓋子'],
      reviewBy: '2027-12-03',
      reason: '新增',
    });
    expect(articleDraftBody.safeParse(body).success).toBe(true);
  });

  it('an edit round-trips a stored version and never sends the id', () => {
    const stored: ArticleVersionView = {
      id: 'a-b-c',
      version: 3,
      status: 'published',
      at: '2026-12-01T00:00:00.000Z',
      by: 'x',
      reason: 'r',
      title: { zh: '標題', en: 'Title' },
      questions: ['問一', '問二'],
      answer: { zh: '答', en: 'A' },
      department: 'EPD',
      categories: ['litter'],
      links: [{ title: '連結', url: 'https://example.gov.tw' }],
      tags: ['t1', 't2'],
      reviewBy: '2027-06-30',
      internalNote: '內部',
    };

    const { id: _id, version: _v, status: _s, at: _at, by: _by, reason: _r, ...content } = stored;

    expect(articleBody({ ...formFromArticle(stored), reason: '改' }, false)).toEqual({ ...content, reason: '改' });
  });

  it('review-by dates are days in Taipei', () => {
    expect(cityDay(Date.parse('2026-12-03T17:00:00.000Z'))).toBe('2026-12-04');
  });
});
