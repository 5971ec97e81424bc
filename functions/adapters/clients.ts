/**
 * AWS SDK clients, each created once per container on its first use and shared by every adapter: a function that
 * never texts anyone neither builds the SNS client nor ships it (each factory is pure, so esbuild leaves an unused
 * one, and its SDK package, out of the bundle).
 *
 * No endpoints here: the SDK (v3.1169, @smithy/core `getEndpointUrlConfig`) reads the standard service-specific
 * variables `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_SNS`, `AWS_ENDPOINT_URL_SESV2`,
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, `AWS_ENDPOINT_URL_S3` (then `AWS_ENDPOINT_URL`)
 * when a client is constructed. On AWS they are unset and the clients reach the real services; the local cloud
 * sets them before importing handlers. test/adapters/clients.test.ts proves it for all three.
 *
 * Every client is wrapped by the Powertools Tracer, so X-Ray shows each DynamoDB, Step Functions, SNS and SES
 * call as a subsegment of the invocation. The tracer traces only inside Lambda (it reads AWS_EXECUTION_ENV, and
 * POWERTOOLS_TRACE_ENABLED): elsewhere it hands the client back untouched.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { S3Client } from '@aws-sdk/client-s3';
import { LocationClient } from '@aws-sdk/client-location';
import { once } from '../shared/once';

/**
 * How documents are marshalled: optional Case fields are `undefined` and must simply be absent, and class
 * instances (Date) are a bug to surface rather than silently turn into empty maps.
 */
export const translateConfig: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  unmarshallOptions: { wrapNumbers: false },
};

/** The one tracer (service `citydesk-1999`, like the logger). */
export const tracer: Tracer = /* @__PURE__ */ new Tracer({ serviceName: 'citydesk-1999' });

// The document client shares its base client's middleware stack, so tracing the base client traces it too.
export const ddb = /* @__PURE__ */ once((): DynamoDBDocumentClient => DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), translateConfig));

/** A document client with explicit settings, for operator tools that run outside a function (their own target). */
export function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), translateConfig);
}
export const sfn = /* @__PURE__ */ once((): SFNClient => tracer.captureAWSv3Client(new SFNClient({})));
export const sns = /* @__PURE__ */ once((): SNSClient => tracer.captureAWSv3Client(new SNSClient({})));
/** Citizen e-mail only (SNS cannot e-mail someone who never subscribed). */
export const ses = /* @__PURE__ */ once((): SESv2Client => tracer.captureAWSv3Client(new SESv2Client({})));
/** The stage's keys at cold start (adapters/secret-keys.ts, through Powertools Parameters). */
export const secretsManager = /* @__PURE__ */ once((): SecretsManagerClient => tracer.captureAWSv3Client(new SecretsManagerClient({})));
/** Case attachments (adapters/attachment-store.ts): presigned uploads and reads, the object check, erasure. */
export const s3 = /* @__PURE__ */ once((): S3Client => tracer.captureAWSv3Client(new S3Client({})));
/** Geocoding addresses typed at intake (adapters/location-geocoder.ts), where the stage has a place index. */
export const location = /* @__PURE__ */ once((): LocationClient => tracer.captureAWSv3Client(new LocationClient({})));
