import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { departmentTopicSubstitution } from '../../infra/constructs/case-workflow';
import { actionsOf, buildTestApp, FIXTURE_ASL, FIXTURE_TASKS, logicalId, statementsOfRole } from './support/app';

const { desk } = buildTestApp({ stage: 'dev' });
const stack = desk.stateless;
const template = Template.fromStack(stack);
const workflow = stack.caseWorkflow;
const topics = desk.stateful.topics;
const workflowRole = logicalId(workflow.stateMachine.role);

describe('case workflow', () => {
  it('is a STANDARD state machine logging ALL events, without execution data, and traced', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(workflow.logGroup), 'Arn'] } } }],
      },
    });
  });

  it('is the ASL file as written, with every placeholder substituted', () => {
    const sm = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!.Properties;
    expect(JSON.parse(sm.DefinitionString as string)).toEqual(JSON.parse(readFileSync(FIXTURE_ASL, 'utf8')));
    expect(sm.DefinitionSubstitutions).toMatchObject({
      ApplySopFunctionArn: { 'Fn::GetAtt': [logicalId(workflow.functions.get('ApplySop')!), 'Arn'] },
      TableName: stack.resolve(desk.stateful.table.table.tableName),
      EscalationTopicArn: stack.resolve(topics.escalationTopic.topicArn),
      [departmentTopicSubstitution('PWD')]: stack.resolve(topics.departmentTopics.get('PWD')!.topicArn),
      [departmentTopicSubstitution('DIST-ZHONGLI')]: stack.resolve(topics.departmentTopics.get('DIST-ZHONGLI')!.topicArn),
    });
  });

  it('creates one traced arm64 function per workflow task, with the table and the topics', () => {
    expect([...workflow.functions.keys()]).toEqual(FIXTURE_TASKS.map((t) => t.id));
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(workflow.functions.get('ApplySop')!)]!.Properties;
    expect(Object.keys(fn.Environment.Variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'ESCALATION_TOPIC_ARN', 'DEPARTMENT_TOPIC_ARNS']));
    expect(fn.Architectures).toEqual(['arm64']);
  });

  it('may invoke only its own functions, unqualified', () => {
    const invoke = statementsOfRole(template, workflowRole).filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
    expect(invoke).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [logicalId(workflow.functions.get('ApplySop')!), 'Arn'] } },
    ]);
  });

  it('may publish only to the notification topics, with the key they are encrypted with', () => {
    const statements = statementsOfRole(template, workflowRole);
    const publish = statements.filter((s) => actionsOf([s]).includes('sns:Publish'));
    expect(publish).toHaveLength(1);
    expect((publish[0]!.Resource as unknown[]).length).toBe(topics.allTopics.length);
    expect(publish[0]!.Resource).toEqual(expect.arrayContaining(topics.allTopics.map((t) => stack.resolve(t.topicArn))));
    const kms = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
    expect(kms).toHaveLength(1);
    expect(actionsOf(kms).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(kms[0]!.Resource).toEqual(stack.resolve(topics.key.keyArn));
  });

  it('has nothing else: only invoke, publish, key use, logging and tracing', () => {
    const allowed = /^(lambda:InvokeFunction|sns:Publish|kms:(GenerateDataKey|Decrypt)|logs:.*|xray:.*)$/;
    expect(actionsOf(statementsOfRole(template, workflowRole)).filter((a) => !allowed.test(a))).toEqual([]);
  });

  it('texts citizens only when told to, through a policy of its own', () => {
    expect(Object.keys(template.findResources('AWS::IAM::Policy')).some((id) => id.includes('CitizenSms'))).toBe(false);
    const withSms = Template.fromStack(
      buildTestApp({ sources: { workflow: { tasks: FIXTURE_TASKS, definitionFile: FIXTURE_ASL, sendsCitizenSms: true } } }).desk.stateless,
    );
    const sms = Object.entries(withSms.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('CitizenSms'));
    expect(sms).toHaveLength(1);
    expect(sms[0]![1].Properties.PolicyDocument.Statement).toEqual([{ Effect: 'Allow', Action: 'sns:Publish', Resource: '*' }]);
  });

  it('refuses an ASL file with a placeholder CDK does not fill', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-asl-'));
    const file = path.join(dir, 'broken.asl.json');
    writeFileSync(file, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: '${NoSuchFunctionArn}', End: true } } }));
    expect(() => buildTestApp({ sources: { workflow: { tasks: FIXTURE_TASKS, definitionFile: file } } })).toThrow(/NoSuchFunctionArn/);
  });
});
