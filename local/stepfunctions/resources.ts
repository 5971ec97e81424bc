/**
 * Binds Task resources to local implementations, by ARN, the way Step Functions calls them on AWS:
 * - `arn:aws:lambda:<region>:<account>:function:<name>`: the handler's return value is the task result;
 * - `arn:aws:states:::lambda:invoke`: Parameters `FunctionName` + `Payload`, result `{ Payload, StatusCode, ... }`;
 * - `arn:aws:states:::sns:publish`, `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`:
 *   the host's SDK clients, result as the SDK returns it plus the SdkHttpMetadata Step Functions adds;
 * - every one of them with `.waitForTaskToken` (the engine waits for the token after the call).
 * A throwing Lambda handler fails the task with the error's name (Lambda's errorType); a failing SDK call fails
 * it with `SNS.<Exception>` / `DynamoDB.<Exception>`. Anything else is an UnknownTaskResourceError.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type DeleteItemCommandInput,
  type DynamoDBClient,
  type GetItemCommandInput,
  type PutItemCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { isJsonObject, toJson, type Json } from './asl';
import { TaskFailure, UnknownTaskResourceError } from './errors';

export interface TaskCallOptions {
  /** Set for `.waitForTaskToken` resources: the token `$$.Task.Token` resolved to. */
  taskToken?: string;
  executionArn?: string;
  stateName?: string;
}

/** How the engine calls a Task resource. Throw to fail the task (the error's `name` is the ASL error name). */
export type TaskResolver = (resource: string, input: Json, options: TaskCallOptions) => Promise<Json>;

export type LambdaHandlerLike = (event: never, context: Context) => unknown;

export interface TaskResolverOptions {
  /** Lambda handlers by function name (the last part of the function ARN). */
  lambdas?: Record<string, LambdaHandlerLike>;
  sns?: SNSClient;
  dynamodb?: DynamoDBClient;
  region?: string;
  accountId?: string;
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:([^:]*):([^:]*):function:([^:]+)(?::([^:]+))?$/;

export function createTaskResolver(options: TaskResolverOptions): TaskResolver {
  const region = options.region ?? 'ap-northeast-1';
  const accountId = options.accountId ?? '000000000000';
  const lambdas = options.lambdas ?? {};

  const findLambda = (resource: string, functionName: string): { name: string; handler: LambdaHandlerLike } => {
    // FunctionName may be a name, a full or partial ARN, with or without a qualifier.
    const fromArn = LAMBDA_ARN.exec(functionName);
    const name = fromArn ? fromArn[3] : functionName.split(':')[0];
    const handler = Object.prototype.hasOwnProperty.call(lambdas, name) ? lambdas[name] : undefined;
    if (!handler) throw new UnknownTaskResourceError(resource, `no local Lambda function named "${name}"`);
    return { name, handler };
  };

  const invokeLambda = async (name: string, handler: LambdaHandlerLike, payload: Json): Promise<Json> => {
    const context = lambdaContext(name, region, accountId);
    try {
      return toJson(await handler(structuredClone(payload) as never, context));
    } catch (error) {
      throw lambdaFailure(error);
    }
  };

  return async (resource, input, call) => {
    void call;
    const base = resource.replace(/\.waitForTaskToken$/, '');
    const direct = LAMBDA_ARN.exec(base);
    if (direct) {
      const { name, handler } = findLambda(resource, base);
      return invokeLambda(name, handler, input);
    }
    const params = isJsonObject(input) ? input : {};
    switch (base) {
      case 'arn:aws:states:::lambda:invoke': {
        if (typeof params.FunctionName !== 'string') throw new TaskFailure('States.Runtime', 'lambda:invoke needs Parameters.FunctionName');
        const { name, handler } = findLambda(resource, params.FunctionName);
        if (params.InvocationType === 'Event') {
          void invokeLambda(name, handler, params.Payload ?? {}).catch(() => undefined);
          return { ...sdkMetadata(202), Payload: '', StatusCode: 202 };
        }
        const payload = await invokeLambda(name, handler, params.Payload ?? {});
        return { ExecutedVersion: '$LATEST', Payload: payload, ...sdkMetadata(200), StatusCode: 200 };
      }
      case 'arn:aws:states:::sns:publish': {
        if (!options.sns) throw new UnknownTaskResourceError(resource, 'no SNS client was given to the local Step Functions service');
        const message = typeof params.Message === 'string' ? params.Message : JSON.stringify(params.Message ?? null);
        const command = new PublishCommand({ ...(params as Record<string, never>), Message: message });
        return callSdk('SNS', () => options.sns!.send(command));
      }
      case 'arn:aws:states:::dynamodb:getItem':
      case 'arn:aws:states:::dynamodb:putItem':
      case 'arn:aws:states:::dynamodb:updateItem':
      case 'arn:aws:states:::dynamodb:deleteItem': {
        const client = options.dynamodb;
        if (!client) throw new UnknownTaskResourceError(resource, 'no DynamoDB client was given to the local Step Functions service');
        const action = base.slice('arn:aws:states:::dynamodb:'.length);
        // Parameters use DynamoDB's low-level JSON (`{ "S": "..." }`), exactly the SDK command input.
        const p: unknown = params;
        if (action === 'getItem') return callSdk('DynamoDB', () => client.send(new GetItemCommand(p as GetItemCommandInput)));
        if (action === 'putItem') return callSdk('DynamoDB', () => client.send(new PutItemCommand(p as PutItemCommandInput)));
        if (action === 'updateItem') return callSdk('DynamoDB', () => client.send(new UpdateItemCommand(p as UpdateItemCommandInput)));
        return callSdk('DynamoDB', () => client.send(new DeleteItemCommand(p as DeleteItemCommandInput)));
      }
      default:
        throw new UnknownTaskResourceError(resource);
    }
  };
}

/** Lambda's error document: errorType is the error's name, as the Node.js runtime reports it. */
function lambdaFailure(error: unknown): TaskFailure {
  const err = error instanceof Error ? error : new Error(String(error));
  const errorType = err.name || 'Error';
  const trace = (err.stack ?? '').split('\n').slice(1).map((line) => line.trim());
  return new TaskFailure(errorType, JSON.stringify({ errorType, errorMessage: err.message, trace }));
}

async function callSdk(service: 'SNS' | 'DynamoDB', send: () => Promise<{ $metadata?: { requestId?: string; httpStatusCode?: number } }>): Promise<Json> {
  try {
    const { $metadata, ...result } = await send();
    return { ...(toJson(result) as { [key: string]: Json }), ...sdkMetadata($metadata?.httpStatusCode ?? 200, $metadata?.requestId) };
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    throw new TaskFailure(`${service}.${err.name}`, err.message);
  }
}

function sdkMetadata(status: number, requestId: string = randomUUID()): { [key: string]: Json } {
  const headers = { 'Content-Type': 'application/json', 'x-amzn-RequestId': requestId };
  return {
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: status },
    SdkResponseMetadata: { RequestId: requestId },
  };
}

function lambdaContext(functionName: string, region: string, accountId: string): Context {
  // A Lambda's time budget is real (CPU) time, not business time: the local clock does not apply here.
  const deadline = Date.now() + 900_000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:${accountId}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
