import { describe, expect, it } from 'vitest';
import { loadConfig, shippedCalendar, shippedPublicHolidays } from '../../functions/config/load';
import type { Sop, VersionedSop } from '../../functions/config/schema';
import { ValidationError } from '../../functions/domain/errors';
import { SlaCalendar } from '../../functions/domain/sla-calendar';
import { askedInOrder, decideRouting, readAttributes, resolveDepartment, validateAttributes } from '../../functions/domain/sop';

const calendar = shippedCalendar();
const taipei = (local: string): Date => new Date(`${local}+08:00`);
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
const shipped = (category: string, version = 1): VersionedSop => {
  const sop = loadConfig().sops.find((s) => s.category === category);
  if (!sop) throw new Error(`no SOP ${category}`);
  return { ...sop, version };
};

/** A SOP built in the test, so routing rules are checked independently of the shipped data. */
const sop = (over: Partial<Sop> = {}): VersionedSop => ({
  category: 'test-category',
  name: { zh: '測試', en: 'Test' },
  keywords: [],
  caseType: 'dispatch',
  defaultDepartment: 'PWD',
  districtOverrides: {},
  priority: 'normal',
  acknowledgeWithin: { amount: 2, unit: 'workingHours' },
  resolveWithin: { amount: 3, unit: 'workingDays' },
  urgent: { acknowledgeWithin: { amount: 0.5, unit: 'calendarHours' }, resolveWithin: { amount: 24, unit: 'calendarHours' } },
  followUpAfter: { amount: 3, unit: 'workingDays' },
  surveyWindow: { amount: 3, unit: 'workingDays' },
  notifyCitizen: true,
  attributes: [],
  version: 4,
  ...over,
});

describe('SOP routing: department', () => {
  it('uses the default department when the district has no override', () => {
    expect(decideRouting(sop({ districtOverrides: { fuxing: 'TRAN' } }), { district: 'zhongli' }, taipei('2026-11-25T10:00:00'), calendar).department).toBe('PWD');
  });

  it('a district override wins over the default', () => {
    expect(decideRouting(sop({ districtOverrides: { fuxing: 'TRAN' } }), { district: 'fuxing' }, taipei('2026-11-25T10:00:00'), calendar).department).toBe('TRAN');
  });

  it('the DIST token becomes the district office of the case district', () => {
    expect(resolveDepartment(sop({ defaultDepartment: 'DIST' }), 'zhongli')).toBe('DIST-ZHONGLI');
    expect(resolveDepartment(sop({ defaultDepartment: 'DIST' }), 'bade')).toBe('DIST-BADE');
  });

  it('an override to DIST sends only that district to its office', () => {
    const s = sop({ defaultDepartment: 'WATER', districtOverrides: { guanyin: 'DIST' } });
    expect(resolveDepartment(s, 'guanyin')).toBe('DIST-GUANYIN');
    expect(resolveDepartment(s, 'taoyuan')).toBe('WATER');
  });

  it('shipped SOPs: a street light goes to the district office, a Fuxing pothole to Fuxing district office, a Zhongli one to PWD', () => {
    expect(resolveDepartment(shipped('street-light'), 'luzhu')).toBe('DIST-LUZHU');
    expect(resolveDepartment(shipped('pothole'), 'fuxing')).toBe('DIST-FUXING');
    expect(resolveDepartment(shipped('pothole'), 'zhongli')).toBe('PWD');
  });

  it('a malformed district is a ValidationError on location.district', () => {
    for (const district of ['Zhongli District', '']) {
      const error = thrown(() => resolveDepartment(sop(), district));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).fields).toEqual([expect.objectContaining({ path: 'location.district' })]);
    }
  });
});

