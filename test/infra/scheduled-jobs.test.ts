/**
 * The stalled-workflow job in the CDK app: a 5-minute schedule, and a role that may read the table, update case
 * items only, and start (and look up) executions of the case workflow only.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { actionsOf, buildTestApp, logicalId, statementsOfRole } from './support/app';

const { desk } = buildTestApp();
const stateless = Template.fromStack(desk.stateless);
const job = SCHEDULED_JOBS.find((j) => j.handler === 'workflow/restart-stalled-job')!;
const fn = desk.stateless.privacyJobs.functions.get(job.id)!;
const stateMachineId = logicalId(desk.stateless.caseWorkflow.stateMachine);

describe('stalled-workflow job', () => {
  it('runs every 5 minutes', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0/5 * * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] } })],
    });
  });

  it('knows the case workflow it starts', () => {
    const vars = stateless.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables as Record<string, unknown>;
    expect(vars.CASE_WORKFLOW_ARN).toEqual({ Ref: stateMachineId });
  });

  it('may query and update case items and start the case workflow, nothing else', () => {
    const statements = statementsOfRole(stateless, logicalId(fn.role!));
    const actions = actionsOf(statements);

    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'states:StartExecution', 'states:DescribeExecution']));
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:PutItem');
    expect(actions).not.toContain('dynamodb:DeleteItem');
    expect(statements.filter((s) => actionsOf([s]).includes('dynamodb:UpdateItem'))).toEqual([
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CASE#*'] } } }),
    ]);
    expect(statements.find((s) => s.Action === 'states:StartExecution')?.Resource).toEqual({ Ref: stateMachineId });
    expect(JSON.stringify(statements.find((s) => s.Action === 'states:DescribeExecution')?.Resource)).toContain(':execution:');
  });
});

describe('early-warning job', () => {
  const warningJob = SCHEDULED_JOBS.find((j) => j.handler === 'insight/early-warning-job')!;
  const warningFn = desk.stateless.privacyJobs.functions.get(warningJob.id)!;
  const stateful = Template.fromStack(desk.stateful);

  it('runs every 15 minutes', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0/15 * * * ? *)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(warningFn), 'Arn'] } })],
    });
  });

  it('knows the early-warning topic and the department topics, and may publish to exactly those', () => {
    const vars = stateless.toJSON().Resources[logicalId(warningFn)].Properties.Environment.Variables as Record<string, unknown>;
    expect(JSON.stringify(vars.EARLY_WARNING_TOPIC_ARN)).toContain('EarlyWarning');
    expect(vars.DEPARTMENT_TOPIC_ARN_PREFIX).toBeDefined();
    const statements = statementsOfRole(stateless, logicalId(warningFn.role!));
    const publish = statements.filter((s) => actionsOf([s]).includes('sns:Publish'));
    expect(publish).toHaveLength(1);
    const resources = JSON.stringify(publish[0].Resource);
    expect(resources).toContain('EarlyWarning');
    expect(resources).not.toContain('Escalation');
    expect((publish[0].Resource as unknown[]).length).toBe(desk.stateful.topics.departmentTopics.size + 1);
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });

  it('has an encrypted early-warning topic', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { DisplayName: '1999 early warnings', KmsMasterKeyId: Match.anyValue() });
  });
});
