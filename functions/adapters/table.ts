/**
 * The one DynamoDB table, as data: key names, the GSIs and billing. CDK (infra/), the local cloud and the tests
 * all build the table from these constants, so they cannot drift. Each entity below owns its key builders and its
 * `toItem`/`fromItem`; nothing else in the code base spells a key.
 *
 * | entity      | pk                   | sk            |
 * | ----------- | -------------------- | ------------- |
 * | case        | `CASE#<caseNo>`      | `CASE`        | the case's state; never its timeline
 * | case event  | `CASE#<caseNo>`      | `EV#<iso>#<000007>` | one timeline event, written in one transaction with the change it records
 * | counter     | `SEQ#<yyyymmdd>`     | `SEQ`         |
 * | SOP version | `SOP#<category>`     | `V#<00002>`   | every version stored, config's too (sop-catalog.ts)
 * | department  | `DEPT#<code>`        | `DEPT`        |
 * | idempotency | `IDEM#<key>`         | `IDEM`        | TTL attribute `expiresAt`
 * | API key     | `APIKEY#<sha-256>`   | `APIKEY`      | Open311 clients; only the hash of a key is stored
 * | SLA stats   | `STATS#SLA#<yyyy-mm>`| `<day>#<dept>`| per Taipei day and department: created, resolved on time / late, reopened, satisfied, unsatisfied (case-statistics.ts)
 * | hour count  | `STATS#HOUR#<yyyy-mm-dd>` | `<HH>#<category>#<district>` | cases created per UTC hour, category and district (case-statistics.ts)
 * | warning     | `WARN#<yyyy-mm>`     | `<warning id>`| an early warning: evidence, status, history (warning-store.ts)
 * | episode     | `EPISODE#<series>`   | `EPISODE`     | a warning series' current episode (warning-store.ts)
 * | model       | `MODEL#category-suggestion` | `CURRENT`, `V#<trained at>#<part>` | the category-suggestion model (category-model-store.ts)
 * | PII view    | `CASE#<caseNo>`      | `EV#<iso>#<rand>` | a `pii-viewed` timeline event, alone (privacy-audit-store.ts)
 * | access queue| `PIIACCESS#<status>` | `<requested or expires>#<caseNo>#<id>` | a live personal-data access request, derived from the case's `piiAccess` in its transaction
 * | notification| `NOTE#<role>#<dept or ->` | `<iso>#<ref>` | a console notification for everyone of a role (and department); TTL `expiresAt`
 * | read marker | `USER#<sub>`         | `NOTEREAD`    | how far the person read their notifications
 * | digest cursor | `DIGEST#<group>`    | `CURSOR`      | how far a recipient group's daily e-mail digest went (`upTo`, a notification id)
 * | audit       | `AUDIT#<yyyy-mm-dd>` | `<iso>#<rand>`| a phone search (who, why, keyed hash, hits); TTL `expiresAt`
 * | rate count  | `RATE#<kind>#<subject>#<window>` | `RATE` | fixed-window counters (rate-counters.ts); TTL `expiresAt`
 * | job mark    | `JOB#<name>`         | `JOB`         | how far a scheduled job got (the retention job's last erased close day)
 * | article     | `KB#ART#<id>`        | `V#<00001>`   | every version of a knowledge-base article (article-store.ts)
 * | published   | `KB#PUBLISHED`       | `ART#<id>`    | the published version of each live article; `KB#REVISION` / `KB` moves on each change
 * | user        | `USER#<sub>`         | `PROFILE`     | display name, role, department from the last sign-in (user-directory.ts)
 * | open figures| `STATS#OPEN`         | `SHARD#<n>`, `SHARD#<n>#<dept>` | open cases' counters: a department's cases' in its item, the others' in the shard's (domain/open-figures.ts)
 * | due figures | `STATS#DUE`          | `<yyyy-mm-dd>`| open cases by their next deadline's UTC day, per department, and `total`
 */
