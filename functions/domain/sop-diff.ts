/**
 * What changed between two SOP versions, field by field, for the editor's review before saving and for the
 * version history. Pure: the console computes it from the versions it already has.
 *
 * Questions (`attributes`) are matched by their code, not their place, so moving a question reads as one change
 * of the order rather than every question after it changing; their `order` numbers are not listed themselves.
 */

/** One changed field: its path (`guidance.zh`, `attributes[size].required`, `districtOverrides.zhongli`) and both values. */
export interface SopFieldChange {
  path: string;
  /** Absent: the field is new. */
  before?: SopDiffValue;
  /** Absent: the field was removed. */
  after?: SopDiffValue;
}

/** A leaf value: texts, numbers and flags as they are, lists of texts joined. */
export type SopDiffValue = string | number | boolean;

/** The path of the questions' order in a change list. */
export const QUESTION_ORDER_PATH = 'attributes (order)';

/** Version bookkeeping, not content: never a change. */
const BOOKKEEPING = new Set(['version', 'updatedAt', 'updatedBy', 'origin', 'reason', 'contentHash']);

type Json = Readonly<Record<string, unknown>>;

/** The changes from `before` to `after` (each a SOP or an edit body), in a stable order: the fields as `after` lists them. */
export function diffSops(before: Json | undefined, after: Json): SopFieldChange[] {
  const old = leaves(before ?? {});
  const now = leaves(after);
  const changes: SopFieldChange[] = [];
  for (const [path, value] of now) {
    const was = old.get(path);
    if (was !== value) changes.push(was === undefined ? { path, after: value } : { path, before: was, after: value });
  }
  for (const [path, was] of old) if (!now.has(path)) changes.push({ path, before: was });
  const order = [questionOrder(before ?? {}), questionOrder(after)];
  const [oldOrder, newOrder] = order.map((codes) => codes.join(', '));
  if (before && oldOrder !== newOrder && sameMembers(order[0], order[1])) changes.push({ path: QUESTION_ORDER_PATH, before: oldOrder, after: newOrder });
  return changes;
}

/** Every leaf of a SOP by its path; questions by code. */
function leaves(sop: Json): Map<string, SopDiffValue> {
  const out = new Map<string, SopDiffValue>();
  for (const [key, value] of Object.entries(sop)) {
    if (BOOKKEEPING.has(key)) continue;
    if (key === 'attributes' && Array.isArray(value)) {
      for (const q of value as unknown[]) {
        if (!isObject(q)) continue;
        const { order: _order, code, ...rest } = q;
        walk(`attributes[${String(code)}]`, rest, out);
      }
    } else walk(key, value, out);
  }
  return out;
}

function walk(path: string, value: unknown, out: Map<string, SopDiffValue>): void {
  if (value === undefined || value === null) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out.set(path, value);
  else if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' || typeof v === 'number')) out.set(path, value.join(', '));
    else value.forEach((v, i) => walk(`${path}[${i}]`, v, out));
  } else if (isObject(value)) for (const [k, v] of Object.entries(value)) walk(`${path}.${k}`, v, out);
}

/** The questions still asked, in the order intake asks them. */
function questionOrder(sop: Json): string[] {
  const list = Array.isArray(sop.attributes) ? (sop.attributes as unknown[]).filter(isObject) : [];
  return list
    .map((q, i) => ({ q, i }))
    .filter(({ q }) => q.retired !== true)
    .sort((x, y) => (Number(x.q.order) || 0) - (Number(y.q.order) || 0) || x.i - y.i)
    .map(({ q }) => String(q.code));
}

/** Adding or retiring a question already shows as its own change; the order is news only when the same questions move. */
function sameMembers(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
