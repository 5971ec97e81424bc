import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateStateMachineCommand, DescribeStateMachineCommand, SendTaskSuccessCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { aslSubstitutions } from '../../functions/workflow/functions';
import { substitute } from '../../local/stepfunctions';
import { ACCOUNT, REGION, startHarness, type Harness } from './fixtures/sfn-harness';

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:citydesk-local-dept-PWD`;
const TABLE = 'citydesk-local-cases';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function run(h: Harness, name: string, definition: object, input: unknown): Promise<string> {
  const { stateMachineArn } = await h.sfn.send(
    new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: `arn:aws:iam::${ACCOUNT}:role/test` }),
  );
  const { executionArn } = await h.sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  return executionArn!;
}

describe('sns:publish', () => {
  it('publishes through the host SNS client, a JSON Message as a string, and returns the MessageId', async () => {
    // Arrange
    const sns = new SNSClient({ region: REGION });
    const snsMock = mockClient(sns);
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-1', $metadata: { httpStatusCode: 200, requestId: 'req-1' } });
    harness = await startHarness({ sns });

    // Act
    const executionArn = await run(
      harness,
      'notify-dept',
      {
        StartAt: 'Publish',
        States: {
          Publish: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sns:publish',
            Parameters: {
              TopicArn: TOPIC,
              'Message.$': '$.message',
              MessageStructure: 'json',
              MessageAttributes: { department: { DataType: 'String', StringValue: 'PWD' } },
            },
            End: true,
          },
        },
      },
      { message: { default: '案件 20261127-00001', sms: '路燈不亮' } },
    );
    const done = await harness.finished(executionArn);

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toMatchObject({ MessageId: 'msg-1', SdkResponseMetadata: { RequestId: 'req-1' } });
    expect(snsMock.commandCalls(PublishCommand)[0].args[0].input).toEqual({
      TopicArn: TOPIC,
      Message: JSON.stringify({ default: '案件 20261127-00001', sms: '路燈不亮' }),
      MessageStructure: 'json',
      MessageAttributes: { department: { DataType: 'String', StringValue: 'PWD' } },
    });
  });

  it('sns:publish.waitForTaskToken publishes the token and waits for it', async () => {
    // Arrange
    const sns = new SNSClient({ region: REGION });
    const snsMock = mockClient(sns);
    snsMock.on(PublishCommand).resolves({ MessageId: 'msg-2' });
    harness = await startHarness({ sns });
    const executionArn = await run(
      harness,
      'ask-dept',
      {
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
            Parameters: { TopicArn: TOPIC, Message: { 'token.$': '$$.Task.Token' } },
            End: true,
          },
        },
      },
      {},
    );
    await harness.historyUntil(executionArn, 'TaskSubmitted');
    const { token } = JSON.parse(snsMock.commandCalls(PublishCommand)[0].args[0].input.Message!) as { token: string };

    // Act
    await harness.sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"acknowledged":true}' }));
    const done = await harness.finished(executionArn);

    // Assert
    expect(JSON.parse(done.output!)).toEqual({ acknowledged: true });
  });

  it('without an SNS client the task fails the execution naming the resource', async () => {
    // Arrange
    harness = await startHarness({});

    // Act
    const done = await harness.finished(
      await run(harness, 'no-sns', { StartAt: 'P', States: { P: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Parameters: { TopicArn: TOPIC, Message: 'x' }, End: true } } }, {}),
    );

    // Assert
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toContain('arn:aws:states:::sns:publish');
  });
});

describe('dynamodb', () => {
  it('putItem, getItem and updateItem go through the host DynamoDB client in DynamoDB JSON', async () => {
    // Arrange
    const dynamodb = new DynamoDBClient({ region: REGION });
    const ddbMock = mockClient(dynamodb);
    ddbMock.on(PutItemCommand).resolves({});
    ddbMock.on(GetItemCommand).resolves({ Item: { pk: { S: 'CASE#1' }, status: { S: 'NEW' } } });
    ddbMock.on(UpdateItemCommand).resolves({ Attributes: { status: { S: 'ESCALATED' } } });
    harness = await startHarness({ dynamodb });
    const key = { pk: { S: 'CASE#1' }, sk: { S: 'CASE' } };

    // Act
    const done = await harness.finished(
      await run(
        harness,
        'ddb',
        {
          StartAt: 'Put',
          States: {
            Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: TABLE, Item: key }, ResultPath: null, Next: 'Get' },
            Get: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:getItem',
              Parameters: { TableName: TABLE, Key: key },
              ResultSelector: { 'status.$': '$.Item.status.S' },
              ResultPath: '$.got',
              Next: 'Update',
            },
            Update: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:updateItem',
              Parameters: {
                TableName: TABLE,
                Key: key,
                UpdateExpression: 'SET #s = :s',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':s': { S: 'ESCALATED' } },
                ReturnValues: 'ALL_NEW',
              },
              ResultSelector: { 'status.$': '$.Attributes.status.S' },
              ResultPath: '$.updated',
              End: true,
            },
          },
        },
        { caseNo: '1' },
      ),
    );

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ caseNo: '1', got: { status: 'NEW' }, updated: { status: 'ESCALATED' } });
    expect(ddbMock.commandCalls(PutItemCommand)[0].args[0].input).toEqual({ TableName: TABLE, Item: key });
    expect(ddbMock.commandCalls(UpdateItemCommand)[0].args[0].input).toMatchObject({ UpdateExpression: 'SET #s = :s' });
  });

  it('a failed condition is DynamoDB.ConditionalCheckFailedException, which Catch can name', async () => {
    // Arrange
    const dynamodb = new DynamoDBClient({ region: REGION });
    mockClient(dynamodb)
      .on(UpdateItemCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));
    harness = await startHarness({ dynamodb });

    // Act
    const done = await harness.finished(
      await run(
        harness,
        'ddb-conflict',
        {
          StartAt: 'Update',
          States: {
            Update: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:updateItem',
              Parameters: { TableName: TABLE, Key: { pk: { S: 'CASE#1' } }, UpdateExpression: 'SET v = :v', ConditionExpression: 'v = :old' },
              Catch: [{ ErrorEquals: ['DynamoDB.ConditionalCheckFailedException'], ResultPath: '$.conflict', Next: 'Conflict' }],
              End: true,
            },
            Conflict: { Type: 'Pass', Parameters: { 'error.$': '$.conflict.Error' }, End: true },
          },
        },
        {},
      ),
    );

    // Assert
    expect(JSON.parse(done.output!)).toEqual({ error: 'DynamoDB.ConditionalCheckFailedException' });
  });
});

describe('substitutions', () => {
  it('replaces every ${name} like CDK definitionSubstitutions and names the ones missing', () => {
    // Arrange
    const asl = '{"Resource":"${Fn}","Parameters":{"TopicArn":"${Topic}","Again":"${Fn}"}}';

    // Act
    const substituted = substitute(asl, { Fn: 'arn:fn', Topic: 'arn:topic' });
    const missing = (): string => substitute(asl, { Fn: 'arn:fn' });

    // Assert
    expect(substituted).toBe('{"Resource":"arn:fn","Parameters":{"TopicArn":"arn:topic","Again":"arn:fn"}}');
    expect(missing).toThrow(/Topic/);
  });
});

describe('workflows/', () => {
  it('every ASL file deploys with the substitutions CDK uses', async () => {
    // Arrange
    harness = await startHarness({});
    const dir = join(import.meta.dirname, '..', '..', 'workflows');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.asl.json'));
    const substitutions = aslSubstitutions((f) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${f.id}`);

    // Act
    const deployed: string[] = [];
    for (const file of files) {
      const arn = await harness.service.createStateMachineFromFile(file.replace('.asl.json', ''), join(dir, file), substitutions);
      deployed.push((await harness.sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition!);
    }

    // Assert
    expect(files.length).toBeGreaterThan(0);
    for (const definition of deployed) expect(definition).not.toMatch(/\$\{/);
  });
});