import type { AttributeValue, CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { asShownAt, currentAssignee, isOpen, nextDueAt, TERMINAL_STATUSES, type Case, type CaseEvent, type CaseStatus, type PiiAccessRequest, type Reporter } from '../domain/case';
import { now } from '../domain/clock';
import { taipeiDate } from '../domain/case-number';
import type { Department, VersionedSop } from '../config/schema';
import type { CaseSummary, IdempotencyRecord } from '../usecases/ports';
import type { PhoneSearchAuditRecord } from '../privacy/audit';
import { ValidationError } from '../domain/errors';
import { NOTIFICATION_DAYS, type ConsoleNotification, type Inbox } from '../domain/notifications';
import { NO_DEPARTMENT } from '../domain/open-figures';

export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** Epoch seconds; DynamoDB TTL deletes expired idempotency records (dynalite ignores it, which is harmless). */
export const TTL_ATTRIBUTE = 'expiresAt';

export type GsiName = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5' | 'gsi6' | 'gsi7' | 'gsi8' | 'gsi9' | 'gsi10';
export interface GsiDefinition {
  indexName: GsiName;
  partitionKey: string;
  sortKey: string;
  /** What the index serves (README access-pattern table). */
  purpose: string;
  /**
   * The non-key attributes the index copies (INCLUDE), or none (KEYS_ONLY): exactly what its readers take from
   * it. DynamoDB bills a table write on an index only when the item enters or leaves it, its index key moves
   * (a delete and a put) or a projected attribute changes under the same key (one write): a change of anything
   * not projected costs the index nothing. Readers needing more fetch the cases they show by key.
   */
  projection: readonly string[];
}

/**
 * What a case summary shows (CaseEntity.toSummary: `location` for its district, address and map point). The
 * queues that read every open case (the dashboard, department inboxes, the status queues) project it.
 */
export const CASE_SUMMARY_ATTRIBUTES = [
  'caseNo',
  'status',
  'category',
  'department',
  'priority',
  'escalationLevel',
  'acknowledgeDueAt',
  'resolveDueAt',
  'createdAt',
  'updatedAt',
  'channel',
  'waitingFor',
  'waitDueAt',
  'callback',
  'resolution',
] as const;
/**
 * What the report indexes (district, category, created day) project: what their filters test and the early-warning
 * scan reads, none of which a workflow step changes. Lists over them fetch the page's summaries by key.
 */
const CASE_PLACE_ATTRIBUTES = ['caseNo', 'category', 'location', 'createdAt'] as const;
// gsi5 adds the description: the nightly category training reads 180 days of it; written with the entry at intake
// (one entry under 1 KB for a usual description), it is far cheaper copied once than fetched by key every night.

export const GSIS: Readonly<Record<GsiName, GsiDefinition>> = {
  gsi1: { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', purpose: 'department queue: DEPT#<code>#<status>, by due time', projection: [...CASE_SUMMARY_ATTRIBUTES, 'location'] },
  gsi2: { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', purpose: 'status queue: STATUS#<status>, by created time', projection: [...CASE_SUMMARY_ATTRIBUTES, 'location', 'executionArn'] },
  gsi3: { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk', purpose: 'district report: DISTRICT#<district>, by created time', projection: CASE_PLACE_ATTRIBUTES },
  gsi4: { indexName: 'gsi4', partitionKey: 'gsi4pk', sortKey: 'gsi4sk', purpose: 'category report: CATEGORY#<category>, by created time', projection: CASE_PLACE_ATTRIBUTES },
  gsi5: { indexName: 'gsi5', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', purpose: 'date range: CREATED#<yyyy-mm-dd Taipei>, by created time', projection: [...CASE_PLACE_ATTRIBUTES, 'description'] },
  gsi6: { indexName: 'gsi6', partitionKey: 'gsi6pk', sortKey: 'gsi6sk', purpose: 'recent changes: UPDATED#<yyyy-mm-dd Taipei>, by change time, on the public event items (Open311 servicerequestupdates); my cases: ASSIGNEE#<user id> on an assigned case item its department holds, by assignment time (sparse)', projection: [] },
  gsi7: { indexName: 'gsi7', partitionKey: 'gsi7pk', sortKey: 'gsi7sk', purpose: 'open cases by place: OPEN#<category>#<district>, by created time (sparse; duplicate check at intake)', projection: [] },
  gsi8: { indexName: 'gsi8', partitionKey: 'gsi8pk', sortKey: 'gsi8sk', purpose: 'phone search: PHONE#<HMAC-SHA256 of the number>, by case number (sparse; never the number itself)', projection: [] },
  gsi9: { indexName: 'gsi9', partitionKey: 'gsi9pk', sortKey: 'gsi9sk', purpose: 'retention: CLOSED#<yyyy-mm-dd Taipei> of closed cases whose reporter is not yet erased, by closed time (sparse)', projection: ['caseNo'] },
  gsi10: { indexName: 'gsi10', partitionKey: 'gsi10pk', sortKey: 'gsi10sk', purpose: 'attention: ESCALATED#<level> (open escalated cases) and DUE (other open cases with a deadline), sort key `<deadline>#<caseNo>#<department>` (sparse; the dashboard\'s overdue and escalated lists)', projection: [] },
};
/** Indexes kept by `CaseEntity.privacyIndexKeys` (from the reporter and closing), not by `indexKeys`. */
export const PRIVACY_GSIS: ReadonlySet<GsiName> = new Set(['gsi8', 'gsi9']);
export const GSI_LIST: readonly GsiDefinition[] = Object.values(GSIS);

/** Every key attribute is a string. */
export const KEY_ATTRIBUTES: readonly string[] = [PARTITION_KEY, SORT_KEY, ...GSI_LIST.flatMap((g) => [g.partitionKey, g.sortKey])];

export const BILLING_MODE = 'PAY_PER_REQUEST' as const;

/** CreateTable input for dynalite (tests, local cloud). CDK builds the same table from the constants above. */
export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: BILLING_MODE,
    AttributeDefinitions: KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GSI_LIST.map((g) => ({
      IndexName: g.indexName,
      KeySchema: [
        { AttributeName: g.partitionKey, KeyType: 'HASH' },
        { AttributeName: g.sortKey, KeyType: 'RANGE' },
      ],
      Projection: indexProjection(g),
    })),
  };
}

/** The index's projection as CreateTable (and CDK) spell it. */
export function indexProjection(g: GsiDefinition): { ProjectionType: 'KEYS_ONLY' } | { ProjectionType: 'INCLUDE'; NonKeyAttributes: string[] } {
  return g.projection.length ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...g.projection] } : { ProjectionType: 'KEYS_ONLY' };
}

/** Whether a reader can take these attributes from the index itself (else it fetches the cases by key). */
export function indexProjects(g: GsiDefinition, attributes: readonly string[]): boolean {
  return attributes.every((a) => g.projection.includes(a) || a === PARTITION_KEY || a === SORT_KEY || a === g.partitionKey || a === g.sortKey);
}

export interface ItemKey {
  pk: string;
  sk: string;
}

/**
 * An update built apart from its call: what UpdateItem takes and what a transaction's Update action takes, so the
 * same counter or limit can ride in a case change's transaction or go alone.
 */
export interface UpdateAction {
  TableName: string;
  Key: ItemKey;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** A stored item as the document client returns it. */
export type Item = Record<string, unknown>;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** A conditional write that found the item not as required. DynamoDB attaches the old item when asked to. */
export interface ConditionFailure extends Error {
  name: 'ConditionalCheckFailedException';
  Item?: Record<string, AttributeValue>;
}

export function isConditionFailure(e: unknown): e is ConditionFailure {
  return e instanceof Error && e.name === 'ConditionalCheckFailedException';
}

// ---------------------------------------------------------------------------------------------------- case

/**
 * Where case items kept their timeline before events became items of their own: a list that only
 * `npm run migrate:timeline` still reads (and removes). Never written.
 */
export const LEGACY_TIMELINE_ATTRIBUTE = 'timeline';

/** Attributes of a case item that are storage, not domain: never returned inside a Case. */
const CASE_STORAGE_ATTRIBUTES = new Set<string>(['entity', LEGACY_TIMELINE_ATTRIBUTE, ...KEY_ATTRIBUTES]);

/** The case attributes its index keys derive from; a change touching none of them leaves the keys as they are. */
export const CASE_INDEXED_ATTRIBUTES = ['status', 'department', 'acknowledgeDueAt', 'resolveDueAt', 'location', 'category', 'escalationLevel'] as const;

export type IndexedCaseState = Pick<Case, 'caseNo' | 'status' | 'category' | 'createdAt' | 'department' | 'acknowledgeDueAt' | 'resolveDueAt' | 'escalationLevel'> & {
  location: Pick<Case['location'], 'district'>;
};

/** `2026-11-27T01:00:00.000Z#20261127-00042`: sorts by time, unique by case number. */
const timeKey = (iso: string, caseNo: string) => `${iso}#${caseNo}`;
/** The gsi10 sort key's deadline part of an escalated case without one: `~` sorts after every ISO instant. */
const UNDATED = '~';

export const CaseEntity = {
  key: (caseNo: string): ItemKey => ({ pk: `CASE#${caseNo}`, sk: 'CASE' }),
  /** The case number of a case (or event) item's partition key: what a KEYS_ONLY index entry names. */
  caseNoOfKey: (pk: string): string => pk.slice('CASE#'.length),

  /** `CREATED#2026-11-27`: the Taipei calendar day of the instant, as the gsi5 partition. */
  createdDayPartition: (iso: string): string => `CREATED#${taipeiDate(new Date(iso))}`,
  /** `CREATED#2026-11-27` for a Taipei day given as yyyy-mm-dd (a job that walks days). */
  createdOnPartition: (day: string): string => `CREATED#${day}`,
  /** `STATUS#NEW`: the gsi2 partition of a status. */
  statusPartition: (status: string): string => `STATUS#${status}`,
  /** `DISTRICT#zhongli`: the gsi3 partition of a district. */
  districtPartition: (district: string): string => `DISTRICT#${district}`,
  /** `CATEGORY#street-light`: the gsi4 partition of a category. */
  categoryPartition: (category: string): string => `CATEGORY#${category}`,

  /**
   * The GSI keys for a case in this state. gsi1 (department queue) only exists while a department holds the
   * case; its sort key is the deadline that matters now, or the creation time when there is none.
   */
  indexKeys(c: IndexedCaseState): Record<string, string> {
    const keys: Record<string, string> = {
      gsi2pk: CaseEntity.statusPartition(c.status),
      gsi2sk: timeKey(c.createdAt, c.caseNo),
      gsi3pk: CaseEntity.districtPartition(c.location.district),
      gsi3sk: timeKey(c.createdAt, c.caseNo),
      gsi4pk: CaseEntity.categoryPartition(c.category),
      gsi4sk: timeKey(c.createdAt, c.caseNo),
      gsi5pk: CaseEntity.createdDayPartition(c.createdAt),
      gsi5sk: timeKey(c.createdAt, c.caseNo),
    };
    if (c.department) {
      keys.gsi1pk = CaseEntity.departmentQueue(c.department, c.status);
      keys.gsi1sk = timeKey(nextDueAt(c) ?? c.createdAt, c.caseNo);
    }
    // Sparse: only open cases, so the duplicate check at intake reads what is open there, never history.
    if (isOpen(c.status)) {
      keys.gsi7pk = CaseEntity.openAtPlace(c.category, c.location.district);
      keys.gsi7sk = timeKey(c.createdAt, c.caseNo);
      Object.assign(keys, CaseEntity.attentionKeys(c));
    }
    return keys;
  },

  /**
   * gsi10 keys of an open case (sparse, KEYS_ONLY): escalated under its level, else under DUE while it has a
   * deadline. The sort key leads with the deadline, so "overdue" is a key range read from its oldest, and ends
   * with the department, so the overdue count of the current day reads keys only (OpenFiguresEntity).
   */
  attentionKeys(c: Pick<IndexedCaseState, 'caseNo' | 'status' | 'department' | 'acknowledgeDueAt' | 'resolveDueAt' | 'escalationLevel'>): Record<string, string> {
    const due = nextDueAt(c);
    const sk = `${due ?? UNDATED}#${c.caseNo}#${c.department ?? NO_DEPARTMENT}`;
    if (c.escalationLevel > 0) return { gsi10pk: CaseEntity.escalatedPartition(c.escalationLevel), gsi10sk: sk };
    return due ? { gsi10pk: CaseEntity.duePartition, gsi10sk: sk } : {};
  },
  duePartition: 'DUE',
  escalatedPartition: (level: number) => `ESCALATED#${level}`,
  /** The deadline, case number and department of a gsi10 sort key; `due` undefined for an undated case. */
  attentionOf(sk: string): { due?: string; caseNo: string; department: string } {
    const [due, caseNo, department] = sk.split('#') as [string, string, string];
    return { ...(due === UNDATED ? {} : { due }), caseNo, department };
  },

  departmentQueue: (department: string, status: string) => `DEPT#${department}#${status}`,

  /** `OPEN#pothole#zhongli`: the gsi7 partition of the open cases of a category in a district. */
  openAtPlace: (category: string, district: string) => `OPEN#${category}#${district}`,

  /** `UPDATED#2026-11-27`: the Taipei calendar day of the case's last change, as the gsi6 partition. */
  updatedDayPartition: (iso: string): string => `UPDATED#${taipeiDate(new Date(iso))}`,

  /**
   * gsi6 keys, carried by the event item of each change (CaseEventEntity.toItem), never by the case item: a
   * key moved by every write of the case would cost a delete and a put in the index each time, while a new event
   * item enters it with one put. "What changed since" is still a Query per day (Open311 servicerequestupdates),
   * never a Scan. The repository keeps them on public events only (domain publicChangeOf, the events that feed
   * shows), one per change: a note or a workflow wait changes nothing a citizen sees and costs the index nothing.
   * Case items written before kept these keys until their next change; their entries read the same.
   */
  updatedIndexKeys: (caseNo: string, changedAt: string): Record<string, string> => ({
    gsi6pk: CaseEntity.updatedDayPartition(changedAt),
    gsi6sk: timeKey(changedAt, caseNo),
  }),

  /** `ASSIGNEE#<user id>`: the gsi6 partition of the open cases assigned to one staff member ("my cases"). */
  assigneePartition: (userId: string): string => `ASSIGNEE#${userId}`,

  /**
   * gsi6 keys of a case item (sparse): only while its department holds it and a staff member is assigned, under
   * that person, by when it was assigned. Both keys stay put while the case is worked (a write of anything else
   * costs the index nothing); they go when the case leaves the department's hands. The event items' `UPDATED#`
   * partitions of the same index never meet these.
   */
  assigneeIndexKeys: (c: Pick<Case, 'caseNo' | 'status' | 'assignee' | 'assignedAt' | 'createdAt'>): Record<string, string> => {
    const assignee = currentAssignee(c);
    return assignee ? { gsi6pk: CaseEntity.assigneePartition(assignee), gsi6sk: timeKey(c.assignedAt ?? c.createdAt, c.caseNo) } : {};
  },

  /** `PHONE#<hex>`: the gsi8 partition of a reporter phone's keyed hash (functions/privacy/phone-hash.ts). */
  phonePartition: (phoneHash: string): string => `PHONE#${phoneHash}`,

  /** `CLOSED#2026-11-27`: the Taipei day a case closed, as the gsi9 (retention) partition. */
  closedDayPartition: (iso: string): string => `CLOSED#${taipeiDate(new Date(iso))}`,
  /** `CLOSED#2026-11-27` for a Taipei day given as yyyy-mm-dd (the retention job walks days, not instants). */
  closedOnPartition: (day: string): string => `CLOSED#${day}`,

  /**
   * gsi8 and gsi9 keys, both sparse. gsi8 holds a case under the keyed hash of its reporter's phone while there
   * is one; gsi9 holds a closed (terminal) case under its closing day until the retention job erased its reporter.
   * A part left undefined is not known by the caller and left as it is; `null` removes the keys.
   */
  privacyIndexKeys(
    caseNo: string,
    parts: { phoneHash?: string | null; closed?: { status: CaseStatus; at: string } | null },
  ): { set: Record<string, string>; remove: string[] } {
    const set: Record<string, string> = {};
    const remove: string[] = [];
    if (parts.phoneHash !== undefined) {
      if (parts.phoneHash) Object.assign(set, { gsi8pk: CaseEntity.phonePartition(parts.phoneHash), gsi8sk: caseNo });
      else remove.push('gsi8pk', 'gsi8sk');
    }
    if (parts.closed !== undefined) {
      if (parts.closed && TERMINAL_STATUSES.includes(parts.closed.status))
        Object.assign(set, { gsi9pk: CaseEntity.closedDayPartition(parts.closed.at), gsi9sk: timeKey(parts.closed.at, caseNo) });
      else remove.push('gsi9pk', 'gsi9sk');
    }
    return { set, remove };
  },

  /** The privacy index keys of a whole case (create, seeds); `phoneHash` of its reporter's phone when there is one. */
  privacyKeysOf(c: Pick<Case, 'caseNo' | 'status' | 'closedAt' | 'updatedAt'> & { reporter: Pick<Reporter, 'erasedAt'> }, phoneHash?: string): Record<string, string> {
    const erased = c.reporter.erasedAt !== undefined;
    return CaseEntity.privacyIndexKeys(c.caseNo, {
      phoneHash: erased ? null : (phoneHash ?? null),
      closed: erased ? null : { status: c.status, at: c.closedAt ?? c.updatedAt },
    }).set;
  },

  toItem(c: Case, phoneHash?: string): Item {
    return {
      ...c,
      ...CaseEntity.key(c.caseNo),
      entity: 'CASE',
      ...CaseEntity.indexKeys(c),
      ...CaseEntity.privacyKeysOf(c, phoneHash),
    };
  },

  /** Strips keys (and a legacy timeline list): a Case never carries its events (they are read page by page). */
  fromItem(item: Item): Case {
    const c: Item = {};
    for (const [k, v] of Object.entries(item)) if (!CASE_STORAGE_ATTRIBUTES.has(k)) c[k] = v;
    return c as unknown as Case;
  },

  /** The attributes a list shows: no description, no reporter, no timeline; the survey wait from when it is due. */
  summaryAttributes: CASE_SUMMARY_ATTRIBUTES,

  toSummary(item: Item): CaseSummary {
    const summary: Item = {};
    for (const k of CaseEntity.summaryAttributes) if (item[k] !== undefined) summary[k] = item[k];
    const location = (item.location ?? {}) as { district?: string; address?: string; lat?: unknown; lng?: unknown };
    summary.district = location.district ?? '';
    summary.address = location.address ?? '';
    if (typeof location.lat === 'number' && typeof location.lng === 'number') Object.assign(summary, { lat: location.lat, lng: location.lng });
    // A list shows a case inside the survey's follow-up delay as the case page does (domain asShownAt).
    return asShownAt(summary as unknown as CaseSummary, now());
  },
};

/** Event ids sort chronologically and are unique per case because versions are: `<iso time>#<000007>`. */
export function caseEventId(at: string, version: number): string {
  return `${at}#${pad(version, 6)}`;
}

/**
 * One timeline event as its own item in the case's partition, sort key `EV#<event id>`: the partition's `EV#`
 * range is the timeline in time order, read a page at a time, and no number of events can grow the case item.
 * The event is written in the same transaction as the change it records (case-repository.ts).
 */
export const CaseEventEntity = {
  prefix: 'EV#',
  key: (caseNo: string, eventId: string): ItemKey => ({ pk: CaseEntity.key(caseNo).pk, sk: `EV#${eventId}` }),
  /** The first sort key at or after an instant: `EV#<iso>` (a time range of the timeline is a key range). */
  sortKeyAt: (iso: string): string => `EV#${iso}`,
  /** Past every event id that starts with this instant. */
  sortKeyAfter: (iso: string): string => `EV#${iso}~`,
  /** `changedAt`: when the change it records was written (the case's updatedAt), its place in gsi6; the event's time by default. */
  toItem(caseNo: string, event: CaseEvent, changedAt: string = event.at): Item {
    return { ...CaseEventEntity.key(caseNo, event.id), entity: 'CASE_EVENT', caseNo, event, ...CaseEntity.updatedIndexKeys(caseNo, changedAt) };
  },
  fromItem(item: Item): CaseEvent {
    return item.event as CaseEvent;
  },
};

/** DynamoDB's item size limit (names and values, UTF-8), and the share of it a write may use. */
export const MAX_ITEM_BYTES = 400 * 1024;
const ITEM_BUDGET_BYTES = 380 * 1024;

/**
 * The size DynamoDB counts for an item as the document client holds it: attribute names and string values in
 * UTF-8 bytes, numbers about one byte per two digits, lists and maps 3 bytes plus one per element.
 */
export function itemBytes(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + itemBytes(v), 0);
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce((n: number, v) => n + itemBytes(v), 0);
  if (typeof value === 'object') return 3 + Object.entries(value).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + itemBytes(v), 0);
  return 0;
}

