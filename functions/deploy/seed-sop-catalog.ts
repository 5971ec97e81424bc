/**
 * The deploy step that seeds the SOP catalogue: a CloudFormation custom resource (infra/constructs/sop-catalog-seed.ts)
 * whose Lambda stores every SOP of config/sops.json that changed as a new version (functions/adapters/sop-catalog.ts).
 * CDK changes the resource's properties whenever config/sops.json or the deployed commit changes, so it runs on
 * the deploys that can change the catalogue; running it again stores nothing. Deleting the stack keeps the
 * versions: cases refer to them.
 */
import type { CdkCustomResourceHandler } from 'aws-lambda';
import { seedSopCatalog } from '../composition';
import { logger } from '../shared/logger';

/** One catalogue per table: the physical id never changes, so an update is never a replacement. */
const PHYSICAL_ID = 'sop-catalog-seed';

export const handler: CdkCustomResourceHandler = async (event) => {
  if (event.RequestType === 'Delete') return { PhysicalResourceId: event.PhysicalResourceId };
  const author: unknown = event.ResourceProperties.Author;
  const result = await seedSopCatalog(typeof author === 'string' && author !== '' ? author : undefined);
  logger.info('SOP catalogue seeded', { stored: result.stored, unchanged: result.unchanged.length });
  return { PhysicalResourceId: PHYSICAL_ID, Data: { Stored: result.stored.length } };
};
