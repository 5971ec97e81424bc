/** Open311 reads (public open data): the Lambda module behind every GET /open311/v2/... route. */
import { ddb } from '../adapters/clients';
import { ConfigDepartmentDirectory } from '../adapters/department-directory';
import { DynamoOpen311RequestReader } from '../adapters/open311-request-store';
import { DynamoSopCatalog } from '../adapters/sop-catalog';
import { env } from '../config/environment';
import { open311ReadHandler } from './handlers';
import { open311Settings } from './settings';

export const handler = open311ReadHandler({
  sops: new DynamoSopCatalog(ddb, env.tableName()),
  departments: new ConfigDepartmentDirectory(),
  requests: new DynamoOpen311RequestReader(ddb, env.tableName()),
  settings: open311Settings(),
});
