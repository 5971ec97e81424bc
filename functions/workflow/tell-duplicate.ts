/** Lambda behind TellDuplicate inside the TellDuplicates Map of executions started under the earlier definition (functions.ts `forEarlierExecutions`). */
import { workflowHandler } from './runtime';

export const handler = workflowHandler('TellDuplicate');
