import { describe, expect, it } from 'vitest';
import {
  CONFIG_FILES,
  departmentByCode,
  dispatchDepartments,
  districtByCode,
  loadConfig,
  parseConfig,
  SHIPPED_CONFIG,
  sopByCategory,
  validateConfig,
  type RawConfigFiles,
} from '../../functions/config/load';
import type { z } from 'zod';
import { calendarFileSchema, departmentsFileSchema, districtsFileSchema, sopsFileSchema } from '../../functions/config/schema';
import { ConfigError } from '../../functions/domain/errors';

const DISTRICTS = ['taoyuan', 'zhongli', 'pingzhen', 'bade', 'yangmei', 'luzhu', 'daxi', 'longtan', 'guishan', 'dayuan', 'guanyin', 'xinwu', 'fuxing'];
const BUREAUS = ['PWD', 'TRAN', 'EPD', 'POL', 'HEALTH', 'WATER', 'APO', 'UDD', 'SOC', 'FIRE', 'RDEC', 'MAYOR'];

/** A deep copy of the shipped files (typed as the schemas' input) to break in one place. */
interface RawFiles {
  departments: z.input<typeof departmentsFileSchema>;
  sops: z.input<typeof sopsFileSchema>;
  calendar: z.input<typeof calendarFileSchema>;
  districts: z.input<typeof districtsFileSchema>;
}
function shippedCopy(): RawFiles {
  return structuredClone(SHIPPED_CONFIG) as RawFiles;
}