/**
 * Refuses an item that would come near DynamoDB's limit, as a 400 naming the field that makes it so (the largest
 * attribute; an event's `text` is the note, resolution or comment it carries) instead of DynamoDB's
 * ValidationException, which would be a 500. Request limits keep every field far below this; it is the net.
 */
export function assertItemFits(item: Item): void {
  const top = (it: Item): number => Object.entries(it).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + itemBytes(v), 0);
  if (top(item) <= ITEM_BUDGET_BYTES) return;
  const fields = Object.entries(item.event && typeof item.event === 'object' ? (item.event as Item) : item);
  const [largest] = fields.sort(([, a], [, b]) => itemBytes(b) - itemBytes(a))[0] ?? ['item'];
  throw new ValidationError(`The ${largest} is too large to store`, [{ path: largest, message: `is too large to store (a stored item may hold at most ${ITEM_BUDGET_BYTES} bytes)` }]);
}

// ------------------------------------------------------------------------------------------------- counter

export const CounterEntity = {
  /** `day` is `yyyymmdd` in Asia/Taipei. */
  key: (day: string): ItemKey => ({ pk: `SEQ#${day}`, sk: 'SEQ' }),
  valueAttribute: 'seq',
};

// ----------------------------------------------------------------------------------------------------- SOP

