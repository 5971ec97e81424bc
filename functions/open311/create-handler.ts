/** Open311 POST requests (api_key): the Lambda module that files a case and starts its workflow. */
import { apiKeyStore, attachmentStore, businessMetrics, caseRepository, caseWorkflow, departmentDirectory, idempotencyStore, open311Settings, places, rateCounters, sopCatalog } from '../composition';
import { open311CreateHandler } from './handlers';

export const handler = open311CreateHandler(
  {
    cases: caseRepository(),
    idempotency: idempotencyStore(),
    sops: sopCatalog(),
    workflow: caseWorkflow(),
    apiKeys: apiKeyStore(),
    caps: rateCounters(),
    departments: departmentDirectory(),
    places: places(),
    files: attachmentStore(),
    metrics: businessMetrics(),
  },
  open311Settings(),
);
