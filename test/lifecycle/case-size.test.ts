/**
 * The size rule: no number or size of notes, actions and events pushes any item near DynamoDB's 400 KB item limit,
 * so no case can be stuck by its own history. One case gets 1,000 notes of the allowed 2,000 Chinese characters
 * (3 bytes each in UTF-8) and then its whole lifecycle to CLOSED with a resolution of the allowed 4,000, through
 * the use cases and the real repository. Under `npm run test:ddb-local` this runs against AWS's DynamoDB Local,
 * which enforces the limit (dynalite does not); it prints the largest items it finds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DynamoCaseRepository } from '../../functions/adapters/case-repository';
import { CaseEntity, MAX_ITEM_BYTES } from '../../functions/adapters/table';
import type { Actor } from '../../functions/domain/actor';
import type { Case } from '../../functions/domain/case';
import { ManualClock, useClock } from '../../functions/domain/clock';
import { ValidationError } from '../../functions/domain/errors';
import { DESCRIPTION_MAX, NOTE_MAX, addNoteBody } from '../../functions/api/schemas';
import { resolveBody } from '../../functions/usecases/lifecycle/action-inputs';
import { addNote } from '../../functions/usecases/add-note';
import { acknowledgeCase } from '../../functions/usecases/lifecycle/acknowledge-case';
import { resolveCase } from '../../functions/usecases/lifecycle/resolve-case';
import { closeUnanswered } from '../../functions/usecases/lifecycle/close-unanswered';
import { itemSize } from '../../bench/lib/wru-tap';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { TaskTokens } from '../workflow/support/fakes';
import { aCase } from '../adapters/case-fixtures';

const NOTES = 1_000;
const RESOLUTION_MAX = 4_000;
const AGENT: Actor = { id: 'agent-1', role: 'agent' };
const PWD_STAFF: Actor = { id: 'staff-pwd', role: 'staff', department: 'PWD' };
/** Chinese text of exactly `n` characters (3 UTF-8 bytes each), different per use so nothing compresses alike. */
const chinese = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7 + seed * 13) % 20_000))).join('');

let local: LocalTable;
let cases: DynamoCaseRepository;
let tokens: TaskTokens;
let clock: ManualClock;
let restoreClock: () => void;

beforeAll(async () => {
  local = await startDynalite();
  cases = new DynamoCaseRepository(local.ddb, local.tableName);
  tokens = new TaskTokens();
  clock = new ManualClock('2026-11-27T02:00:00.000Z');
  restoreClock = useClock(clock);
});
afterAll(async () => {
  restoreClock();
  await local.close();
});

/** A case waiting for its acknowledgement, with the given description. */
const newCase = (caseNo: string, description: string): Case => aCase({ caseNo, description, pendingTaskToken: 'ack-token', waitingFor: 'acknowledgement' });

/** Every item of the case's partition as stored, with its size as DynamoDB counts it. */
async function partitionSizes(caseNo: string): Promise<Array<{ sk: string; bytes: number }>> {
  const sizes: Array<{ sk: string; bytes: number }> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const out = await local.client.send(
      new QueryCommand({
        TableName: local.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: CaseEntity.key(caseNo).pk } },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of out.Items ?? []) sizes.push({ sk: item.sk.S ?? '', bytes: itemSize(item) });
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return sizes;
}

