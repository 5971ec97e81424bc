/** Lambda for the workflow task ApplySop (see functions.ts and workflows/case-lifecycle.asl.json). */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('ApplySop');
