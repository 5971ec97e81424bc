/**
 * The Lambda side of the workflow tasks: runs the task's step with the parts the composition root builds once per
 * container (functions/composition.ts `lifecycleDeps`). A step's error keeps its name (Lambda reports it as
 * errorType), so the ASL's Catch rules (`Case.Cancelled`...) and Retry rules see it.
 */
import type { Context } from 'aws-lambda';
import { lifecycleDeps, loadSecretKeys } from '../composition';
import { logger, logScoped } from '../shared/logger';
import type { WorkflowFunctionId } from './functions';
import { STEP_RUNNERS, caseNoOf } from './steps';

export function workflowHandler(id: WorkflowFunctionId): (event: unknown, context?: Context) => Promise<unknown> {
  const run = STEP_RUNNERS[id];
  return logScoped(async (event: unknown) => {
    const caseNo = caseNoOf(event);
    logger.appendKeys({ caseNo, workflowTask: id });
    try {
      await loadSecretKeys();
      const result = await run(lifecycleDeps(), event);
      logger.info('Workflow task done', { outcome: typeof result === 'string' ? result : undefined });
      return result;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // Named signals end the execution cleanly; everything else is a fault worth the stack.
      if (err.name.startsWith('Case.') || err.name.startsWith('Resume.')) logger.info('Workflow task signalled', { signal: err.name });
      else logger.error('Workflow task failed', { error: err });
      throw err;
    } finally {
      logger.removeKeys(['caseNo', 'workflowTask']);
    }
  });
}