const SOP_STORAGE_ATTRIBUTES = new Set<string>(['pk', 'sk', 'entity']);

export const SopEntity = {
  partition: (category: string) => `SOP#${category}`,
  versionPrefix: 'V#',
  /** Zero-padded so a descending Query on the partition returns the newest version first. */
  key: (category: string, version: number): ItemKey => ({ pk: SopEntity.partition(category), sk: `V#${pad(version, 5)}` }),

  toItem(sop: VersionedSop): Item {
    return { ...sop, ...SopEntity.key(sop.category, sop.version), entity: 'SOP' };
  },
  fromItem(item: Item): VersionedSop {
    const sop: Item = {};
    for (const [k, v] of Object.entries(item)) if (!SOP_STORAGE_ATTRIBUTES.has(k)) sop[k] = v;
    return sop as unknown as VersionedSop;
  },
};

// ---------------------------------------------------------------------------------------------- department

export const DepartmentEntity = {
  key: (code: string): ItemKey => ({ pk: `DEPT#${code}`, sk: 'DEPT' }),
  toItem(d: Department, configHash: string): Item {
    return { ...d, ...DepartmentEntity.key(d.code), entity: 'DEPT', configHash };
  },
  fromItem(item: Item): Department {
    const { pk: _pk, sk: _sk, entity: _entity, configHash: _hash, ...d } = item;
    return d as unknown as Department;
  },
};