function configError(raw: RawConfigFiles): ConfigError {
  try {
    validateConfig(raw);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('the shipped configuration', () => {
  it('loads, validates and cross-checks', () => {
    const cfg = loadConfig();
    expect(cfg.sops.length).toBeGreaterThanOrEqual(12);
    expect(cfg.calendar.timeZone).toBe('Asia/Taipei');
    expect(cfg.calendar.lunchBreak).toEqual({ start: '12:00', end: '13:30' });
    expect(cfg.calendar.years.map((y) => y.year)).toEqual(expect.arrayContaining([2026, 2027]));
  });

  it('is cached: the same object each time', () => {
    expect(loadConfig()).toBe(loadConfig());
  });

  it('has the 13 Taoyuan districts', () => {
    expect(loadConfig().districts.districts.map((d) => d.code)).toEqual(DISTRICTS);
    expect(districtByCode('zhongli')?.name).toEqual({ zh: '中壢區', en: 'Zhongli District' });
    expect(districtByCode('Zhongli')).toBeUndefined();
  });

  it('has the bureaus and one office per district', () => {
    const codes = loadConfig().departments.departments.map((d) => d.code);
    expect(codes).toEqual(expect.arrayContaining([...BUREAUS, ...DISTRICTS.map((d) => `DIST-${d.toUpperCase()}`)]));
    expect(departmentByCode('DIST-ZHONGLI')?.name.zh).toBe('中壢區公所');
  });

  it('RDEC and MAYOR are the escalation levels 2 and 3 and receive no cases', () => {
    expect(loadConfig().departments.escalationDepartments).toEqual({ level2: 'RDEC', level3: 'MAYOR' });
    expect(departmentByCode('RDEC')?.receivesCases).toBe(false);
    expect(departmentByCode('MAYOR')?.receivesCases).toBe(false);
    expect(dispatchDepartments().map((d) => d.code)).not.toContain('RDEC');
  });

  it('every case-receiving department names its supervisor, RDEC and the mayor as escalation levels 1-3', () => {
    for (const d of dispatchDepartments()) {
      expect(d.escalation.map((e) => e.level), d.code).toEqual([1, 2, 3]);
      expect(d.escalation.find((e) => e.level === 2)?.notifyDepartment).toBe('RDEC');
      expect(d.escalation.find((e) => e.level === 3)?.notifyDepartment).toBe('MAYOR');
    }
  });

  it('subscriptions are example addresses limited to the dev and local stages: no real people, nothing in prod', () => {
    for (const d of loadConfig().departments.departments) {
      for (const s of d.subscriptions) {
        expect(s.stages?.length, `${d.code} ${s.endpoint}`).toBeGreaterThan(0);
        for (const stage of s.stages ?? []) expect(['dev', 'local'], `${d.code} ${s.endpoint}`).toContain(stage);
        expect(s.endpoint, d.code).toMatch(/(@|\/\/hooks\.)example\.org(\/|$)/);
      }
    }
  });

  it('the street light SOP goes to the district office; bus-service asks the route number and time', () => {
    expect(sopByCategory('street-light')?.defaultDepartment).toBe('DIST');
    const bus = sopByCategory('bus-service');
    expect(bus?.attributes.find((a) => a.code === 'routeNo')).toMatchObject({ datatype: 'string', required: true });
    expect(bus?.attributes.find((a) => a.code === 'occurredAt')).toMatchObject({ datatype: 'datetime' });
    expect(sopByCategory('epidemic-info')?.caseType).toBe('consultation');
  });

  it('normal SOPs acknowledge within 1-2 working hours, urgent deadlines within 15-30 calendar minutes', () => {
    for (const s of loadConfig().sops) {
      const urgentAck = s.priority === 'urgent' ? s.acknowledgeWithin : s.urgent?.acknowledgeWithin;
      if (s.priority === 'normal') {
        expect(s.acknowledgeWithin.unit, s.category).toBe('workingHours');
        expect(s.acknowledgeWithin.amount, s.category).toBeGreaterThanOrEqual(1);
        expect(s.acknowledgeWithin.amount, s.category).toBeLessThanOrEqual(2);
      }
      if (urgentAck) {
        expect(urgentAck.unit, s.category).toBe('calendarHours');
        expect(urgentAck.amount, s.category).toBeGreaterThanOrEqual(0.25);
        expect(urgentAck.amount, s.category).toBeLessThanOrEqual(0.5);
      }
    }
  });
});

describe('a broken configuration stops with a ConfigError naming the file, the field and the problem', () => {
  it('a schema violation in sops.json', () => {
    const raw = shippedCopy();
    // Deliberately outside the type: this is what a typo in the JSON file looks like.
    (raw.sops.sops[1].resolveWithin as { unit: string }).unit = 'fortnights';
    const e = configError(raw);
    expect(e.file).toBe('config/sops.json');
    expect(e.problems).toEqual([{ path: 'sops.1.resolveWithin.unit', message: expect.stringContaining('category "pothole"') }]);
    expect(e.message).toContain('config/sops.json');
    expect(e.message).toContain('sops.1.resolveWithin.unit');
  });

  it('a missing required field in departments.json', () => {
    const raw = shippedCopy();
    Reflect.deleteProperty(raw.departments.departments[0].name, 'zh');
    const e = configError(raw);
    expect(e.file).toBe('config/departments.json');
    expect(e.problems).toEqual([{ path: 'departments.0.name.zh', message: expect.stringMatching(/expected string.*code "PWD"/) }]);
  });

  it('parseConfig validates one file against its schema', () => {
    expect(() => parseConfig('config/sops.json', sopsFileSchema, { sops: [] })).toThrow(ConfigError);
    const e = (() => {
      try {
        parseConfig('config/sops.json', sopsFileSchema, { sops: [] });
      } catch (err) {
        return err as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(e.problems[0].path).toBe('sops');
  });

  it('a SOP routed to an unknown department', () => {
    const raw = shippedCopy();
    raw.sops.sops[1].defaultDepartment = 'PWX';
    const e = configError(raw);
    expect(e.file).toBe(CONFIG_FILES.sops);
    expect(e.problems).toEqual([{ path: 'sops.1.defaultDepartment', message: 'unknown department "PWX"' }]);
  });

  it('a SOP routed to a department that receives no cases', () => {
    const raw = shippedCopy();
    raw.sops.sops[1].defaultDepartment = 'MAYOR';
    expect(configError(raw).problems).toEqual([{ path: 'sops.1.defaultDepartment', message: 'department "MAYOR" does not receive cases' }]);
  });

  it('a district override for an unknown district', () => {
    const raw = shippedCopy();
    raw.sops.sops[1].districtOverrides = { taipei: 'PWD' };
    expect(configError(raw).problems).toEqual([{ path: 'sops.1.districtOverrides.taipei', message: 'unknown district "taipei" (category "pothole")' }]);
  });

  it('the DIST token when a district has no office', () => {
    const raw = shippedCopy();
    raw.departments.departments = raw.departments.departments.filter((d) => d.code !== 'DIST-LUZHU');
    const e = configError(raw);
    expect(e.file).toBe(CONFIG_FILES.sops);
    expect(e.problems).toContainEqual({ path: 'sops.0.defaultDepartment', message: expect.stringContaining('"DIST-LUZHU" for district "luzhu"') });
  });

  it('an escalation department that does not exist', () => {
    const raw = shippedCopy();
    raw.departments.escalationDepartments.level2 = 'RDCE';
    const e = configError(raw);
    expect(e.file).toBe(CONFIG_FILES.departments);
    expect(e.problems).toContainEqual({ path: 'escalationDepartments.level2', message: 'unknown department "RDCE"' });
  });

  it('a case-receiving department without a level 1 contact', () => {
    const raw = shippedCopy();
    raw.departments.departments[0].escalation = raw.departments.departments[0].escalation?.slice(1);
    expect(configError(raw).problems).toEqual([{ path: 'departments.0.escalation', message: 'needs exactly one level 1 contact, has 0 (code "PWD")' }]);
  });

  it('calendar dates: a make-up workday on a weekday, a holiday outside its year, an impossible date', () => {
    const raw = shippedCopy();
    const y2026 = raw.calendar.years.find((y) => y.year === 2026);
    if (!y2026?.extraHolidays) throw new Error('shipped calendar lacks 2026');
    y2026.makeUpWorkdays = [{ date: '2026-03-04', name: 'typo' }];
    y2026.extraHolidays.push({ date: '2027-01-02', name: 'wrong year' }, { date: '2026-02-30', name: 'no such day' });
    const e = configError(raw);
    expect(e.file).toBe(CONFIG_FILES.calendar);
    const i = raw.calendar.years.indexOf(y2026);
    const n = y2026.extraHolidays.length;
    expect(e.problems).toEqual(
      expect.arrayContaining([
        { path: `years.${i}.makeUpWorkdays.0.date`, message: '2026-03-04 is not a Saturday or Sunday' },
        { path: `years.${i}.extraHolidays.${n - 2}.date`, message: '2027-01-02 is not in 2026' },
        { path: `years.${i}.extraHolidays.${n - 1}.date`, message: '2026-02-30 is not a calendar date' },
      ]),
    );
  });

  it('a lunch break outside working hours and an unknown time zone', () => {
    const raw = shippedCopy();
    raw.calendar.timeZone = 'Asia/Taoyuan';
    raw.calendar.lunchBreak = { start: '18:00', end: '19:00' };
    expect(configError(raw).problems).toEqual([
      { path: 'timeZone', message: 'unknown time zone "Asia/Taoyuan"' },
      { path: 'lunchBreak', message: 'must lie inside working hours, start before end' },
    ]);
  });

  it('duplicate codes', () => {
    const raw = shippedCopy();
    raw.districts.districts.push({ code: 'zhongli', name: { zh: '中壢區', en: 'Zhongli' } });
    raw.sops.sops.push(structuredClone(raw.sops.sops[0]));
    const e = configError(raw);
    expect(e.file).toBe(CONFIG_FILES.districts);
    expect(e.problems).toContainEqual({ path: 'districts.13.code', message: 'duplicate district code "zhongli"' });
    // Problems of further files follow, prefixed with their file.
    expect(e.problems).toContainEqual({ path: `${CONFIG_FILES.sops}: sops.${raw.sops.sops.length - 1}.category`, message: 'duplicate category "street-light"' });
  });
});
