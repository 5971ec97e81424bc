/** GET /dashboard — the supervisors' figures: open cases, deadlines, escalations, SLA compliance, hot spots. */
import { ddb } from '../../adapters/clients';
import { DynamoCaseStatistics } from '../../adapters/case-statistics';
import { ConfigDepartmentDirectory } from '../../adapters/department-directory';
import { env } from '../../config/environment';
import { getDashboard, type DashboardPorts } from '../../usecases/dashboard';
import { httpHandler } from '../http';

const ports: DashboardPorts = {
  statistics: new DynamoCaseStatistics(ddb, env.tableName()),
  departments: new ConfigDepartmentDirectory(),
};

export const handler = httpHandler('getDashboard', async () => ({ body: await getDashboard(ports) }));
