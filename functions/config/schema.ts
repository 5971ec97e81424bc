/**
 * The shape of everything in `config/`. Validated with zod when loaded (synth, startup, cold start), so a bad
 * file stops things early with the file, the field and the problem named.
 */
import * as z from 'zod';

const code = z.string().regex(/^[A-Z][A-Z0-9_-]*$/, 'must be upper-case letters, digits, _ or -');
const localized = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const subscriptionSchema = z.object({
  protocol: z.enum(['email', 'sms', 'https']),
  endpoint: z.string().min(1),
  /** Stages this subscription exists in; absent = every stage. */
  stages: z.array(z.string().min(1)).optional(),
});

export const escalationContactSchema = z.object({
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** Who must act, as the message names them (a role, not a person's private data). */
  role: localized,
  /** Department whose topic hears about it; level 1 defaults to the case's own department. */
  notifyDepartment: code.optional(),
});

export const officeHoursSchema = z.object({
  start: z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM'),
  end: z.string().regex(/^\d{2}:\d{2}$/, 'must be HH:MM'),
});

export const departmentSchema = z.object({
  code,
  name: localized,
  /** Whether this department receives dispatched cases (RDEC and MAYOR mostly receive escalations). */
  receivesCases: z.boolean().default(true),
  escalation: z.array(escalationContactSchema).default([]),
  subscriptions: z.array(subscriptionSchema).default([]),
  officeHours: officeHoursSchema.optional(),
});
export type Department = z.infer<typeof departmentSchema>;

const stageName = z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'must be a stage name (lower-case letters, digits or -)');

export const departmentsFileSchema = z.object({
  /** Escalation levels 2 and 3 go to these departments' topics. */
  escalationDepartments: z.object({ level2: code, level3: code }),
  /**
   * Production stages whose topic subscriptions are created outside CDK (by hand, another stack): synth then
   * does not insist that every department, escalation level and the operations topic has a subscriber there.
   */
  subscriptionsManagedOutsideCdk: z.array(stageName).optional(),
  departments: z.array(departmentSchema).min(1),
});
export type DepartmentsFile = z.infer<typeof departmentsFileSchema>;

/** `config/operations.json`: who hears the alarms of a stage, and the figures alarms compare against. */
export const operationsFileSchema = z.object({
  /** Subscribers of the stage's operations topic (alarms, workflow failures); `stages` as for departments. */
  subscriptions: z.array(subscriptionSchema).default([]),
  /** Per stage: the account's SMS monthly spend limit in USD (SNS text messaging preferences); default 1, AWS's own default. */
  smsMonthlySpendLimitUsd: z.record(stageName, z.number().positive()).default({}),
});
export type OperationsFile = z.infer<typeof operationsFileSchema>;

/** A deadline: working hours or working days on the calendar, or plain calendar hours for urgent work. */
export const deadlineSchema = z.object({
  amount: z.number().positive(),
  unit: z.enum(['workingHours', 'workingDays', 'calendarHours', 'calendarDays']),
});
export type Deadline = z.infer<typeof deadlineSchema>;

/**
 * SOP texts: trimmed, not blank, and bounded. The same schema checks config/sops.json and every SOP saved through
 * the editor (PUT /sops/{category}), so an edit cannot store what the config could not hold: a name of spaces,
 * or a description of half a megabyte that every case, every Open311 service list and the console then carry.
 */
export const SOP_TEXT_LIMITS = {
  name: 100,
  group: 100,
  description: 2000,
  keyword: 50,
  keywords: 50,
  attributeDescription: 500,
  valueKey: 100,
  valueName: 200,
  values: 100,
  attributes: 50,
  guidance: 2000,
} as const;

const trimmedText = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
const sopLocalized = (max: number) => z.object({ zh: trimmedText(max), en: trimmedText(max) });

export const sopAttributeSchema = z.object({
  code: z.string().max(64, 'must be at most 64 characters').regex(/^[a-z][a-zA-Z0-9_]*$/, 'must be camelCase letters and digits'),
  datatype: z.enum(['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist']),
  required: z.boolean().default(false),
  description: sopLocalized(SOP_TEXT_LIMITS.attributeDescription),
  /** For list types: the allowed keys and their labels. */
  values: z
    .array(z.object({ key: trimmedText(SOP_TEXT_LIMITS.valueKey), name: sopLocalized(SOP_TEXT_LIMITS.valueName) }))
    .max(SOP_TEXT_LIMITS.values, `must have at most ${SOP_TEXT_LIMITS.values} values`)
    .optional(),
  order: z.number().int().optional(),
  /**
   * A question no longer asked. It stays in the version (its code cannot be reused, and the answers of cases
   * logged before still have their label); intake neither shows nor accepts it. Absent: asked.
   */
  retired: z.boolean().optional(),
});
export type SopAttribute = z.infer<typeof sopAttributeSchema>;

/** SOP department token meaning "the district office of the case's district". */
export const DISTRICT_OFFICE_TOKEN = 'DIST';

/** The department code of a district's office: `zhongli` -> `DIST-ZHONGLI`. */
export function districtOfficeCode(district: string): string {
  return `${DISTRICT_OFFICE_TOKEN}-${district.toUpperCase()}`;
}