describe('SOP routing: priority, deadlines and version', () => {
  const at = taipei('2026-11-27T16:30:00'); // Friday afternoon

  it('a normal case gets working-time deadlines and records the SOP version', () => {
    expect(decideRouting(sop(), { district: 'zhongli' }, at, calendar)).toEqual({
      department: 'PWD',
      priority: 'normal',
      sopVersion: 4,
      acknowledgeDueAt: taipei('2026-11-30T09:30:00').toISOString(),
      resolveDueAt: taipei('2026-12-02T16:30:00').toISOString(),
    });
  });

  it('a priority override to urgent wins and switches to the urgent calendar-hour deadlines', () => {
    const d = decideRouting(sop(), { district: 'zhongli', priorityOverride: 'urgent' }, at, calendar);
    expect(d.priority).toBe('urgent');
    expect(d.acknowledgeDueAt).toBe(taipei('2026-11-27T17:00:00').toISOString());
    expect(d.resolveDueAt).toBe(taipei('2026-11-28T16:30:00').toISOString());
  });

  it('a priority override to normal wins over an urgent SOP', () => {
    const urgentSop = sop({ priority: 'urgent' });
    expect(decideRouting(urgentSop, { district: 'zhongli' }, at, calendar).priority).toBe('urgent');
    const d = decideRouting(urgentSop, { district: 'zhongli', priorityOverride: 'normal' }, at, calendar);
    expect(d.priority).toBe('normal');
    expect(d.acknowledgeDueAt).toBe(taipei('2026-11-30T09:30:00').toISOString());
  });

  it('an urgent SOP without an urgent block uses its own (calendar-hour) deadlines', () => {
    const d = decideRouting(shipped('illegal-parking'), { district: 'taoyuan' }, taipei('2026-11-28T23:00:00'), calendar);
    expect(d).toMatchObject({ department: 'POL', priority: 'urgent' });
    expect(d.acknowledgeDueAt).toBe(taipei('2026-11-28T23:15:00').toISOString());
    expect(d.resolveDueAt).toBe(taipei('2026-11-29T01:00:00').toISOString());
  });

  it('uses the calendar it is given', () => {
    const lateStart = new SlaCalendar({ ...loadConfig().calendar, workingHours: { start: '10:30', end: '17:30' }, lunchBreak: undefined }, shippedPublicHolidays());
    const shippedDue = decideRouting(sop(), { district: 'zhongli' }, at, calendar).acknowledgeDueAt;
    expect(decideRouting(sop(), { district: 'zhongli' }, at, lateStart).acknowledgeDueAt).not.toBe(shippedDue);
  });
});

