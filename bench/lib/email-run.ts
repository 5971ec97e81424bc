/**
 * Counting the e-mails a local-cloud run sends to the departments' configured addresses (the outbox, as
 * `GET /_local/outbox?protocol=email` shows it), and moving the stopped local clock forward step by step, letting
 * the workflows and scheduled jobs the step set off finish before the next one. Used by bench/email-count.ts and the
 * digest's end-to-end test.
 */
import type { DepartmentsFile } from '../../functions/config/schema';
import type { LocalCloud } from '../../local/cloud';

/** Department code -> e-mails its configured addresses received (citizens' e-mail, through SES, is not counted). */
export async function emailsByDepartment(cloud: LocalCloud, departments: DepartmentsFile): Promise<Record<string, number>> {
  const res = await fetch(`${cloud.urls.api}/_local/outbox?protocol=email`);
  const { entries } = (await res.json()) as { entries: Array<{ endpoint: string }> };
  const owner = new Map(departments.departments.flatMap((d) => d.subscriptions.filter((s) => s.protocol === 'email').map((s) => [s.endpoint, d.code] as const)));
  const counts: Record<string, number> = {};
  for (const e of entries) {
    const code = owner.get(e.endpoint);
    if (code) counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

async function outboxSize(cloud: LocalCloud): Promise<number> {
  const res = await fetch(`${cloud.urls.api}/_local/outbox`);
  return ((await res.json()) as { entries: unknown[] }).entries.length;
}

/** Waits until the outbox has not grown for `quietMs` of real time (the workflows a clock step woke are done). */
export async function settle(cloud: LocalCloud, quietMs = 1_500, maxMs = 60_000): Promise<void> {
  const end = Date.now() + maxMs;
  let last = await outboxSize(cloud);
  let stableSince = Date.now();
  while (Date.now() - stableSince < quietMs) {
    if (Date.now() > end) throw new Error(`the outbox kept growing for ${maxMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
    const size = await outboxSize(cloud);
    if (size !== last) {
      last = size;
      stableSince = Date.now();
    }
  }
}

/** Moves the local clock `hours` forward in `stepHours` steps, settling after each. */
export async function advanceHours(cloud: LocalCloud, hours: number, stepHours: number, quietMs?: number): Promise<void> {
  for (let done = 0; done < hours; done += stepHours) {
    cloud.clock.advance(Math.min(stepHours, hours - done) * 3_600_000);
    await settle(cloud, quietMs);
  }
}
