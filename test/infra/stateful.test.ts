import { describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { GSI_LIST, indexProjection, PARTITION_KEY, SORT_KEY, TTL_ATTRIBUTE } from '../../functions/adapters/table';
import { loadConfig, loadOperationsConfig } from '../../functions/config/load';
import type { DepartmentsFile } from '../../functions/config/schema';
import { digestPlan, earlyWarningPlan } from '../../functions/domain/notification-plan';
import { buildTestApp, sharedTestApp, withSubscribersIn } from './support/app';

const dev = sharedTestApp();
const devTemplate = Template.fromStack(dev.desk.stateful);
const prodTemplate = Template.fromStack(sharedTestApp('prod').desk.stateful);

describe('case table', () => {
  it('has the store’s keys and every GSI with the projection its readers need (never ALL)', () => {
    devTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
        { AttributeName: SORT_KEY, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: GSI_LIST.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: indexProjection(g),
      })),
    });
    expect(GSI_LIST.filter((g) => indexProjection(g).ProjectionType === 'KEYS_ONLY').map((g) => g.indexName)).toEqual(['gsi6', 'gsi7', 'gsi8', 'gsi10']);
    expect(GSI_LIST.map((g) => g.indexName)).toEqual(expect.arrayContaining(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5']));
  });

  it('is on-demand, with point-in-time recovery, the TTL attribute and AWS-managed encryption', () => {
    devTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('is deletion-protected and retained in production, disposable in dev', () => {
    prodTemplate.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
    devTemplate.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('has no fixed physical name, so stages can share an account: department topics are named by stage and code', () => {
    devTemplate.hasResourceProperties('AWS::DynamoDB::GlobalTable', { TableName: Match.absent() });
    // Functions derive a department's topic ARN from its code (citydesk-<stage>-<code>); the stage keeps them apart.
    const names = (t: Template) => Object.values(t.findResources('AWS::SNS::Topic')).map((x) => x.Properties.TopicName as string | undefined);
    expect(names(devTemplate).every((n) => n === undefined || n.startsWith('citydesk-dev-'))).toBe(true);
    expect(names(prodTemplate).every((n) => n === undefined || n.startsWith('citydesk-prod-'))).toBe(true);
    devTemplate.hasResourceProperties('AWS::Cognito::UserPool', { UserPoolName: Match.absent() });
  });
});

describe('notification topics', () => {
  const departments = loadConfig().departments.departments;

  it('are one per department plus the escalation, early-warning and digest topics, encrypted with a rotating customer key', () => {
    const notificationTopics = Object.entries(devTemplate.findResources('AWS::SNS::Topic')).filter(([id]) => id.startsWith('Topics'));
    expect(notificationTopics).toHaveLength(departments.length + 3);
    // Besides them, only the operations topic.
    devTemplate.resourceCountIs('AWS::SNS::Topic', departments.length + 4);
    devTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    const keyId = Object.keys(devTemplate.findResources('AWS::KMS::Key')).find((id) => id.startsWith('Topics'))!;
    for (const [, topic] of notificationTopics) expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
  });

  it('refuse publishing without TLS', () => {
    const policies = Object.values(devTemplate.findResources('AWS::SNS::TopicPolicy'));
    expect(policies).toHaveLength(departments.length + 4);
    for (const policy of policies)
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'sns:Publish',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
  });

  it('get the subscriptions configured for the stage and no others', () => {
    // The prod app is built with one e-mail subscriber per department and for operations (withSubscribersIn).
    const prodConfig = withSubscribersIn('prod');
    const inStage = (list: DepartmentsFile['departments'][number]['subscriptions'], stage: string) => list.filter((s) => !s.stages || s.stages.includes(stage));
    const inDev = [...departments.flatMap((d) => inStage(d.subscriptions, 'dev')), ...inStage(loadOperationsConfig().subscriptions, 'dev')];
    const inProd = [...prodConfig.departments.departments.flatMap((d) => inStage(d.subscriptions, 'prod')), ...inStage(prodConfig.operations.subscriptions, 'prod')];
    const { level2, level3 } = loadConfig().departments.escalationDepartments;
    const escalationSubs = (stage: string) =>
      (stage === 'prod' ? prodConfig.departments.departments : departments)
        .filter((d) => d.code === level2 || d.code === level3)
        .flatMap((d) => d.subscriptions.filter((s) => !s.stages || s.stages.includes(stage))).length;

    const warningSubs = (stage: string) => earlyWarningPlan(stage === 'prod' ? prodConfig.departments : loadConfig().departments, stage).subscriptions.length;
    const digestSubs = (stage: string) => digestPlan(stage === 'prod' ? prodConfig.departments : loadConfig().departments, stage).subscriptions.length;

    devTemplate.resourceCountIs('AWS::SNS::Subscription', inDev.length + escalationSubs('dev') + warningSubs('dev') + digestSubs('dev'));
    prodTemplate.resourceCountIs('AWS::SNS::Subscription', inProd.length + escalationSubs('prod') + warningSubs('prod') + digestSubs('prod'));
    for (const s of inDev) devTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: s.protocol, Endpoint: s.endpoint });
  });

  it('send the mayor’s office only level-3 escalations and the 1999 supervisors all of them', () => {
    const config: DepartmentsFile = {
      escalationDepartments: { level2: 'RDEC', level3: 'MAYOR' },
      departments: [
        { code: 'PWD', name: { zh: '工務局', en: 'Public Works' }, receivesCases: true, escalation: [], subscriptions: [] },
        { code: 'RDEC', name: { zh: '研考會', en: 'RDEC' }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'rdec@example.org' }] },
        { code: 'MAYOR', name: { zh: '市長室', en: 'Mayor' }, receivesCases: false, escalation: [], subscriptions: [{ protocol: 'email', endpoint: 'mayor@example.org' }] },
      ],
    };
    // Every event e-mailed as it happens: the level filter alone (the digest choice has tests of its own, scheduled-jobs.test.ts).
    const t = Template.fromStack(buildTestApp({ sources: { departments: config }, context: { 'citydesk:emailDelivery': { dev: { supervisors: 'immediate' } } } }).desk.stateful);
    const escalationTopic = Object.entries(t.findResources('AWS::SNS::Topic')).find(([id]) => id.includes('Escalation'))![0];

    t.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: escalationTopic },
      Endpoint: 'mayor@example.org',
      FilterPolicy: { level: [{ numeric: ['>=', 3] }] },
    });
    t.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: { Ref: escalationTopic }, Endpoint: 'rdec@example.org', FilterPolicy: Match.absent() });
  });
});

