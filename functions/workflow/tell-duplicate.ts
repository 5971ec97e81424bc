/** Lambda for the workflow task TellDuplicate (see functions.ts and workflows/case-lifecycle.asl.json). */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('TellDuplicate');
