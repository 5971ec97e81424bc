/**
 * Production protections: termination protection on every prod stack, the state machine retained, the workflow
 * log group under /aws/vendedlogs/, the hosted UI's domain prefix per stage, Cognito e-mail through SES.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { authDomainPrefixFromContext } from '../../infra/constructs/identity';
import { buildTestApp } from './support/app';

const sender = 'noreply@city.example.gov.tw';
const prod = buildTestApp({ stage: 'prod', context: { 'citydesk:citizenEmailFrom': sender, 'citydesk:authDomainPrefix': { prod: 'taoyuan-1999', test: 'taoyuan-1999-test' } } }).desk;
const dev = buildTestApp({ stage: 'dev', context: { 'citydesk:authDomainPrefix': { prod: 'taoyuan-1999' } } }).desk;
// Synthesized once, here: a synth (cdk-nag included) takes longer than a test's timeout on a busy machine.
const prodStateless = Template.fromStack(prod.stateless);
const devStateless = Template.fromStack(dev.stateless);
const prodStateful = Template.fromStack(prod.stateful);
const devStateful = Template.fromStack(dev.stateful);

describe('production protections', () => {
  it('every prod stack has termination protection; dev stacks do not', () => {
    for (const stack of [prod.stateful, prod.stateless, prod.operations]) expect(stack.terminationProtection, stack.stackName).toBe(true);
    for (const stack of [dev.stateful, dev.stateless, dev.operations]) expect(stack.terminationProtection, stack.stackName).toBe(false);
  });

  it('the case workflow state machine and its log group are retained in prod, deleted in dev', () => {
    prodStateless.hasResource('AWS::StepFunctions::StateMachine', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    devStateless.hasResource('AWS::StepFunctions::StateMachine', { DeletionPolicy: 'Delete' });
  });

  it('the workflow log group is named under /aws/vendedlogs/, per stage', () => {
    prodStateless.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ LogGroupName: '/aws/vendedlogs/states/CityDesk-prod-CaseWorkflow', RetentionInDays: 365 }),
    });
    devStateless.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/CityDesk-dev-CaseWorkflow' });
  });

  it('the hosted UI prefix comes from context per stage, else the stage-and-account default', () => {
    prodStateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'taoyuan-1999' });
    const devDomain = devStateful.findResources('AWS::Cognito::UserPoolDomain');
    expect(JSON.stringify(Object.values(devDomain)[0].Properties.Domain)).toContain('citydesk-dev-');
    expect(authDomainPrefixFromContext('plain-prefix', 'dev')).toBe('plain-prefix');
    expect(authDomainPrefixFromContext('{"prod":"p-1999"}', 'prod')).toBe('p-1999');
    expect(authDomainPrefixFromContext({ prod: 'p-1999' }, 'dev')).toBeUndefined();
    expect(() => authDomainPrefixFromContext({ prod: 'My_Prefix' }, 'prod')).toThrow(/citydesk:authDomainPrefix for stage prod/);
    expect(() => authDomainPrefixFromContext('cognito-city', 'prod')).toThrow(/without aws\/amazon\/cognito/);
  });

  it('Cognito sends its e-mail through the stage’s SES identity, which exists first', () => {
    const t = prodStateful;
    const pool = Object.entries(t.findResources('AWS::Cognito::UserPool'))[0];
    expect(pool[1].Properties.EmailConfiguration).toMatchObject({ EmailSendingAccount: 'DEVELOPER', From: `CityDesk 1999 <${sender}>` });
    expect(JSON.stringify(pool[1].Properties.EmailConfiguration.SourceArn)).toContain(':identity/city.example.gov.tw');
    const identityId = Object.keys(t.findResources('AWS::SES::EmailIdentity'))[0];
    expect(pool[1].DependsOn).toContain(identityId);
    // Without a sender, Cognito's default.
    const devPool = Object.values(devStateful.findResources('AWS::Cognito::UserPool'))[0];
    expect(devPool.Properties.EmailConfiguration?.EmailSendingAccount ?? 'COGNITO_DEFAULT').toBe('COGNITO_DEFAULT');
  });
});
