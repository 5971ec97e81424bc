/**
 * GET /dashboard — the supervisors' figures: open cases, deadlines, escalations, SLA compliance, hot spots, trends.
 * GET /reports/meeting — a month's improvement-meeting pack (usecases/meeting-pack.ts).
 */
import { caseStatistics, dailyTallies, departmentDirectory, sopCatalog, warningStore } from '../../composition';
import { taipeiDate } from '../../domain/case-number';
import { now as clockNow } from '../../domain/clock';
import { getDashboard, type DashboardPorts } from '../../usecases/dashboard';
import { meetingPack, type MeetingPackPorts } from '../../usecases/meeting-pack';
import { httpHandler, routeDispatcher } from '../http';
import { dashboardQuery, meetingPackQuery } from '../schemas';

const ports: DashboardPorts = {
  statistics: caseStatistics(),
  departments: departmentDirectory(),
  tallies: dailyTallies(),
};

const packPorts: MeetingPackPorts = {
  tallies: dailyTallies(),
  hours: caseStatistics(),
  counters: caseStatistics(),
  warnings: warningStore(),
  sops: sopCatalog(),
  departments: departmentDirectory(),
};

export const handler = routeDispatcher({
  getDashboard: httpHandler('getDashboard', { query: dashboardQuery }, async ({ query }) => ({ body: await getDashboard(ports, undefined, query.window) })),
  getMeetingPack: httpHandler('getMeetingPack', { query: meetingPackQuery }, async ({ query }) => {
    const at = clockNow();
    return { body: await meetingPack(packPorts, query.month ?? taipeiDate(at).slice(0, 7), at) };
  }),
});
