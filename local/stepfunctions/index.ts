/**
 * Local AWS Step Functions for the CityDesk local cloud. The host (local/start.ts) calls:
 *
 *   const sfn = await startStepFunctionsService({
 *     port, dataDir, region, accountId, clock,
 *     resolveTask: createTaskResolver({ lambdas, sns, dynamodb, region, accountId }),
 *     substitutions,                       // CDK definitionSubstitutions for workflows/*.asl.json
 *   });
 *   const arn = await sfn.createStateMachineFromFile('case-lifecycle', 'workflows/case.asl.json');
 *   process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
 *   ...
 *   await sfn.close();
 */
export { startStepFunctionsService } from './server';
export type { StepFunctionsService, StepFunctionsServiceOptions, DeployStateMachineInput } from './server';
export { createTaskResolver } from './resources';
export type { TaskResolver, TaskResolverOptions, TaskCallOptions, LambdaHandlerLike } from './resources';
export { substitute, parseDefinition } from './asl';
export type { Json } from './asl';
export { UnknownTaskResourceError, StatesRuntimeError, TaskFailure, SfnServiceError } from './errors';
