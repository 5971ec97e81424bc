/** Open311 reads (public open data): the Lambda module behind every GET /open311/v2/... route. */
import { departmentDirectory, open311Requests, open311Settings, sopCatalog } from '../composition';
import { open311ReadHandler } from './handlers';

export const handler = open311ReadHandler({
  sops: sopCatalog(),
  departments: departmentDirectory(),
  requests: open311Requests(),
  settings: open311Settings(),
});
