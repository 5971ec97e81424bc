/**
 * The Lambda side of the workflow tasks: builds the adapters once per container from the environment (the same
 * variables CDK and the local cloud set, see functions/config/environment.ts) and runs the task's step.
 * A step's error keeps its name (Lambda reports it as errorType), so the ASL's Catch rules (`Case.Cancelled`...)
 * and Retry rules see it.
 */
import type { Context } from 'aws-lambda';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { ddb, sfn, sns } from '../adapters/clients';
import { DynamoCaseRepository } from '../adapters/case-repository';
import { DynamoCaseStatistics } from '../adapters/case-statistics';
import { StepFunctionsCaseWorkflow } from '../adapters/case-workflow';
import { SnsNotifier } from '../adapters/sns-notifier';
import { DynamoRateCounters } from '../adapters/rate-counters';
import { SmsCappedNotifier } from '../privacy/rate-limits';
import { DynamoSopCatalog } from '../adapters/sop-catalog';
import { env } from '../config/environment';
import { loadConfig } from '../config/load';
import { defaultSlaCalendar } from '../domain/sla-calendar';
import { logger } from '../shared/logger';
import type { WorkflowFunctionId } from './functions';
import { STEP_RUNNERS, caseNoOf, type LifecycleDeps } from './steps';

/** Citizen e-mail only; SNS and the rest come from adapters/clients. Created once per container. */
const ses = new SESv2Client({});

let deps: LifecycleDeps | undefined;

function lifecycleDeps(): LifecycleDeps {
  deps ??= {
    ports: {
      cases: new DynamoCaseRepository(ddb, env.tableName()),
      sops: new DynamoSopCatalog(ddb, env.tableName()),
      // Only task answers are sent from here; the workflow never starts executions, so no state machine ARN.
      workflow: new StepFunctionsCaseWorkflow(sfn, process.env.CASE_WORKFLOW_ARN ?? ''),
      // Each citizen SMS counts against its number's daily cap (functions/privacy/rate-limits.ts).
      notifier: new SmsCappedNotifier(new SnsNotifier(sns, ses, env.citizenEmailFrom()), new DynamoRateCounters(ddb, env.tableName())),
      statistics: new DynamoCaseStatistics(ddb, env.tableName()),
    },
    settings: {
      config: loadConfig(),
      calendar: defaultSlaCalendar(),
      departmentTopicArns: env.departmentTopicArns(),
      escalationTopicArn: env.escalationTopicArn(),
      consoleUrl: env.consoleUrl(),
    },
  };
  return deps;
}

export function workflowHandler(id: WorkflowFunctionId): (event: unknown, context?: Context) => Promise<unknown> {
  const run = STEP_RUNNERS[id];
  return async (event) => {
    const caseNo = caseNoOf(event);
    logger.appendKeys({ caseNo, workflowTask: id });
    try {
      const result = await run(lifecycleDeps(), event);
      logger.info('Workflow task done', { outcome: typeof result === 'string' ? result : undefined });
      return result;
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      // Named signals end the execution cleanly; everything else is a fault worth the stack.
      if (err.name.startsWith('Case.')) logger.info('Workflow task signalled', { signal: err.name });
      else logger.error('Workflow task failed', { error: err });
      throw err;
    } finally {
      logger.removeKeys(['caseNo', 'workflowTask']);
    }
  };
}