describe('no case outgrows an item', () => {
  it(`${NOTES.toLocaleString('en')} notes of ${NOTE_MAX} Chinese characters, then a lifecycle to CLOSED: every write succeeds and every item stays small`, { timeout: 600_000 }, async () => {
    // Arrange: a case with the longest description allowed.
    const caseNo = '20261127-07001';
    await cases.create(newCase(caseNo, chinese(DESCRIPTION_MAX, 0)), { type: 'created', by: AGENT.id });
    const ackAnswer = tokens.open('ack-token');

    // Act: the notes, one by one as agents add them, then acknowledge, resolve (longest resolution) and close.
    for (let n = 1; n <= NOTES; n++) {
      clock.advance(1_000);
      await addNote({ cases }, AGENT, caseNo, chinese(NOTE_MAX, n));
    }
    await acknowledgeCase({ cases, workflow: tokens }, PWD_STAFF, caseNo);
    await ackAnswer;
    // The workflow's resolution wait, as its Await step records it.
    const acked = await cases.get(caseNo);
    await cases.update(caseNo, acked!.version, { set: { pendingTaskToken: 'resolve-token', waitingFor: 'resolution' }, event: { type: 'waiting', by: 'workflow' } });
    const resolveAnswer = tokens.open('resolve-token');
    await resolveCase({ cases, workflow: tokens }, PWD_STAFF, caseNo, { resolution: chinese(RESOLUTION_MAX, 9_999) });
    await resolveAnswer;
    await closeUnanswered({ cases }, { caseNo });

    // Assert: closed, every event on the timeline (read page by page), and no item anywhere near the limit.
    const closed = await cases.get(caseNo);
    expect(closed?.status).toBe('CLOSED');
    const types: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await cases.timeline(caseNo, { limit: 200, ...(cursor ? { cursor } : {}) });
      types.push(...page.items.map((e) => e.type));
      cursor = page.cursor;
    } while (cursor);
    expect(types.filter((t) => t === 'note')).toHaveLength(NOTES);
    expect(types.slice(-4)).toEqual(['acknowledged', 'waiting', 'resolved', 'closed']);

    const sizes = await partitionSizes(caseNo);
    const caseItem = sizes.find((s) => s.sk === 'CASE')!;
    const largestEvent = Math.max(...sizes.filter((s) => s !== caseItem).map((s) => s.bytes));
    console.info(`case-size: largest case item after ${NOTES} notes of ${NOTE_MAX} Chinese characters and a lifecycle to CLOSED: ${caseItem.bytes} bytes; largest event item: ${largestEvent} bytes; items in the partition: ${sizes.length}`);
    // The case item carries the description and the resolution (12 KB each at most), never the notes.
    expect(caseItem.bytes).toBeLessThan(32 * 1024);
    // The largest event is the resolution (the note events are 6 KB each).
    expect(largestEvent).toBeLessThan(16 * 1024);
    expect(Math.max(...sizes.map((s) => s.bytes))).toBeLessThan(MAX_ITEM_BYTES / 10);
  });
});

describe('a text that would not fit is a 400 naming its field, never a 500', () => {
  it('the request schemas refuse a note, a description or a resolution over its limit, naming the field', () => {
    expect(addNoteBody.safeParse({ text: chinese(NOTE_MAX + 1, 1) }).error?.issues[0].path).toEqual(['text']);
    expect(resolveBody.safeParse({ resolution: chinese(RESOLUTION_MAX + 1, 1) }).error?.issues[0].path).toEqual(['resolution']);
  });

  it('an item that would still come near the limit is refused by the repository naming the field, and nothing is written', async () => {
    const caseNo = '20261127-07002';
    await cases.create(newCase(caseNo, '坑洞'), { type: 'created', by: AGENT.id });

    const note = await cases.update(caseNo, 1, { event: { type: 'note', by: AGENT.id, text: chinese(140_000, 2) } }).catch((e: unknown) => e);
    const created = await cases.create(newCase('20261127-07003', chinese(140_000, 3)), { type: 'created', by: AGENT.id }).catch((e: unknown) => e);

    expect(note).toBeInstanceOf(ValidationError);
    expect(note).toMatchObject({ fields: [{ path: 'text' }] });
    expect(created).toMatchObject({ fields: [{ path: 'description' }] });
    expect((await cases.get(caseNo))?.version).toBe(1);
    expect(await cases.get('20261127-07003')).toBeUndefined();
  });
});