// --------------------------------------------------------------------------------------------- idempotency

export const IdempotencyEntity = {
  key: (key: string): ItemKey => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  toItem(r: IdempotencyRecord, expiresAt: number): Item {
    return { ...IdempotencyEntity.key(r.key), entity: 'IDEM', ...r, [TTL_ATTRIBUTE]: expiresAt };
  },
  fromItem(item: Item): IdempotencyRecord {
    return {
      key: String(item.key),
      requestHash: String(item.requestHash),
      caseNo: String(item.caseNo),
      createdAt: String(item.createdAt),
    };
  },
};

// ------------------------------------------------------------------------------------------------- API key

/** An Open311 integration client's key, as stored: never the key itself. */
export interface ApiKeyRecord {
  /** Hex SHA-256 of the key: what a request's `api_key` is looked up by. */
  keyHash: string;
  /** Stable, loggable id of the client (derived from the hash, so it reveals nothing of the key). */
  clientId: string;
  clientName: string;
  createdAt: string;
  revokedAt?: string;
}

export const ApiKeyEntity = {
  key: (keyHash: string): ItemKey => ({ pk: `APIKEY#${keyHash}`, sk: 'APIKEY' }),
  toItem(r: ApiKeyRecord): Item {
    return { ...ApiKeyEntity.key(r.keyHash), entity: 'APIKEY', ...r };
  },
  fromItem(item: Item): ApiKeyRecord {
    return {
      keyHash: String(item.keyHash),
      clientId: String(item.clientId),
      clientName: String(item.clientName),
      createdAt: String(item.createdAt),
      ...(typeof item.revokedAt === 'string' ? { revokedAt: item.revokedAt } : {}),
    };
  },
};

