/** POST /cases/{caseNo}/reports — attach another caller's report to an open case instead of logging a new one. */
import { caseRepository, sopCatalog } from '../../composition';
import { addReport, type AddReportPorts } from '../../usecases/add-report';
import { etag, httpHandler } from '../http';
import { addReportBody, caseNoPath } from '../schemas';

const ports: AddReportPorts = {
  cases: caseRepository(),
  sops: sopCatalog(),
};

export const handler = httpHandler('addCaseReport', { path: caseNoPath, body: addReportBody }, async ({ actor, pathParameters, body }) => {
  const report = await addReport(ports, actor, pathParameters.caseNo, body);
  return { statusCode: 201, body: report, headers: { etag: etag(report.version) } };
});
