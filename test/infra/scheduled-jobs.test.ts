/**
 * The stalled-workflow job in the CDK app: a 5-minute schedule, and a role that may read the table, update case
 * items only, and start (and look up) executions of the case workflow only.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { actionsOf, buildTestApp, logicalId, sharedTestApp, statementsOfRole } from './support/app';

const { desk } = sharedTestApp();
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

describe('e-mail digest job', () => {
  const digestJob = SCHEDULED_JOBS.find((j) => j.handler === 'insight/email-digest-job')!;
  const digestFn = desk.stateless.privacyJobs.functions.get(digestJob.id)!;
  const stateful = Template.fromStack(desk.stateful);
  const digestTopicId = logicalId(desk.stateful.topics.digestTopic);
  const vars = () => stateless.toJSON().Resources[logicalId(digestFn)].Properties.Environment.Variables as Record<string, unknown>;

  it('runs daily at 00:00 UTC, 08:00 in Taipei', () => {
    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 0 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(digestFn), 'Arn'] } })],
    });
  });

  it('knows the digest topic and may publish to it alone; the default choice sets no EMAIL_DELIVERY', () => {
    expect(JSON.stringify(vars().DIGEST_TOPIC_ARN)).toContain(digestTopicId);
    expect(vars().EMAIL_DELIVERY).toBeUndefined();
    const statements = statementsOfRole(stateless, logicalId(digestFn.role!));
    const publish = statements.filter((s) => actionsOf([s]).includes('sns:Publish'));
    expect(publish).toHaveLength(1);
    expect(JSON.stringify(publish[0].Resource)).toContain(digestTopicId);
    expect(JSON.stringify(publish[0].Resource)).not.toContain('Escalation');
    expect(actionsOf(statements)).not.toContain('dynamodb:Scan');
  });

  it("subscribes the supervisors' e-mail to their own group's digest, encrypted", () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', { DisplayName: '1999 daily digests', KmsMasterKeyId: Match.anyValue() });
    stateful.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: digestTopicId }, Protocol: 'email', Endpoint: 'rdec-1999@example.org', FilterPolicy: { group: ['RDEC'] } });
    stateful.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: digestTopicId }, Protocol: 'email', Endpoint: 'mayor-1999@example.org', FilterPolicy: { group: ['MAYOR'] } });
    expect(Object.values(stateful.findResources('AWS::SNS::Subscription', { Properties: { TopicArn: { Ref: digestTopicId } } }))).toHaveLength(2);
  });
});

describe('e-mail delivery from context', () => {
  const built = (emailDelivery: unknown) => buildTestApp({ context: { 'citydesk:emailDelivery': emailDelivery } }).desk;

  it("a stage's choice reaches the digest job and the subscriptions' filter policies", () => {
    const d = built({ dev: { supervisors: 'immediate', departments: { PWD: 'digest' } } });
    const sl = Template.fromStack(d.stateless);
    const sf = Template.fromStack(d.stateful);
    const fnId = logicalId(d.stateless.privacyJobs.functions.get('SendEmailDigests')!);
    expect(JSON.parse(sl.toJSON().Resources[fnId].Properties.Environment.Variables.EMAIL_DELIVERY as string)).toEqual({ supervisors: 'immediate', staff: 'immediate', departments: { PWD: 'digest' } });
    const escalationId = logicalId(d.stateful.topics.escalationTopic);
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: escalationId }, Endpoint: 'rdec-1999@example.org', FilterPolicy: Match.absent() });
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: logicalId(d.stateful.topics.departmentTopics.get('PWD')!) }, Protocol: 'email', FilterPolicy: { notice: [{ 'anything-but': ['escalation'] }] } });
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: logicalId(d.stateful.topics.departmentTopics.get('PWD')!) }, Protocol: 'https', FilterPolicy: Match.absent() });
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: logicalId(d.stateful.topics.digestTopic) }, Endpoint: 'pwd-1999@example.org', FilterPolicy: { group: ['PWD'] } });
  });

  it("by default filters escalations and warnings out of the supervisors' e-mail and leaves their webhooks alone", () => {
    const sf = Template.fromStack(desk.stateful);
    const escalationId = logicalId(desk.stateful.topics.escalationTopic);
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: escalationId }, Endpoint: 'rdec-1999@example.org', FilterPolicy: { notice: [{ 'anything-but': ['escalation', 'warning'] }] } });
    sf.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: escalationId },
      Endpoint: 'mayor-1999@example.org',
      FilterPolicy: { level: [{ numeric: ['>=', 3] }], notice: [{ 'anything-but': ['escalation', 'warning'] }] },
    });
    sf.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: escalationId }, Endpoint: 'https://hooks.example.org/citydesk/rdec', FilterPolicy: Match.absent() });
  });

  it('stops the build with a clear error for a bad choice', () => {
    expect(() => built({ dev: { supervisors: 'weekly' } })).toThrow(/citydesk:emailDelivery \(stage dev\)[\s\S]*supervisors: must be "immediate" or "digest" \(got "weekly"\)/);
    expect(() => built({ dev: { departments: { NOPE: 'digest' } } })).toThrow(/departments\.NOPE: is not a department/);
    expect(() => built('{not json')).toThrow(/citydesk:emailDelivery must be JSON/);
  });
});
