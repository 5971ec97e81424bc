/**
 * The deploy step that seeds the SOP catalogue: the Lambda behind a CloudFormation custom resource
 * (infra/constructs/sop-catalog-seed.ts) that stores every SOP of config/sops.json that changed as a new version
 * (functions/adapters/sop-catalog.ts). CDK changes the resource's properties whenever config/sops.json or the
 * deployed commit changes, so it runs on the deploys that can change the catalogue; running it again stores
 * nothing. Deleting the stack keeps the versions: cases refer to them.
 *
 * CloudFormation invokes the function directly (no provider framework, whose own function would not be one of
 * ours: its runtime, architecture, tracing and logs are CDK's) and waits for the answer at the event's pre-signed
 * `ResponseURL`. So the handler always answers, FAILED with the reason when seeding throws: an unanswered
 * request would hold the deploy for an hour.
 */
import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse, Context } from 'aws-lambda';
import { loadSecretKeys, seedKnowledgeBase, seedSopCatalog } from '../composition';
import { logger } from '../shared/logger';

/** One catalogue per table: the physical id never changes, so an update is never a replacement. */
export const SEED_PHYSICAL_ID = 'sop-catalog-seed';

export const handler = async (event: CloudFormationCustomResourceEvent, context: Pick<Context, 'logStreamName'>): Promise<void> => {
  await answerCloudFormation(event.ResponseURL, await seedOn(event, context));
};

async function seedOn(event: CloudFormationCustomResourceEvent, context: Pick<Context, 'logStreamName'>): Promise<CloudFormationCustomResourceResponse> {
  const request = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  if (event.RequestType === 'Delete') return { ...request, PhysicalResourceId: event.PhysicalResourceId, Status: 'SUCCESS' };
  try {
    const author: unknown = event.ResourceProperties.Author;
    const by = typeof author === 'string' && author !== '' ? author : undefined;
    await loadSecretKeys();
    const result = await seedSopCatalog(by);
    logger.info('SOP catalogue seeded', { stored: result.stored, unchanged: result.unchanged.length });
    // The shipped knowledge-base articles ride the same step: versions not yet stored, newer published ones.
    const kb = await seedKnowledgeBase(by);
    logger.info('Knowledge base seeded', { stored: kb.stored.length, published: kb.published.length });
    return { ...request, PhysicalResourceId: SEED_PHYSICAL_ID, Status: 'SUCCESS', Data: { Stored: result.stored.length } };
  } catch (e) {
    logger.error('Seeding the SOP catalogue failed', e as Error);
    const reason = `Seeding the SOP catalogue failed: ${e instanceof Error ? e.message : String(e)} (log stream ${context.logStreamName})`;
    return { ...request, PhysicalResourceId: SEED_PHYSICAL_ID, Status: 'FAILED', Reason: reason.slice(0, 1000) };
  }
}

/** PUT to the pre-signed S3 URL, with no content type: the URL was signed without one. */
async function answerCloudFormation(responseUrl: string, response: CloudFormationCustomResourceResponse): Promise<void> {
  const res = await fetch(responseUrl, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
  // Throwing makes Lambda retry the (asynchronous) invocation, which answers again.
  if (!res.ok) throw new Error(`CloudFormation did not take the custom resource response: HTTP ${res.status}`);
}
