/**
 * The AWS side of what the local SES stands in for: with a citizen e-mail sender in context, the stateful stack
 * has the sender domain's SES identity, and ses:SendEmail is granted to the workflow tasks that e-mail citizens
 * and nothing else, on that identity and the sender address only, as that sender only.
 * (Kept beside the local SES tests because that is this area's test folder; it belongs with test/infra.)
 */
import { describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { WORKFLOW_FUNCTIONS } from '../../functions/workflow/functions';
import { actionsOf, buildTestApp, logicalId, sharedTestApp, type Statement, statementsOfRole } from '../infra/support/app';

const SENDER = 'noreply@1999.example.gov.tw';

/** Every ses:* statement in the stateless stack, by the logical id of the role it is attached to. */
function sesStatementsByRole(template: Template): Map<string, Statement[]> {
  const byRole = new Map<string, Statement[]>();
  for (const roleId of Object.keys(template.findResources('AWS::IAM::Role'))) {
    const ses = statementsOfRole(template, roleId).filter((s) => actionsOf([s]).some((a) => a.startsWith('ses:')));
    if (ses.length) byRole.set(roleId, ses);
  }
  return byRole;
}

describe('citizen e-mail on AWS', () => {
  it('without a sender in context there is no SES identity and no SES grant', () => {
    const { desk } = sharedTestApp();

    expect(Template.fromStack(desk.stateful).findResources('AWS::SES::EmailIdentity')).toEqual({});
    expect(sesStatementsByRole(Template.fromStack(desk.stateless)).size).toBe(0);
  });

  it('with a sender, the stateful stack verifies its domain, kept on delete in production', () => {
    const dev = buildTestApp({ context: { 'citydesk:citizenEmailFrom': SENDER } }).desk.stateful;
    const prod = buildTestApp({ stage: 'prod', context: { 'citydesk:citizenEmailFrom': SENDER } }).desk.stateful;

    const identities = Object.values(Template.fromStack(dev).findResources('AWS::SES::EmailIdentity'));
    expect(identities).toHaveLength(1);
    expect(identities[0].Properties).toMatchObject({ EmailIdentity: '1999.example.gov.tw' });
    expect(identities[0].DeletionPolicy).toBe('Delete');
    expect(Object.values(Template.fromStack(prod).findResources('AWS::SES::EmailIdentity'))[0].DeletionPolicy).toBe('Retain');
  });

  it('ses:SendEmail goes only to the tasks that e-mail citizens, on the domain identity and the address, as that sender', () => {
    const { desk } = buildTestApp({ context: { 'citydesk:citizenEmailFrom': SENDER } });
    const template = Template.fromStack(desk.stateless);
    const emailers = WORKFLOW_FUNCTIONS.filter((t) => t.messagesCitizens).map((t) => logicalId(desk.stateless.caseWorkflow.functions.get(t.id)!.role!));

    const byRole = sesStatementsByRole(template);

    expect([...byRole.keys()].sort()).toEqual([...emailers].sort());
    const identityArn = (name: string): unknown => Stack.of(desk.stateless).resolve(Stack.of(desk.stateless).formatArn({ service: 'ses', resource: 'identity', resourceName: name }));
    for (const statements of byRole.values()) {
      expect((statements[0]?.Resource as unknown[] | undefined)?.length).toBe(2);
      expect(statements).toEqual([
        {
          Action: 'ses:SendEmail',
          Effect: 'Allow',
          // In any order: the policy minimizer sorts them.
          Resource: expect.arrayContaining([identityArn(SENDER), identityArn('1999.example.gov.tw')]),
          Condition: { StringEquals: { 'ses:FromAddress': SENDER } },
        },
      ]);
    }
  });

  it('the app with a sender still synthesizes with no unacknowledged cdk-nag finding', () => {
    const { app } = buildTestApp({ stage: 'prod', context: { 'citydesk:citizenEmailFrom': SENDER } });

    expect(() => app.synth()).not.toThrow();
  });
});
