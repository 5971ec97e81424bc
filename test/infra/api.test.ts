import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { handlerModules, isPublic, ROUTES, routeKey } from '../../functions/api/routes';
import { handlerEnvironment } from '../../functions/config/environment';
import { TABLE_WRITE_ACTIONS } from '../../infra/constructs/function';
import { actionsOf, logicalId, sharedTestApp, type Statement, statementsOfRole } from './support/app';
import { estimatedEnvironmentBytes, LAMBDA_ENVIRONMENT_LIMIT } from '../../infra/environment-size';

const { desk } = sharedTestApp();
const stack = desk.stateless;
const template = Template.fromStack(stack);
const api = stack.api;

const roleOf = (handler: string): string => logicalId(api.functions.get(handler)!.role!);
const actionsOfHandler = (handler: string) => actionsOf(statementsOfRole(template, roleOf(handler)));

describe('routes', () => {
  const authorizers = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));
  const authorizerId = authorizers[0];

  it('has exactly one authorizer', () => {
    expect(authorizers).toHaveLength(1);
  });

  it('every route of the route table exists, and nothing else', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties.RouteKey as string);
    expect(routes.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.filter((r) => !isPublic(r)).map((r) => [routeKey(r)]))('%s requires a Cognito JWT', (key) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
  });

  it.each(ROUTES.filter((r) => isPublic(r)).map((r) => [routeKey(r)]))('%s is public', (key) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'NONE', AuthorizerId: Match.absent() });
  });

  it.each(ROUTES.map((r) => [routeKey(r), r.handler]))('%s reaches %s', (key, handler) => {
    const route = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).find((r) => r.Properties.RouteKey === key)!;
    const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])[1] as { Ref: string };
    const integration = template.findResources('AWS::ApiGatewayV2::Integration')[integrationId.Ref];
    expect(integration.Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(api.functions.get(handler)!), 'Arn'] },
    });
  });

  it('the JWT authorizer trusts the user pool as issuer and the console and machine clients as audience', () => {
    const stateful = desk.stateful;
    const issuer = stack.resolve(stateful.identity.issuer);
    const audience = stack.resolve(stateful.identity.consoleClient.userPoolClientId);
    const machines = [...stateful.identity.machineClients.values()].map((c) => stack.resolve(c.userPoolClientId));
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: [audience, ...machines] },
    });
  });

  it('the stage logs every request and is throttled', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: desk.settings.throttle.rateLimit, ThrottlingBurstLimit: desk.settings.throttle.burstLimit },
    });
  });
});

describe('Open311 on its own API: any origin, no credentials; the case API keeps the console only', () => {
  const apis = template.findResources('AWS::ApiGatewayV2::Api');
  const caseApiId = logicalId(api.api);
  const open311ApiId = logicalId(api.open311Api);
  const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));

  it('two HTTP APIs, each with its CORS', () => {
    expect(Object.keys(apis).sort()).toEqual([caseApiId, open311ApiId].sort());
    expect(apis[open311ApiId].Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['*'],
      AllowMethods: ['GET', 'POST', 'OPTIONS'],
      AllowHeaders: ['content-type'],
      ExposeHeaders: ['retry-after', 'x-request-id'],
      AllowCredentials: false,
      MaxAge: 86400,
    });
    expect(apis[caseApiId].Properties.CorsConfiguration.AllowOrigins).toEqual([desk.settings.consoleUrl]);
  });

  it('every /open311/v2 route is on the Open311 API, every other route on the case API', () => {
    for (const r of routes) {
      const onOpen311 = String(r.Properties.RouteKey).includes(' /open311/v2/');
      expect(r.Properties.ApiId, r.Properties.RouteKey as string).toEqual({ Ref: onOpen311 ? open311ApiId : caseApiId });
    }
    expect(routes.filter((r) => (r.Properties.ApiId as { Ref: string }).Ref === open311ApiId)).toHaveLength(ROUTES.filter((r) => r.tag === 'open311').length);
  });

  it('the Open311 stage logs and is throttled like the case API', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      ApiId: { Ref: open311ApiId },
      StageName: '$default',
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context\\.requestId') },
      DefaultRouteSettings: { ThrottlingRateLimit: desk.settings.throttle.rateLimit, ThrottlingBurstLimit: desk.settings.throttle.burstLimit },
    });
  });

  it('the Open311 functions are told the Open311 API URL as their base URL; no other function is', () => {
    const expected = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [open311ApiId, 'ApiEndpoint'] }, '/open311/v2']] };
    for (const [handler, fn] of api.functions) {
      const variables = template.findResources('AWS::Lambda::Function')[logicalId(fn)].Properties.Environment.Variables as Record<string, unknown>;
      if (handler.startsWith('open311/')) expect(variables.OPEN311_BASE_URL, handler).toEqual(expected);
      else expect(variables.OPEN311_BASE_URL, handler).toBeUndefined();
    }
    template.hasOutput('Open311Url', { Value: expected });
  });
});

