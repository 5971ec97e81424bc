/** The dashboard's calendar and the console API's documentation; pure, no table. */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi';
import { dashboardPeriods } from '../../functions/usecases/dashboard';
import { expectNoReporterData } from './support/console-api';

describe('dashboard periods (Asia/Taipei, weeks from Monday)', () => {
  it.each([
    ['Sunday 23:59 in Taipei is still last week', '2026-11-22T15:59:59.999Z', { week: { from: '2026-11-16', to: '2026-11-22' }, month: { from: '2026-11-01', to: '2026-11-22' } }],
    ['Monday 00:00 in Taipei starts a new week (still Sunday in UTC)', '2026-11-22T16:00:00.000Z', { week: { from: '2026-11-23', to: '2026-11-23' }, month: { from: '2026-11-01', to: '2026-11-23' } }],
    ['the 1st at 00:00 in Taipei starts a new month (still the 30th in UTC)', '2026-11-30T16:00:00.000Z', { week: { from: '2026-11-30', to: '2026-12-01' }, month: { from: '2026-12-01', to: '2026-12-01' } }],
    ['a week across the new year', '2027-01-01T04:00:00.000Z', { week: { from: '2026-12-28', to: '2027-01-01' }, month: { from: '2027-01-01', to: '2027-01-01' } }],
  ])('%s', (_rule, at, periods) => {
    expect(dashboardPeriods(new Date(at))).toEqual(periods);
  });
});

describe('the OpenAPI document lists the console API', () => {
  const doc = openApiDocument();

  it('with its schemas, the If-Match of a SOP edit and its 412/428', () => {
    const edit = doc.paths['/sops/{category}'].put as { parameters: Array<{ name: string; in: string; required: boolean }>; responses: Record<string, unknown> };

    expect(doc.paths['/cases/duplicates'].get).toMatchObject({ operationId: 'findDuplicateCases' });
    expect(doc.paths['/dashboard'].get).toMatchObject({ responses: { 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Dashboard' } } } } } });
    expect(doc.paths['/queues/department'].get).toMatchObject({ operationId: 'departmentQueue' });
    expect(edit.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: true }));
    expect(Object.keys(edit.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '412', '428']));
  });
});

describe('the reporter-data check used by these tests', () => {
  it('catches a masked phone, a name and the reporter key, anywhere in a body', () => {
    expect(() => expectNoReporterData({ items: [{ note: '回電 0912-***-678' }] })).toThrow();
    expect(() => expectNoReporterData({ a: { b: ['王小明'] } })).toThrow();
    expect(() => expectNoReporterData({ reporter: {} })).toThrow();
    expect(() => expectNoReporterData({ items: [{ caseNo: '20261127-00001' }] })).not.toThrow();
  });
});
