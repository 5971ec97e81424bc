/**
 * AWS SDK clients, created once per container (module scope) and shared by every adapter.
 *
 * No endpoints here: the SDK (v3.1169, @smithy/core `getEndpointUrlConfig`) reads the standard service-specific
 * variables `AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL_SFN`, `AWS_ENDPOINT_URL_SNS` (then `AWS_ENDPOINT_URL`)
 * when a client is constructed. On AWS they are unset and the clients reach the real services; the local cloud
 * sets them before importing handlers. test/adapters/clients.test.ts proves it for all three.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * How documents are marshalled: optional Case fields are `undefined` and must simply be absent, and class
 * instances (Date) are a bug to surface rather than silently turn into empty maps.
 */
export const translateConfig: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  unmarshallOptions: { wrapNumbers: false },
};

export const ddb: DynamoDBDocumentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), translateConfig);

/** A document client with explicit settings, for operator tools that run outside a function (their own target). */
export function documentClient(config: DynamoDBClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), translateConfig);
}
export const sfn: SFNClient = new SFNClient({});
export const sns: SNSClient = new SNSClient({});
/** Citizen e-mail only (SNS cannot e-mail someone who never subscribed). */
export const ses: SESv2Client = new SESv2Client({});
