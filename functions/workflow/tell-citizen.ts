/** Lambda behind the workflow state(s) TellCitizen: see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('TellCitizen');