describe('functions', () => {
  const modules = handlerModules(ROUTES);

  it('one per handler module of the route table', () => {
    expect([...api.functions.keys()].sort()).toEqual(modules.map((m) => m.handler).sort());
  });

  it('every function (API and workflow) runs on arm64 with Node.js 22 or newer, traced, logging JSON to its own log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    // + 1: the deploy step that seeds the SOP catalogue.
    expect(functions.length).toBe(modules.length + stack.caseWorkflow.functions.size + stack.privacyJobs.functions.size + 1);
    for (const fn of functions) {
      const p = fn.Properties;
      expect(p.Architectures).toEqual(['arm64']);
      expect(Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1])).toBeGreaterThanOrEqual(22);
      expect(p.TracingConfig).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
    }
  });

  it('with bundling skipped for speed, each function still points at its own code asset and the ESM handler', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const keys = functions.map((fn) => fn.Properties.Code.S3Key as string);
    for (const fn of functions) expect(fn.Properties.Handler).toBe('index.handler');
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{64}\.zip$/);
    expect(new Set(keys).size).toBe(functions.length);
  });

  // Synthesizes a whole prod app (five stacks, cdk-nag): over a minute on a busy 2-core machine.
  it('log groups expire (two weeks in dev, a year in prod)', { timeout: 180_000 }, () => {
    for (const lg of Object.values(template.findResources('AWS::Logs::LogGroup'))) expect(lg.Properties.RetentionInDays).toBe(14);
    const prod = Template.fromStack(sharedTestApp('prod').desk.stateless);
    for (const lg of Object.values(prod.findResources('AWS::Logs::LogGroup'))) expect(lg.Properties.RetentionInDays).toBe(365);
  });

  it.each(modules.map((m) => [m.handler, m]))('%s gets the environment handlerEnvironment defines for what it may use', (handler, module) => {
    const fn = template.findResources('AWS::Lambda::Function')[logicalId(api.functions.get(handler)!)];
    // Starting and answering both build the workflow adapter from the ARN; only the grants differ.
    const wantsWorkflowArn = (module.access.workflow?.length ?? 0) > 0;
    const expected = handlerEnvironment({
      stage: 'dev',
      tableName: 'table',
      caseWorkflowArn: wantsWorkflowArn ? 'arn' : undefined,
      escalationTopicArn: module.access.sns ? 'arn' : undefined,
      departmentTopicArnPrefix: module.access.sns ? 'arn' : undefined,
      consoleUrl: desk.settings.consoleUrl,
      piiHashKeySecretArn: 'arn',
      cursorSecretArn: 'arn',
      open311BaseUrl: module.routes.some((r) => r.tag === 'open311') ? 'https://open311' : undefined,
      attachmentBucketName: module.access.attachments ? 'bucket' : undefined,
    });
    const actual = fn.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) if (!['TABLE_NAME', 'CASE_WORKFLOW_ARN', 'ESCALATION_TOPIC_ARN', 'DEPARTMENT_TOPIC_ARN_PREFIX', 'PII_HASH_KEY_SECRET_ARN', 'CURSOR_SECRET_ARN', 'OPEN311_BASE_URL', 'ATTACHMENT_BUCKET_NAME'].includes(k)) expect(actual[k]).toBe(v);
    expect(actual.TABLE_NAME).toEqual(stack.resolve(desk.stateful.table.table.tableName));
    if (wantsWorkflowArn) expect(actual.CASE_WORKFLOW_ARN).toEqual({ Ref: logicalId(stack.caseWorkflow.stateMachine) });
  });
});