export const sopSchema = z
  .object({
    category: z.string().max(64, 'must be at most 64 characters').regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case kebab-case'),
    name: sopLocalized(SOP_TEXT_LIMITS.name),
    group: sopLocalized(SOP_TEXT_LIMITS.group).optional(),
    description: sopLocalized(SOP_TEXT_LIMITS.description).optional(),
    /**
     * What the agent says and checks on the call (the script), shown beside the intake form. Chinese is required,
     * English optional. Optional so the SOPs stored before it keep their content hash.
     */
    guidance: z.object({ zh: trimmedText(SOP_TEXT_LIMITS.guidance), en: trimmedText(SOP_TEXT_LIMITS.guidance).optional() }).optional(),
    keywords: z.array(trimmedText(SOP_TEXT_LIMITS.keyword)).max(SOP_TEXT_LIMITS.keywords, `must have at most ${SOP_TEXT_LIMITS.keywords} keywords`).default([]),
    /** Case type as Taiwan 1999 systems classify it; consultations are answered on the call. */
    caseType: z.enum(['dispatch', 'consultation', 'complaint']).default('dispatch'),
    /**
     * `inquiry`: a question the agent answers on the call from the knowledge base; the case closes at first contact
     * (no routing, no department notice, no workflow) unless the agent escalates it, and then it runs as any case.
     * Absent means `dispatch`: optional rather than defaulted so the SOPs without it keep their content hash.
     */
    kind: z.enum(['dispatch', 'inquiry']).optional(),
    /**
     * Department code, or the token `DIST` (DISTRICT_OFFICE_TOKEN): "the district office of the case's district",
     * resolved at routing time to `DIST-<DISTRICT CODE UPPER>` (zhongli -> DIST-ZHONGLI).
     */
    defaultDepartment: code,
    /** District code (e.g. `zhongli`) -> department code (or `DIST`), for where the default is wrong. */
    districtOverrides: z.record(z.string(), code).default({}),
    priority: z.enum(['normal', 'urgent']),
    acknowledgeWithin: deadlineSchema,
    resolveWithin: deadlineSchema,
    /** Deadlines used instead when the case is urgent (by override or SOP). */
    urgent: z.object({ acknowledgeWithin: deadlineSchema, resolveWithin: deadlineSchema }).optional(),
    /** Time between resolution and the satisfaction call. */
    followUpAfter: deadlineSchema,
    /** Time the survey stays open before the case closes as unanswered. */
    surveyWindow: deadlineSchema.default({ amount: 3, unit: 'workingDays' }),
    /**
     * Satisfaction calls nobody answered before the case closes as unanswered (DEFAULT_CALLBACK_ATTEMPTS when
     * absent; optional so the SOPs stored before it keep their content hash).
     */
    callbackAttempts: z.number().int('must be a whole number').min(1, 'must be at least 1').max(10, 'must be at most 10').optional(),
    notifyCitizen: z.boolean().default(true),
    /**
     * A citizen who asked for SMS gets one with the case number when the case is logged. Absent: as notifyCitizen
     * (optional so the SOPs stored before it keep their content hash).
     */
    receiptSms: z.boolean().optional(),
    attributes: z.array(sopAttributeSchema).max(SOP_TEXT_LIMITS.attributes, `must have at most ${SOP_TEXT_LIMITS.attributes} attributes`).default([]),
  })
  .superRefine((sop, ctx) => {
    const codes = new Set<string>();
    sop.attributes.forEach((a, i) => {
      if (codes.has(a.code)) ctx.addIssue({ code: 'custom', path: ['attributes', i, 'code'], message: `duplicate attribute ${a.code}` });
      codes.add(a.code);
      if ((a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist') && !a.values?.length)
        ctx.addIssue({ code: 'custom', path: ['attributes', i, 'values'], message: 'list attributes need values' });
    });
  });
export type Sop = z.infer<typeof sopSchema>;
/** Who made a SOP version: the seeding of config/sops.json at deploy or start, or an edit through the API. */
export type SopOrigin = 'config' | 'console';
/**
 * A stored SOP version. Config and console edits both become versions; the highest stored version is current.
 * `contentHash` is the sha-256 of the SOP's canonical JSON (functions/adapters/sop-catalog.ts). Versions stored
 * before versions carried an origin, a reason and a hash were console edits and have none of the three.
 */
export type VersionedSop = Sop & {
  version: number;
  updatedAt?: string;
  /** The author: a user id, or `config` (with the deploy's commit when known, `config@<commit>`). */
  updatedBy?: string;
  origin?: SopOrigin;
  reason?: string;
  contentHash?: string;
};

export const sopsFileSchema = z.object({ sops: z.array(sopSchema).min(1) });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
export const calendarYearSchema = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Days off beyond date-holidays' list (bridge holidays, typhoon days declared in advance). */
  extraHolidays: z.array(z.object({ date: isoDate, name: z.string().min(1) })).default([]),
  /** Weekend days that are working days (補班). */
  makeUpWorkdays: z.array(z.object({ date: isoDate, name: z.string().min(1) })).default([]),
  /** date-holidays entries that are not days off in this city this year. */
  notHolidays: z.array(isoDate).default([]),
});
export const calendarFileSchema = z.object({
  timeZone: z.string().default('Asia/Taipei'),
  workingHours: officeHoursSchema.default({ start: '08:30', end: '17:30' }),
  /** Lunch break excluded from working hours. */
  lunchBreak: officeHoursSchema.optional(),
  years: z.array(calendarYearSchema),
});
export type CalendarConfig = z.infer<typeof calendarFileSchema>;

export const districtsFileSchema = z.object({
  city: localized,
  districts: z.array(z.object({ code: z.string().min(1), name: localized })).min(1),
});
export type DistrictsFile = z.infer<typeof districtsFileSchema>;

const position = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const ring = z.array(position).min(4);
/** `config/district-boundaries.json`: a GeoJSON FeatureCollection, one (Multi)Polygon feature per district code. */
export const districtBoundariesFileSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ code: z.string().min(1) }).loose(),
        geometry: z.discriminatedUnion('type', [
          z.object({ type: z.literal('Polygon'), coordinates: z.array(ring).min(1) }),
          z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring).min(1)).min(1) }),
        ]),
      }),
    )
    .min(1),
});