// ----------------------------------------------------------------------------------------------------- privacy

/**
 * A `pii-viewed` timeline event: an event item (CaseEventEntity) written alone, since a view is not a change of
 * the case: it neither bumps the version (a reader's If-Match stays valid) nor touches the case item.
 */
export const CaseViewEventEntity = {
  key: (caseNo: string, at: string, nonce: string): ItemKey => ({ pk: CaseEntity.key(caseNo).pk, sk: `${CaseEventEntity.prefix}${at}#${nonce}` }),
  toItem(caseNo: string, event: CaseEvent, nonce: string): Item {
    return { ...CaseViewEventEntity.key(caseNo, event.at, nonce), entity: 'CASE_EVENT', caseNo, event };
  },
};

/**
 * The supervisors' queue of access requests, one item per live request: `PIIACCESS#pending` by request time and
 * `PIIACCESS#approved` by expiry (TTL at the expiry). The repository derives these items from the case's
 * `piiAccess` and writes them in the transaction that changes it (case-repository.ts), so the queue never
 * disagrees with the case; the case stays the truth every decision is conditional on.
 */
export const PiiAccessQueueEntity = {
  partition: (status: string): string => `PIIACCESS#${status}`,
  key: (status: string, at: string, caseNo: string, requestId: string): ItemKey => ({ pk: PiiAccessQueueEntity.partition(status), sk: `${at}#${caseNo}#${requestId}` }),
  keyOf(caseNo: string, r: PiiAccessRequest): ItemKey {
    return r.status === 'approved' ? PiiAccessQueueEntity.key('approved', r.expiresAt ?? '', caseNo, r.id) : PiiAccessQueueEntity.key('pending', r.requestedAt, caseNo, r.id);
  },
  toItem(caseNo: string, r: PiiAccessRequest): Item {
    const ttl = r.status === 'approved' && r.expiresAt ? { [TTL_ATTRIBUTE]: Math.ceil(Date.parse(r.expiresAt) / 1000) } : {};
    return { ...PiiAccessQueueEntity.keyOf(caseNo, r), entity: 'PIIACCESS', caseNo, request: r, ...ttl };
  },
  fromItem(item: Item): { caseNo: string; request: PiiAccessRequest } {
    return { caseNo: String(item.caseNo), request: item.request as PiiAccessRequest };
  },
};

/**
 * A console notification in a role's (and department's) inbox: `NOTE#supervisor#-`, `NOTE#staff#PWD`, by time;
 * TTL after NOTIFICATION_DAYS. Written by a conditional put in the transaction of the change it tells about.
 */
export const NotificationEntity = {
  partition: (inbox: Inbox): string => `NOTE#${inbox.role}#${inbox.department ?? '-'}`,
  key: (role: string, department: string, id: string): ItemKey => ({ pk: NotificationEntity.partition({ role: role as Inbox['role'], department }), sk: id }),
  toItem(inbox: Inbox, n: ConsoleNotification): Item {
    const expires = Math.ceil(Date.parse(n.at) / 1000) + NOTIFICATION_DAYS * 86_400;
    return { pk: NotificationEntity.partition(inbox), sk: n.id, entity: 'NOTE', ...n, [TTL_ATTRIBUTE]: expires };
  },
  fromItem(item: Item): ConsoleNotification {
    const { pk: _pk, sk: _sk, entity: _entity, [TTL_ATTRIBUTE]: _ttl, ...n } = item;
    return n as unknown as ConsoleNotification;
  },
};

/** How far a person has read their inbox: `USER#<sub>` / `NOTEREAD`, `readUpTo` (an ISO instant). */
export const NotificationReadEntity = {
  key: (userId: string): ItemKey => ({ pk: `USER#${userId}`, sk: 'NOTEREAD' }),
};

/**
 * How far a recipient group's e-mail digest went: `DIGEST#<department code>` / `CURSOR`, `upTo` the last
 * notification id a digest listed. Moved by a conditional update from the value read, so two runs send one digest.
 */
export const DigestCursorEntity = {
  key: (group: string): ItemKey => ({ pk: `DIGEST#${group}`, sk: 'CURSOR' }),
};

