import { describe, expect, it } from 'vitest';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { substitutionOf, WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { CASE_LIFECYCLE_ASL, placeholdersIn } from '../../infra/constructs/case-workflow';
import { TASK_RESULT_ACTIONS } from '../../infra/constructs/function';
import { actionsOf, buildTestApp, FIXTURE_ASL, FIXTURE_TASKS, logicalId, sharedTestApp, type Statement, statementsOfRole } from './support/app';

const { desk } = sharedTestApp();
const stack = desk.stateless;
const template = Template.fromStack(stack);
const workflow = stack.caseWorkflow;
const topics = desk.stateful.topics;
const stateMachine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0].Properties;
const workflowRole = logicalId(workflow.stateMachine.role);
const fnArn = (id: string) => ({ 'Fn::GetAtt': [logicalId(workflow.functions.get(id)!), 'Arn'] });
const statementsOfTask = (id: string): Statement[] => statementsOfRole(template, logicalId(workflow.functions.get(id)!.role!));

describe('case workflow state machine', () => {
  it('is STANDARD, logs ALL events to its log group without execution data, and is traced', () => {
    expect(stateMachine).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logicalId(workflow.logGroup), 'Arn'] } } }],
      },
    });
  });

  it('is workflows/case-lifecycle.asl.json as written, every placeholder filled with its task function’s ARN', () => {
    const asl = readFileSync(CASE_LIFECYCLE_ASL, 'utf8');
    expect(JSON.parse(stateMachine.DefinitionString as string)).toEqual(JSON.parse(asl));
    // Exactly the placeholders the definition uses: nothing it never reads.
    expect(Object.keys(stateMachine.DefinitionSubstitutions).sort()).toEqual([...placeholdersIn(asl)].sort());
    for (const task of WORKFLOW_FUNCTIONS.filter((t) => !t.forEarlierExecutions)) expect(stateMachine.DefinitionSubstitutions[substitutionOf(task)]).toEqual(fnArn(task.id));
  });

  it('fills the task ARNs and nothing else: the table name only for a definition that uses it (this one does not), topics come from the tasks', () => {
    expect(Object.keys(stateMachine.DefinitionSubstitutions).sort()).toEqual(WORKFLOW_FUNCTIONS.filter((t) => !t.forEarlierExecutions).map(substitutionOf).sort());
  });

  it('may invoke only its own task functions, unqualified, those kept for executions under an earlier definition included', () => {
    const invoke = statementsOfRole(template, workflowRole).filter((s) => actionsOf([s]).some((a) => a.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(invoke[0].Action).toBe('lambda:InvokeFunction');
    const resources = invoke[0].Resource as unknown[];
    expect(resources).toHaveLength(WORKFLOW_FUNCTIONS.length);
    expect(resources).toEqual(expect.arrayContaining(WORKFLOW_FUNCTIONS.map((t) => fnArn(t.id))));
  });

  it('publishes nothing itself: RouteCase publishes the department notice, and may', () => {
    const statements = statementsOfRole(template, workflowRole);
    expect(actionsOf(statements).filter((a) => a.startsWith('sns:') || a.startsWith('kms:'))).toEqual([]);
    const routeCase = statementsOfTask('RouteCase');
    const publish = routeCase.filter((s) => actionsOf([s]).includes('sns:Publish'));
    const departmentArns = [...topics.departmentTopics.values()].map((t) => stack.resolve(t.topicArn));
    expect(publish.flatMap((s) => [s.Resource].flat())).toEqual(expect.arrayContaining(departmentArns));
  });

  it('has no other rights than invoking, logging and tracing', () => {
    const allowed = /^(lambda:InvokeFunction|logs:.*|xray:.*)$/;
    expect(actionsOf(statementsOfRole(template, workflowRole)).filter((a) => !allowed.test(a))).toEqual([]);
  });
});