describe('least privilege', () => {
  const modules = handlerModules(ROUTES);

  it.each(modules.filter((m) => m.access.table === 'RO').map((m) => [m.handler]))('%s (read-only) has no write action', (handler) => {
    // Except the per-client rate counters of machine callers, which are scoped to their own keys.
    const isRateCounter = (s: Statement & { Condition?: unknown }) => JSON.stringify(s.Condition ?? {}).includes('RATE#client#');
    const actions = actionsOf(statementsOfRole(template, roleOf(handler)).filter((s) => !isRateCounter(s)));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
    for (const write of TABLE_WRITE_ACTIONS) expect(actions).not.toContain(write);
  });

  it.each(modules.filter((m) => m.access.table === 'RW').map((m) => [m.handler]))('%s (read-write) may write items', (handler) => {
    expect(actionsOfHandler(handler)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
  });

  it('no role of the stack may Scan, or use wildcard actions', () => {
    const all = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => actionsOf(p.Properties.PolicyDocument.Statement));
    expect(all).not.toContain('dynamodb:Scan');
    expect(all.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('table grants name the table and each index, never index/*', () => {
    const statement = statementsOfRole(template, roleOf('api/handlers/list-cases')).find((s) => actionsOf([s]).includes('dynamodb:Query'))!;
    const resources = JSON.stringify(statement.Resource);
    expect(resources).not.toContain('index/*');
    for (const name of desk.stateful.table.indexNames) expect(resources).toContain(`/index/${name}`);
  });

  it('only the handlers that start the workflow may StartExecution, only on the case workflow', () => {
    const starters = modules.filter((m) => m.access.workflow?.includes('start')).map((m) => m.handler);
    expect(starters).toContain('api/handlers/create-case');
    expect(starters.length).toBeLessThan(modules.length / 2);
    for (const m of modules) expect(actionsOfHandler(m.handler).includes('states:StartExecution')).toBe(starters.includes(m.handler));
    const start = statementsOfRole(template, roleOf('api/handlers/create-case')).find((s) => actionsOf([s]).includes('states:StartExecution'))!;
    expect(start.Resource).toEqual({ Ref: logicalId(stack.caseWorkflow.stateMachine) });
  });

  it('a handler that starts the workflow may look up an execution that already exists, and only the case workflow\'s', () => {
    const describe = statementsOfRole(template, roleOf('api/handlers/create-case')).find((s) => actionsOf([s]).includes('states:DescribeExecution'));
    expect(describe).toBeDefined();
    const resource = JSON.stringify(describe!.Resource);
    expect(resource).toContain(':execution:');
    expect(resource).toContain(JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.caseWorkflow.stateMachine), 'Name'] }));
    for (const m of modules.filter((x) => !x.access.workflow?.includes('start'))) expect(actionsOfHandler(m.handler)).not.toContain('states:DescribeExecution');
  });

  it('only the handlers that send task results may SendTaskSuccess/Failure', () => {
    for (const m of modules) {
      const actions = actionsOfHandler(m.handler);
      const sends = m.access.workflow?.includes('send') ?? false;
      expect(actions.includes('states:SendTaskSuccess')).toBe(sends);
      expect(actions.includes('states:SendTaskFailure')).toBe(sends);
    }
  });

  it('handlers that do not publish have no SNS or KMS rights', () => {
    for (const m of modules.filter((x) => !x.access.sns)) {
      const actions = actionsOfHandler(m.handler);
      expect(actions.filter((a) => a.startsWith('sns:') || a.startsWith('kms:'))).toEqual([]);
    }
  });

  it('a function writes logs only to its own log group', () => {
    for (const [handler, fn] of api.functions) {
      const logs = statementsOfRole(template, roleOf(handler)).find((s) => actionsOf([s]).includes('logs:PutLogEvents'))!;
      const logGroupId = template.findResources('AWS::Lambda::Function')[logicalId(fn)].Properties.LoggingConfig.LogGroup.Ref;
      expect(logs.Resource).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    }
  });
});

describe('environment size', () => {
  it('every function’s environment stays under Lambda’s 4 KB once references resolve', () => {
    for (const [id, fn] of Object.entries(template.findResources('AWS::Lambda::Function'))) {
      const vars = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(estimatedEnvironmentBytes(vars), id).toBeLessThan(LAMBDA_ENVIRONMENT_LIMIT);
    }
  });
});

describe('case files', () => {
  const stateful = Template.fromStack(desk.stateful);
  const managedPolicies = (fn: { role?: unknown }) => JSON.stringify(template.toJSON().Resources[logicalId(fn.role as never)]?.Properties?.ManagedPolicyArns ?? []);
  const policyName = (use: 'read' | 'upload' | 'erase') => logicalId(desk.stateful.attachments.policies[use]);

  it('the attachment handler signs uploads and reads of case files only: the upload policy, and the bucket name', () => {
    const fn = api.functions.get('api/handlers/attachments')!;
    expect(managedPolicies(fn)).toContain(policyName('upload'));
    expect(managedPolicies(fn)).not.toContain(policyName('erase'));
    const env = (template.toJSON().Resources[logicalId(fn)]?.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
    expect(env.ATTACHMENT_BUCKET_NAME).toBeDefined();
    stateful.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(desk.stateful.attachments.bucket), 'Arn'] }, '/cases/*']] } }] },
    });
  });

  it('the retention job erases case files: versions listed under cases/ only, and deleted', () => {
    const fn = stack.privacyJobs.functions.get('ErasePersonalData')!;
    expect(managedPolicies(fn)).toContain(policyName('erase'));
    stateful.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: 's3:ListBucketVersions', Condition: { StringLike: { 's3:prefix': ['cases/*'] } } },
          { Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'] },
        ],
      },
    });
  });

  it("Open311's create handler stores a request's media file (upload), and no other function reaches the bucket", () => {
    expect(managedPolicies(api.functions.get('open311/create-handler')!)).toContain(policyName('upload'));
    const others = [...api.functions.entries()].filter(([handler]) => !['api/handlers/attachments', 'open311/create-handler'].includes(handler)).map(([, fn]) => fn);
    for (const fn of others) for (const use of ['read', 'upload', 'erase'] as const) expect(managedPolicies(fn)).not.toContain(policyName(use));
  });
});
