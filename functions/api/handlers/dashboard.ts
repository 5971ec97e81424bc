/** GET /dashboard — the supervisors' figures: open cases, deadlines, escalations, SLA compliance, hot spots. */
import { caseStatistics, dailyTallies, departmentDirectory } from '../../composition';
import { getDashboard, type DashboardPorts } from '../../usecases/dashboard';
import { httpHandler } from '../http';
import { dashboardQuery } from '../schemas';

const ports: DashboardPorts = {
  statistics: caseStatistics(),
  departments: departmentDirectory(),
  tallies: dailyTallies(),
};

export const handler = httpHandler('getDashboard', { query: dashboardQuery }, async ({ query }) => ({ body: await getDashboard(ports, undefined, query.window) }));