export const AuditEntity = {
  /** `AUDIT#2026-11-27`: one partition per Taipei day. */
  partition: (iso: string): string => `AUDIT#${taipeiDate(new Date(iso))}`,
  dayPartition: (day: string): string => `AUDIT#${day}`,
  key: (r: Pick<PhoneSearchAuditRecord, 'at' | 'id'>): ItemKey => ({ pk: AuditEntity.partition(r.at), sk: `${r.at}#${r.id}` }),
  toItem(r: PhoneSearchAuditRecord, expiresAt: number): Item {
    return { ...AuditEntity.key(r), entity: 'AUDIT', type: 'phone-search', ...r, [TTL_ATTRIBUTE]: expiresAt };
  },
  fromItem(item: Item): PhoneSearchAuditRecord {
    return {
      id: String(item.id),
      at: String(item.at),
      by: String(item.by),
      role: String(item.role),
      reason: String(item.reason),
      phoneHash: String(item.phoneHash),
      caseNos: Array.isArray(item.caseNos) ? item.caseNos.map(String) : [],
    };
  },
};

/** A fixed-window counter: `RATE#client#<id>#202611270105`, `RATE#sms#<phone hash>#2026-11-27`. */
export const RateCounterEntity = {
  key: (kind: string, subject: string, window: string): ItemKey => ({ pk: `${RateCounterEntity.partitionPrefix(kind)}${subject}#${window}`, sk: 'RATE' }),
  /** `RATE#client#`: every counter of one kind starts so (IAM's dynamodb:LeadingKeys pattern appends `*`). */
  partitionPrefix: (kind: string): string => `RATE#${kind}#`,
  countAttribute: 'hits',
};

/** Resolutions on time / late per Taipei day and department, one partition per month. */
export const SlaStatisticsEntity = {
  partition: (month: string) => `STATS#SLA#${month}`,
  /** `day` is yyyy-mm-dd (Taipei). */
  key: (day: string, department: string): ItemKey => ({ pk: SlaStatisticsEntity.partition(day.slice(0, 7)), sk: `${day}#${department}` }),
  /** Sort-key bounds of whole days: `#` sorts before every character of a department code, `~` after. */
  dayRange: (fromDay: string, toDay: string) => ({ ':from': `${fromDay}#`, ':to': `${toDay}#~` }),
  /** What makes one resolution unique: a reopened case resolved again is a new resolution. */
  marker: (r: { caseNo: string; resolvedAt: string }) => `${r.caseNo}@${r.resolvedAt}`,
  /** The other events of a day (created, reopened, satisfied, unsatisfied): `reopened:<caseNo>@<instant>`. */
  eventMarker: (e: { counter: string; caseNo: string; at: string }) => `${e.counter}:${e.caseNo}@${e.at}`,
};

/**
 * The open-case figures (domain/open-figures.ts), moved in each case write's transaction. The counters are spread
 * over a few items, the case's by its number, so that concurrent transactions rarely touch the same item (one
 * that does is cancelled and retried), and within a shard each department's counters have an item of their own,
 * so no item grows with the number of departments; the dashboard reads them all with one Query. The due counters are one
 * item per UTC day of deadlines, attributes by department plus `total`: the overdue count is the days before
 * today read whole, plus today's deadlines up to now read from gsi10's keys.
 */
export const OpenFiguresEntity = {
  partition: 'STATS#OPEN',
  shards: 8,
  key: (shard: number): ItemKey => ({ pk: OpenFiguresEntity.partition, sk: `SHARD#${shard}` }),
  /**
   * The counters of a shard's cases a department holds (open-figure-updates.ts): apart from the shard's item, so
   * a transactional update, billed on the whole item, touches a few hundred bytes rather than every department's.
   */
  departmentKey: (shard: number, department: string): ItemKey => ({ pk: OpenFiguresEntity.partition, sk: `SHARD#${shard}#${department}` }),
  /** A case's shard: a stable spread of its number. */
  shardOf(caseNo: string): number {
    let h = 0;
    for (let i = 0; i < caseNo.length; i++) h = (Math.imul(h, 31) + caseNo.charCodeAt(i)) >>> 0;
    return h % OpenFiguresEntity.shards;
  },
  duePartition: 'STATS#DUE',
  /** `day` is the deadline's UTC day, yyyy-mm-dd. */
  dueKey: (day: string): ItemKey => ({ pk: OpenFiguresEntity.duePartition, sk: day }),
  dueTotal: 'total',
};

/**
 * Cases created per UTC hour, category and district, one partition per UTC day: one Query per hour (`<HH>#`
 * prefix) returns every category and district of that hour, which is what the spike job reads.
 */
export const HourlyCountEntity = {
  partition: (day: string) => `STATS#HOUR#${day}`,
  /** `bucket` is an hour bucket `YYYY-MM-DDTHH` (UTC, domain/spike-detection.ts hourBucket). */
  key: (bucket: string, category: string, district: string): ItemKey => ({
    pk: HourlyCountEntity.partition(bucket.slice(0, 10)),
    sk: `${HourlyCountEntity.hourPrefix(bucket)}${category}#${district}`,
  }),
  /** Sort-key prefix of one hour's items in its day partition: `05#`. */
  hourPrefix: (bucket: string) => `${bucket.slice(11, 13)}#`,
  countAttribute: 'cases',
  /** What makes one intake unique: the case, counted once whatever its later category. */
  marker: (caseNo: string) => caseNo,
  /** Sort-key bounds of the hours `from`..`to` (HH) of one day partition: `~` sorts after every code. */
  hourRange: (fromHour: string, toHour: string) => ({ ':from': `${fromHour}#`, ':to': `${toHour}#~` }),
};

/**
 * A finished Taipei day's cases by category and by district (usecases/daily-tallies.ts), one partition per
 * month: a 30-day trend is one or two Queries.
 */