describe('user pool', () => {
  it('has one group per human role, and the department lead group', () => {
    for (const group of ['agent', 'staff', 'supervisor', 'admin', 'lead'])
      devTemplate.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    devTemplate.resourceCountIs('AWS::Cognito::UserPoolGroup', 5);
  });

  it('carries the department as a custom attribute, with a strong password policy and optional TOTP MFA', () => {
    devTemplate.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'department', AttributeDataType: 'String', Mutable: true })]),
      Policies: {
        PasswordPolicy: Match.objectLike({ MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true }),
      },
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
      UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
    });
  });

  it('challenges risky sign-ins and blocks compromised passwords', () => {
    devTemplate.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      AccountTakeoverRiskConfiguration: {
        Actions: {
          LowAction: { EventAction: 'NO_ACTION', Notify: false },
          MediumAction: { EventAction: 'MFA_IF_CONFIGURED', Notify: false },
          HighAction: { EventAction: 'MFA_REQUIRED', Notify: false },
        },
      },
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
    });
  });

  it('lets the console read the department but never change it', () => {
    // The console's client; machine clients (client credentials) have their own tests (test/infra/identity.test.ts).
    const clients = Object.values(devTemplate.findResources('AWS::Cognito::UserPoolClient')).filter((c) => !c.Properties.GenerateSecret);
    expect(clients).toHaveLength(1);
    const client = clients[0].Properties;
    expect(client.ReadAttributes).toContain('custom:department');
    expect(client.WriteAttributes).not.toContain('custom:department');
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.GenerateSecret).toBe(false);
  });

  it('is deletion-protected in production', () => {
    prodTemplate.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });
});

describe('attachment bucket', () => {
  const files = (template: Template) =>
    Object.values(template.findResources('AWS::S3::Bucket')).find((b) => (b as { Properties: { LoggingConfiguration?: { LogFilePrefix?: string } } }).Properties.LoggingConfiguration?.LogFilePrefix === 'files/') as
      | { Properties: Record<string, unknown>; DeletionPolicy?: string }
      | undefined;

  it('is private, encrypted, owner-enforced, logged, and takes browser uploads only from the console origin', () => {
    const bucket = files(devTemplate);
    expect(bucket?.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      CorsConfiguration: { CorsRules: [expect.objectContaining({ AllowedMethods: ['POST', 'GET'], AllowedOrigins: [expect.stringMatching(/^https?:\/\/[^/]+$/)] })] },
    });
    expect((bucket?.Properties.LifecycleConfiguration as { Rules: Array<{ Id: string }> }).Rules.map((r) => r.Id)).toEqual(['abort-incomplete-multipart', 'expire-delete-markers']);
  });

  it('refuses every request that is not over TLS', () => {
    devTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('is versioned and retained in production, with noncurrent versions expiring', () => {
    const bucket = files(prodTemplate);
    expect(bucket?.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket?.DeletionPolicy).toBe('Retain');
    expect((bucket?.Properties.LifecycleConfiguration as { Rules: Array<{ Id: string; NoncurrentVersionExpiration?: unknown }> }).Rules).toContainEqual(
      expect.objectContaining({ Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
    );
    expect(files(devTemplate)?.Properties.VersioningConfiguration).toBeUndefined();
  });
});
