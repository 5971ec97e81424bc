/** Lambda behind the workflow state RouteCase (apply the SOP): see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('RouteCase');
