/**
 * Identity and privacy in the CDK app: the hosted UI, the resource server and client-credentials
 * clients, the phone-index key reaching every function, the daily retention job, and the machine-client rate
 * counters of read-only modules.
 */
import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { handlerModules, ROUTES } from '../../functions/api/routes';
import { SCHEDULED_JOBS } from '../../functions/privacy/jobs';
import { machineClientsFromContext } from '../../infra/constructs/identity';
import { buildTestApp, logicalId, sharedTestApp, statementsOfRole } from './support/app';

const { desk } = sharedTestApp();
const stateful = Template.fromStack(desk.stateful);
const stateless = Template.fromStack(desk.stateless);

type ClientProps = Record<string, unknown> & { AllowedOAuthScopes: unknown[] };
const machineClientsOf = (t: Template): ClientProps[] =>
  Object.values(t.findResources('AWS::Cognito::UserPoolClient', { Properties: { AllowedOAuthFlows: ['client_credentials'] } })).map((c) => c.Properties as ClientProps);
/** `{ Fn::Join: ['', [<resource server ref>, '/cases.read']] }` -> `citydesk/cases.read` (the identifier is `citydesk`). */
const scopesOf = (client: ClientProps): string[] =>
  client.AllowedOAuthScopes.map((s) => (typeof s === 'string' ? s : `citydesk${(s as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].filter((p) => typeof p === 'string').join('')}`));

describe('sign-in', () => {
  it('the hosted UI lives on a Cognito domain of the stage', () => {
    const domains = Object.values(stateful.findResources('AWS::Cognito::UserPoolDomain'));

    expect(domains).toHaveLength(1);
    expect(JSON.stringify(domains[0].Properties.Domain)).toContain('citydesk-dev-');
  });

  it('the console signs in with the authorization code flow as a public client (PKCE, no secret)', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: Match.arrayWith(['openid']),
    });
  });

  it('the API is a resource server with a read and a write scope', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'citydesk',
      Scopes: Match.arrayWith([Match.objectLike({ ScopeName: 'cases.read' }), Match.objectLike({ ScopeName: 'cases.write' })]),
    });
  });

  it('machine callers get client-credentials clients with a secret, and the authorizer accepts them', () => {
    const machines = machineClientsOf(stateful);

    expect(machines).toHaveLength(1);
    expect(machines[0]).toMatchObject({ GenerateSecret: true, AllowedOAuthFlows: ['client_credentials'], AllowedOAuthFlowsUserPoolClient: true });
    expect(scopesOf(machines[0])).toEqual(['citydesk/cases.read', 'citydesk/cases.write']);
    expect(desk.stateful.identity.audiences).toHaveLength(1 + desk.stateful.identity.machineClients.size);
  });

  it('a department system named in context gets a client bound to its department by scope', () => {
    const { desk: custom } = buildTestApp({ context: { 'citydesk:machineClients': JSON.stringify([{ name: 'pwd-system', scopes: ['cases.read'], department: 'PWD' }]) } });
    const template = Template.fromStack(custom.stateful);

    expect(machineClientsOf(template).map(scopesOf)).toEqual([['citydesk/cases.read', 'citydesk/dept.PWD']]);
    template.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', { Scopes: Match.arrayWith([Match.objectLike({ ScopeName: 'dept.PWD' })]) });
  });

  it('a malformed machine client list stops the synth, naming the field', () => {
    expect(() => machineClientsFromContext([{ name: 'x', scopes: ['cases.delete'] }])).toThrow(/scopes/);
    expect(() => machineClientsFromContext('[{"name":"has space","scopes":["cases.read"]}]')).toThrow(/name/);
  });
});