export const DailyTallyEntity = {
  partition: (month: string) => `STATS#DAY#${month}`,
  /** `day` is yyyy-mm-dd (Taipei). */
  key: (day: string): ItemKey => ({ pk: DailyTallyEntity.partition(day.slice(0, 7)), sk: day }),
};

/** Early warnings, one partition per month of the hour the episode started (the id carries it). */
export const WarningEntity = {
  partition: (month: string) => `WARN#${month}`,
  key: (id: string, month: string): ItemKey => ({ pk: WarningEntity.partition(month), sk: id }),
};

/** The current episode of one warning series (a category in a district, a category city-wide, a place). */
export const EpisodeEntity = {
  key: (seriesKey: string): ItemKey => ({ pk: `EPISODE#${seriesKey}`, sk: 'EPISODE' }),
};

/**
 * The category-suggestion model: one version per training run, its JSON cut into parts (a model with a city's
 * history outgrows one item's 400 KB), and a pointer to the current version.
 */
export const CategoryModelEntity = {
  partition: 'MODEL#category-suggestion',
  key: (sk: string): ItemKey => ({ pk: CategoryModelEntity.partition, sk }),
  currentKey: (): ItemKey => CategoryModelEntity.key('CURRENT'),
  /** `V#2026-12-03T18:00:00.000Z#`: the prefix of one version's parts. */
  versionPrefix: (version: string) => `V#${version}#`,
  partKey: (version: string, part: number): ItemKey => CategoryModelEntity.key(`${CategoryModelEntity.versionPrefix(version)}${pad(part, 3)}`),
};

/** Where a scheduled job got to (so a missed day is caught up, never skipped). */
export const JobMarkEntity = {
  key: (job: string): ItemKey => ({ pk: `JOB#${job}`, sk: 'JOB' }),
};

// ------------------------------------------------------------------------------------------- knowledge base

/**
 * Knowledge-base articles (functions/adapters/article-store.ts). The published articles share one partition, so
 * the search index is rebuilt from one Query (never a Scan); a revision item, bumped by every change of what is
 * published, tells a container its index is stale. Every version of an article is an item of its own partition.
 */
export const ArticleEntity = {
  publishedPartition: 'KB#PUBLISHED',
  publishedKey: (id: string): ItemKey => ({ pk: ArticleEntity.publishedPartition, sk: `ART#${id}` }),
  publishedPrefix: 'ART#',
  versionPartition: (id: string) => `KB#ART#${id}`,
  versionPrefix: 'V#',
  versionKey: (id: string, version: number): ItemKey => ({ pk: ArticleEntity.versionPartition(id), sk: `V#${pad(version, 5)}` }),
  revisionKey: (): ItemKey => ({ pk: 'KB#REVISION', sk: 'KB' }),
  /** Each article's current state (version, status, title, department), all in one partition for the editors' list. */
  headPartition: 'KB#HEAD',
  headKey: (id: string): ItemKey => ({ pk: ArticleEntity.headPartition, sk: `ART#${id}` }),
  /** Every knowledge-base partition (IAM's dynamodb:LeadingKeys pattern). */
  partitionPattern: 'KB#*',
  /** Drops the storage attributes of an article item. */
  fromItem<T>(item: Item): T {
    const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
    return rest as T;
  },
};

/**
 * A question no article answered: `KB#REQ#<yyyy-mm>` / `<dept>#<iso>#<caseNo>`. One partition per month, so a
 * month's questions are one Query and a department's a Query on its sort-key prefix.
 */
export const ArticleRequestEntity = {
  partition: (month: string) => `KB#REQ#${month}`,
  key: (department: string, at: string, caseNo: string): ItemKey => ({ pk: ArticleRequestEntity.partition(taipeiDate(new Date(at)).slice(0, 7)), sk: `${department}#${at}#${caseNo}` }),
  departmentPrefix: (department: string) => `${department}#`,
};

/** A surge topic a supervisor pinned for the intake screen: `KB#SURGE` / `TOPIC#<id>`, all in one partition. */
export const SurgeTopicEntity = {
  partition: 'KB#SURGE',
  key: (id: string): ItemKey => ({ pk: SurgeTopicEntity.partition, sk: `TOPIC#${id}` }),
  prefix: 'TOPIC#',
};

/**
 * Inquiry figures per Taipei day, one partition per month: `STATS#KB#<yyyy-mm>` / `<day>` counts inquiries by
 * outcome; `<day>#A#<articleId>` the calls an article answered; `<day>#T#<topic>` the calls of a surge topic.
 * Each count is one conditional ADD with the case number as its marker, so a retry counts nothing twice.
 */
export const InquiryStatsEntity = {
  partition: (month: string) => `STATS#KB#${month}`,
  key: (day: string, detail?: { article?: string; topic?: string }): ItemKey => ({
    pk: InquiryStatsEntity.partition(day.slice(0, 7)),
    sk: detail?.article ? `${day}#A#${detail.article}` : detail?.topic ? `${day}#T#${detail.topic}` : day,
  }),
  countAttribute: 'calls',
};

/** A person's display name, role and department as their last sign-in recorded them (user-directory.ts). */
export const UserEntity = {
  key: (id: string): ItemKey => ({ pk: `USER#${id}`, sk: 'PROFILE' }),
};

/**
 * A department's staff list: one item per staff member who signed in with that department, under the department,
 * so the people a case can be assigned to are one Query. A copy of the profile's id and name; the profile stays the
 * truth (someone moved to another department leaves an item behind, which the reader drops).
 */
export const StaffRosterEntity = {
  partition: (department: string): string => `STAFF#${department}`,
  key: (department: string, id: string): ItemKey => ({ pk: StaffRosterEntity.partition(department), sk: `USER#${id}` }),
};