describe('SOP attribute answers', () => {
  const pothole = shipped('pothole');
  const bus = shipped('bus-service');

  it('accepts complete, well-typed answers', () => {
    expect(validateAttributes(pothole, { size: 'large', dangerous: 'yes' })).toEqual([]);
  });

  it('a missing required answer is named attributes.<code>', () => {
    expect(validateAttributes(pothole, { size: 'small' })).toEqual([{ path: 'attributes.dangerous', message: 'is required' }]);
    expect(validateAttributes(pothole, undefined).map((p) => p.path)).toEqual(['attributes.size', 'attributes.dangerous']);
    expect(validateAttributes(pothole, { size: ' ', dangerous: 'no' })).toEqual([{ path: 'attributes.size', message: 'is required' }]);
  });

  it('a value outside the list is named with the allowed keys', () => {
    expect(validateAttributes(pothole, { size: 'huge', dangerous: 'yes' })).toEqual([
      { path: 'attributes.size', message: '"huge" is not one of: small, medium, large' },
    ]);
  });

  it('several answers to a one-answer question say that, not that the value is not in the list', () => {
    expect(validateAttributes(pothole, { size: ['small', 'large'], dangerous: 'yes' })).toEqual([{ path: 'attributes.size', message: 'takes one value; got 2' }]);
    expect(validateAttributes(bus, { routeNo: ['5', '6', '7'], occurredAt: '2026-11-27T08:10:00+08:00' })).toEqual([{ path: 'attributes.routeNo', message: 'takes one value; got 3' }]);
  });

  it('a wrong datatype is a problem', () => {
    expect(validateAttributes(pothole, { size: 3, dangerous: true }).map((p) => p.path)).toEqual(['attributes.size', 'attributes.dangerous']);
    expect(validateAttributes(bus, { routeNo: 5, occurredAt: '2026-11-27T08:10:00+08:00' })).toEqual([{ path: 'attributes.routeNo', message: 'must be a string' }]);
  });

  it('a date-time needs an ISO 8601 form with a zone and is normalized to UTC', () => {
    expect(validateAttributes(bus, { routeNo: '5', occurredAt: '2026-11-27 08:10' }).map((p) => p.path)).toEqual(['attributes.occurredAt']);
    expect(readAttributes(bus, { routeNo: ' 5 ', occurredAt: '2026-11-27T08:10:00+08:00' }).values).toEqual({ routeNo: '5', occurredAt: '2026-11-27T00:10:00.000Z' });
  });

  it('numbers may come as JSON numbers or, from Open311 forms, numeric strings', () => {
    const stray = shipped('stray-animal');
    expect(readAttributes(stray, { animal: 'dog', injured: 'no', count: '3' }).values.count).toBe(3);
    expect(readAttributes(stray, { animal: 'dog', injured: 'no', count: 2 }).values.count).toBe(2);
    expect(validateAttributes(stray, { animal: 'dog', injured: 'no', count: 'several' })).toEqual([{ path: 'attributes.count', message: 'must be a number' }]);
  });

  it('multi-value lists accept arrays or comma-separated strings of known keys', () => {
    const s = sop({
      attributes: [
        {
          code: 'hazards',
          datatype: 'multivaluelist',
          required: true,
          description: { zh: '危害', en: 'Hazards' },
          values: [
            { key: 'glass', name: { zh: '玻璃', en: 'Glass' } },
            { key: 'oil', name: { zh: '油污', en: 'Oil' } },
          ],
        },
      ],
    });
    expect(readAttributes(s, { hazards: 'glass, oil' }).values.hazards).toEqual(['glass', 'oil']);
    expect(validateAttributes(s, { hazards: ['glass', 'nails'] })).toEqual([{ path: 'attributes.hazards', message: '"nails" not one of: glass, oil' }]);
  });

  it('an answer to a question the SOP does not ask is a problem unless allowed', () => {
    expect(validateAttributes(pothole, { size: 'small', dangerous: 'no', colour: 'red' })).toEqual([
      { path: 'attributes.colour', message: 'is not a question of category pothole' },
    ]);
    expect(validateAttributes(pothole, { size: 'small', dangerous: 'no', colour: 'red' }, { allowUnknown: true })).toEqual([]);
  });

  it('answers that are not an object are one problem on attributes', () => {
    expect(validateAttributes(pothole, ['large'])).toEqual([{ path: 'attributes', message: 'must be an object of answers by question code' }]);
  });

  it('the path prefix can be changed for other callers (Open311 attribute[...])', () => {
    expect(validateAttributes(pothole, {}, { pathPrefix: 'attribute' }).map((p) => p.path)).toEqual(['attribute.size', 'attribute.dangerous']);
  });

  it('an overlong string answer is a problem', () => {
    expect(validateAttributes(shipped('street-light'), { poleNumber: 'x'.repeat(201) })).toEqual([
      { path: 'attributes.poleNumber', message: 'must be at most 200 characters' },
    ]);
  });
});

describe('SOP attribute answers: retired questions', () => {
  const withRetired = (): VersionedSop => {
    const s = shipped('pothole');
    return { ...s, attributes: s.attributes.map((a) => (a.code === 'size' ? { ...a, required: true, retired: true } : a)) };
  };

  it('a retired question is not asked: not required, and an answer to it is refused naming it', () => {
    const unanswered = readAttributes(withRetired(), { dangerous: 'yes' });
    const answered = readAttributes(withRetired(), { size: 'small', dangerous: 'yes' });

    expect(unanswered.problems).toEqual([]);
    expect(answered.problems).toEqual([{ path: 'attributes.size', message: 'is no longer asked for category pothole (retired)' }]);
  });

  it('a correction of an older case may keep its answer to a retired question (acceptRetired)', () => {
    const read = readAttributes(withRetired(), { size: 'small', dangerous: 'yes' }, { acceptRetired: true });

    expect(read).toEqual({ values: { size: 'small', dangerous: 'yes' }, problems: [] });
  });

  it('askedInOrder leaves retired questions out and follows order, then the list', () => {
    const s = withRetired();
    const attrs = [...s.attributes, { code: 'depth', datatype: 'number' as const, required: false, description: { zh: '深度', en: 'Depth' } }];

    expect(askedInOrder({ attributes: attrs }).map((a) => a.code)).toEqual(['depth', 'dangerous']);
  });
});
