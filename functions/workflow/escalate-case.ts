/** Lambda behind the workflow states EscalateAck, EscalateResolve and EscalateDispatch: see functions.ts and workflows/case-lifecycle.asl.json. */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('EscalateCase');
