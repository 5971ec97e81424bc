/**
 * What each workflow function does with its input: the one dispatch table used by the Lambda handlers and by the
 * workflow tests (which run the ASL with these same steps as local handlers).
 */
import type { WorkflowWait } from '../domain/escalation';
import { awaitAction, type AwaitInput } from '../usecases/lifecycle/await-action';
import { closeUnanswered } from '../usecases/lifecycle/close-unanswered';
import type { LifecyclePorts, LifecycleSettings } from '../usecases/lifecycle/context';
import { dispatchCase, type DispatchInput } from '../usecases/lifecycle/dispatch-case';
import { escalateCase, type EscalateInput } from '../usecases/lifecycle/escalate-case';
import { routeCase, type RouteInput } from '../usecases/lifecycle/route-case';
import { tellCitizen } from '../usecases/lifecycle/tell-citizen';
import { tellDuplicate, type TellDuplicateInput } from '../usecases/lifecycle/tell-duplicate';
import { workflowFailed, type WorkflowFailedInput } from '../usecases/lifecycle/workflow-failed';
import type { WorkflowFunctionId } from './functions';

export interface LifecycleDeps {
  ports: LifecyclePorts;
  settings: LifecycleSettings;
}

type Step = (deps: LifecycleDeps, input: unknown) => Promise<unknown>;

export const STEP_RUNNERS: Readonly<Record<WorkflowFunctionId, Step>> = {
  RouteCase: ({ ports, settings }, input) => routeCase(ports, settings, input as RouteInput),
  AwaitAction: ({ ports, settings }, input) => awaitAction(ports, settings, input as AwaitInput),
  EscalateCase: ({ ports, settings }, input): Promise<WorkflowWait> => escalateCase(ports, settings, input as EscalateInput),
  DispatchCase: ({ ports, settings }, input) => dispatchCase(ports, settings, input as DispatchInput),
  TellCitizen: ({ ports, settings }, input) => tellCitizen(ports, settings, input as { caseNo: string }),
  TellDuplicate: ({ ports, settings }, input) => tellDuplicate(ports, settings, input as TellDuplicateInput),
  CloseUnanswered: ({ ports }, input) => closeUnanswered(ports, input as { caseNo: string }),
  WorkflowFailed: ({ ports, settings }, input) => workflowFailed(ports, settings, input as WorkflowFailedInput),
};

/** The state machine only ever sends an object with the case number; anything else is a wiring fault. */
export function caseNoOf(input: unknown): string {
  const caseNo = typeof input === 'object' && input !== null ? (input as { caseNo?: unknown }).caseNo : undefined;
  if (typeof caseNo !== 'string' || !caseNo) throw new TypeError('Workflow task input has no caseNo');
  return caseNo;
}