describe('workflow task functions', () => {
  it('one per task of functions/workflow/functions.ts', () => {
    expect([...workflow.functions.keys()]).toEqual(WORKFLOW_FUNCTIONS.map((t) => t.id));
  });

  it.each(WORKFLOW_FUNCTIONS.map((t) => [t.id, t]))('%s reads the topic ARNs and writes the table', (id) => {
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(workflow.functions.get(id)!)].Properties;
    expect(Object.keys(fn.Environment.Variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'ESCALATION_TOPIC_ARN', 'DEPARTMENT_TOPIC_ARN_PREFIX']));
    expect(actionsOf(statementsOfTask(id))).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:Query']));
  });

  it.each(WORKFLOW_FUNCTIONS.map((t) => [t.id, t]))('%s answers task tokens only if it says so, on this state machine', (id, task) => {
    const send = statementsOfTask(id).filter((s) => actionsOf([s]).some((a) => a.startsWith('states:')));
    if (!task.sendsTaskResults) return expect(send).toEqual([]);
    expect(send).toHaveLength(1);
    expect(actionsOf(send).sort()).toEqual([...TASK_RESULT_ACTIONS].sort());
    expect(send[0].Resource).toEqual({ Ref: logicalId(workflow.stateMachine) });
  });

  it.each(WORKFLOW_FUNCTIONS.map((t) => [t.id, t]))('%s publishes to topics only if it says so, and texts citizens only if it says so', (id, task) => {
    const publish = statementsOfTask(id).filter((s) => actionsOf([s]).includes('sns:Publish'));
    const toTopics = publish.filter((s) => s.Resource !== '*');
    const toPhones = publish.filter((s) => s.Resource === '*');
    // IAM merges the grants of one action into one statement: the notification topics, plus the operations topic.
    expect(toTopics.length).toBe(task.publishesToTopics || task.publishesToOperations ? 1 : 0);
    expect(toPhones.length).toBe(task.messagesCitizens ? 1 : 0);
    if (task.publishesToTopics) expect((toTopics[0].Resource as unknown[]).length).toBe(topics.allTopics.length + (task.publishesToOperations ? 1 : 0));
  });

  it('the recovery task alone publishes to the operations topic: its ARN, and the two key actions SNS needs for an encrypted topic', () => {
    const recovery = WORKFLOW_FUNCTIONS.filter((t) => t.publishesToOperations).map((t) => t.id);
    expect(recovery).toEqual(['WorkflowFailed']);
    const statements = statementsOfTask('WorkflowFailed');
    const kms = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('kms:')));
    expect(actionsOf(kms).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(kms.map((s) => s.Resource))).toContain(logicalId(desk.stateful.operationsTopic.key));
    const publish = statements.filter((s) => actionsOf([s]).includes('sns:Publish'));
    expect(JSON.stringify(publish.map((s) => s.Resource))).toContain(logicalId(desk.stateful.operationsTopic.topic));
    const functions = template.findResources('AWS::Lambda::Function');
    for (const t of WORKFLOW_FUNCTIONS) {
      const variables = functions[logicalId(workflow.functions.get(t.id)!)].Properties.Environment.Variables as Record<string, unknown>;
      expect('OPERATIONS_TOPIC_ARN' in variables, t.id).toBe(t.publishesToOperations === true);
    }
  });

  it('citizen e-mail goes out through SES only when the stage names a sender, and only as that sender', () => {
    const texting = WORKFLOW_FUNCTIONS.filter((t) => t.messagesCitizens).map((t) => t.id);
    expect(texting.length).toBeGreaterThan(0);
    for (const id of texting) expect(actionsOf(statementsOfTask(id))).not.toContain('ses:SendEmail');

    const withSender = buildTestApp({ context: { 'citydesk:citizenEmailFrom': 'noreply@1999.example.gov.tw' } }).desk.stateless;
    const t = Template.fromStack(withSender);
    for (const id of texting) {
      const fn = withSender.caseWorkflow.functions.get(id)!;
      const ses = statementsOfRole(t, logicalId(fn.role!)).filter((s) => actionsOf([s]).includes('ses:SendEmail'));
      expect(ses).toHaveLength(1);
      expect(ses[0]).toMatchObject({ Condition: { StringEquals: { 'ses:FromAddress': 'noreply@1999.example.gov.tw' } } });
      expect(t.findResources('AWS::Lambda::Function')[logicalId(fn)].Properties.Environment.Variables.CITIZEN_EMAIL_FROM).toBe('noreply@1999.example.gov.tw');
    }
  });
});

describe('CaseWorkflow construct', () => {
  it('fills the topic and table placeholders of any ASL', () => {
    const fixture = buildTestApp({ sources: { workflow: { tasks: FIXTURE_TASKS, definitionFile: FIXTURE_ASL } } }).desk.stateless;
    const sm = Object.values(Template.fromStack(fixture).findResources('AWS::StepFunctions::StateMachine'))[0].Properties;
    expect(Object.keys(sm.DefinitionSubstitutions)).toEqual(expect.arrayContaining([...placeholdersIn(readFileSync(FIXTURE_ASL, 'utf8'))]));
  });

  it('refuses an ASL file with a placeholder CDK does not fill', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'citydesk-asl-'));
    const file = path.join(dir, 'broken.asl.json');
    writeFileSync(file, JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: '${NoSuchFunctionArn}', End: true } } }));
    expect(() => buildTestApp({ sources: { workflow: { tasks: FIXTURE_TASKS, definitionFile: file } } })).toThrow(/NoSuchFunctionArn/);
  });
});