describe('personal data', () => {
  // A cross-stack reference to a stateful secret (its Ref, the ARN, through a stack output): which secret it names.
  const piiSecret = logicalId(desk.stateful.table.piiHashKey);
  const cursorSecret = logicalId(desk.stateful.table.cursorSecret);
  const secretNamed = (value: unknown): string => {
    const text = JSON.stringify(value) ?? 'undefined';
    const named = [piiSecret, cursorSecret].filter((id) => text.includes(`Ref${id}`));
    return named.length === 1 && !text.includes('SecretString') ? named[0] : text;
  };
  // The project's functions (CDK's own, such as a custom resource provider's, have no table).
  const functions = Object.entries(stateless.findResources('AWS::Lambda::Function')).filter(([, fn]) => fn.Properties.Environment?.Variables?.TABLE_NAME !== undefined);
  const apiIds = new Set([...desk.stateless.api.functions.values()].map((fn) => logicalId(fn)));
  const secretStatements = (fn: { Properties: { Role: { 'Fn::GetAtt': [string, string] } } }) =>
    statementsOfRole(stateless, fn.Properties.Role['Fn::GetAtt'][0]).filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));

  it('the keys are two generated secrets of the stateful stack, retained in production', () => {
    stateful.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const secret of Object.values(stateful.findResources('AWS::SecretsManager::Secret'))) {
      expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true });
      expect(secret.Properties.SecretString).toBeUndefined();
    }
    const prod = Template.fromStack(sharedTestApp('prod').desk.stateful);
    for (const secret of Object.values(prod.findResources('AWS::SecretsManager::Secret'))) expect([secret.DeletionPolicy, secret.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  it('no key material in any function configuration: every function gets the phone-hash secret\'s ARN, the API functions the cursor secret\'s too', () => {
    expect(functions.length).toBeGreaterThan(30);
    expect(JSON.stringify(stateless.toJSON())).not.toContain('resolve:secretsmanager');
    for (const [id, fn] of functions) {
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(variables).filter((k) => /KEY$|SECRET$/.test(k)), id).toEqual([]);
      expect(secretNamed(variables.PII_HASH_KEY_SECRET_ARN), id).toBe(piiSecret);
      // What pages nothing gets no cursor secret.
      if (apiIds.has(id)) expect(secretNamed(variables.CURSOR_SECRET_ARN), id).toBe(cursorSecret);
      else expect(variables.CURSOR_SECRET_ARN, id).toBeUndefined();
    }
    expect(apiIds.size).toBeGreaterThan(10);
  });

  it('each function may GetSecretValue on exactly the secrets it is given, nothing else of Secrets Manager', () => {
    for (const [id, fn] of functions) {
      const statements = secretStatements(fn as never);
      const expected = apiIds.has(id) ? [piiSecret, cursorSecret] : [piiSecret];
      // CDK merges statements with the same action into one with a list of resources.
      expect([...new Set(statements.flatMap((s) => s.Action))], id).toEqual(['secretsmanager:GetSecretValue']);
      expect(statements.flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource])).map(secretNamed).sort(), id).toEqual(expected.sort());
    }
  });

  it('the retention job runs daily at 03:00 Taipei and may write the table', () => {
    const job = SCHEDULED_JOBS.find((j) => j.handler === 'privacy/retention-job')!;
    const fn = desk.stateless.privacyJobs.functions.get(job.id)!;

    stateless.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 19 * * ? *)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } })],
    });
    const actions = statementsOfRole(stateless, logicalId(fn.role!)).flatMap((s) => s.Action);
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actions).not.toContain('dynamodb:Scan');
  });
});

describe('abuse limits', () => {
  it('a read-only module machine clients may call writes only its rate counters', () => {
    const reference = handlerModules(ROUTES).find((m) => m.handler === 'api/handlers/reference')!;
    const fn = desk.stateless.api.functions.get(reference.handler)!;
    const writes = statementsOfRole(stateless, logicalId(fn.role!)).filter((s) => JSON.stringify(s.Action).includes('UpdateItem'));

    expect(writes).toEqual([
      expect.objectContaining({ Action: 'dynamodb:UpdateItem', Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#client#*'] } } }),
    ]);
  });

  it('the API stage is throttled', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 }) });
  });
});
