/**
 * `npx tsx bench/email-count.ts [--days 7] [--step-hours 6] [--delivery both|immediate|default]`: the e-mails one
 * demo run sends to each department's configured addresses, once with every event e-mailed as it happens (the
 * behaviour before digests: `immediate`) and once with the stage default (the supervisors' daily digest:
 * `default`). A run is `npm start`'s: the local cloud in memory with the demo cases (seeded through the API, as
 * `npm start` does), then its clock, stopped, moved forward `--days` in `--step-hours` steps; after each step the
 * run waits until the outbox stops growing. Both runs take the same steps from the same demo data.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../functions/config/load';
import { DEFAULT_EMAIL_DELIVERY, IMMEDIATE_EMAIL_DELIVERY, type EmailDelivery } from '../functions/domain/email-delivery';
import { startLocalCloud } from '../local/cloud';
import { advanceHours, emailsByDepartment, settle } from './lib/email-run';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
const { values } = parseArgs({ options: { days: { type: 'string', default: '7' }, 'step-hours': { type: 'string', default: '6' }, delivery: { type: 'string', default: 'both' } } });
const days = Number(values.days);
const stepHours = Number(values['step-hours']);
if (!(days > 0) || !(stepHours > 0)) throw new Error('--days and --step-hours must be positive numbers');
// The default run first: the handlers' modules, and the EMAIL_DELIVERY their composition root read, live once per
// process (once per container on AWS). The immediate run's digest topic has no subscribers, so its digest job,
// whatever it read, e-mails nobody; the other way round, the default run's job would find no group in digest mode.
const runs: Array<[string, EmailDelivery]> = [];
if (values.delivery === 'both' || values.delivery === 'default') runs.push(['default (supervisors: daily digest)', DEFAULT_EMAIL_DELIVERY]);
if (values.delivery === 'both' || values.delivery === 'immediate') runs.push(['immediate (before digests)', IMMEDIATE_EMAIL_DELIVERY]);
if (runs.length === 0) throw new Error('--delivery must be both, immediate or default');

const departments = loadConfig().departments;
const { level2, level3 } = departments.escalationDepartments;
const rows: Array<Record<string, string | number>> = [];
for (const [label, emailDelivery] of runs) {
  const cloud = await startLocalCloud({ port: 0, inMemory: true, demoData: true, quiet: true, timeScale: 0, handlerLogLevel: 'ERROR', emailDelivery, log: () => undefined });
  try {
    await settle(cloud);
    const seeded = await emailsByDepartment(cloud, departments);
    await advanceHours(cloud, days * 24, stepHours);
    const counts = await emailsByDepartment(cloud, departments);
    const others = Object.entries(counts).filter(([code]) => code !== level2 && code !== level3).reduce((n, [, c]) => n + c, 0);
    rows.push({
      delivery: label,
      [`${level2} (1999 supervisors)`]: counts[level2] ?? 0,
      [`${level3} (mayor's office)`]: counts[level3] ?? 0,
      'other departments': others,
      'all, of which at seeding': `${Object.values(counts).reduce((a, b) => a + b, 0)} (${Object.values(seeded).reduce((a, b) => a + b, 0)})`,
      'digest job runs': cloud.scheduledJobRuns().SendEmailDigests ?? 0,
    });
  } finally {
    await cloud.close();
  }
}
console.log(`Demo run: demo cases, then ${days} days of local time in ${stepHours}-hour steps`);
console.table(rows);
