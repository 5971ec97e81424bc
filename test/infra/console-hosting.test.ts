import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseRuntimeConfig } from '../../console/src/config';
import { stackNames } from '../../infra/citydesk';
import { contentSecurityPolicy, hostedUiBaseUrl, requireConsoleBuild, withConnectSrc } from '../../infra/constructs/console-hosting';
import { Identity } from '../../infra/constructs/identity';
import { consoleDomainFromContext } from '../../infra/stacks/console-stack';
import { buildTestApp, sharedTestApp } from './support/app';

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
}
type Json = Record<string, unknown>;

/** A stand-in for `console/dist`: the tests check wiring, not the real bundle (no Vite build needed). */
function fakeConsoleDist(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'citydesk-console-dist-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8" /><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>');
  // The local cloud's runtime config, which must never reach S3.
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ apiUrl: '', local: true, auth: { mode: 'local' } }));
  writeFileSync(path.join(dir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets/index-abc123.js'), 'document.title = "CityDesk 1999";\n');
  return dir;
}

const distDir = fakeConsoleDist();
afterAll(() => rmSync(distDir, { recursive: true, force: true }));

const names = stackNames('dev');
const { app, desk } = buildTestApp({ stage: 'dev', sources: { consoleDist: distDir } });
const assembly = app.synth();
const hosting = Template.fromStack(desk.consoleHosting!);
const release = Template.fromStack(desk.console!);

/** `Fn::GetStackOutput` of an output of `stack` whose generated name matches `output`. */
const outputOf = (stack: string, output: RegExp) => ({
  'Fn::GetStackOutput': Match.objectLike({ StackName: stack, OutputName: Match.stringLikeRegexp(output.source) }),
});
const consoleUrl = { 'Fn::Join': ['', ['https://', outputOf(names.consoleHosting, /ConsoleDistribution.*DomainName/)]] };

function deployment(prefix: 'assets/' | undefined): Json {
  const all = Object.values(release.findResources('Custom::CDKBucketDeployment')).map((r) => r.Properties as Json);
  const found = all.find((p) => p.DestinationBucketKeyPrefix === prefix);
  if (!found) throw new Error(`no deployment with prefix ${String(prefix)}`);
  return found;
}

/** The files a deployment uploads: each source zip is staged as a folder in the cloud assembly. */
function stagedFiles(props: Json): Array<{ dir: string; files: string[]; markers: Json }> {
  const keys = props.SourceObjectKeys as string[];
  const markers = (props.SourceMarkers as Json[] | undefined) ?? [];
  return keys.map((key, i) => {
    const dir = path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    return { dir, files: listFiles(dir), markers: markers[i] ?? {} };
  });
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

function stagedFile(props: Json, name: string): { text: string; markers: Json } {
  const source = stagedFiles(props).find((s) => s.files.includes(name));
  if (!source) throw new Error(`${name} is not uploaded`);
  return { text: readFileSync(path.join(source.dir, name), 'utf8'), markers: source.markers };
}

describe('console bucket', () => {
  const site = () => {
    const [id, bucket] = Object.entries(hosting.findResources('AWS::S3::Bucket')).find(([, b]) => b.Properties.LoggingConfiguration)!;
    return { id, bucket };
  };

  it('is private: all public access blocked, bucket-owner objects, encrypted, access logged', () => {
    const { bucket } = site();
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 's3/' },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
  });

  it('refuses plain HTTP and lets only this distribution read objects (origin access control)', () => {
    const { id } = site();
    const policy = Object.values(hosting.findResources('AWS::S3::BucketPolicy')).find((p) => p.Properties.Bucket.Ref === id)!;
    const statements = policy.Properties.PolicyDocument.Statement as Json[];
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    const reads = statements.filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('cloudfront.amazonaws.com'));
    expect(reads).toHaveLength(1);
    expect(reads[0]).toMatchObject({ Action: 's3:GetObject', Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } } });
    const distributionId = Object.keys(hosting.findResources('AWS::CloudFront::Distribution'))[0];
    expect(JSON.stringify(reads[0].Condition)).toContain(`"Ref":"${distributionId}"`);
    // Nobody else is allowed anything on the bucket: no public or wildcard principal in an Allow.
    for (const s of statements.filter((st) => st.Effect === 'Allow')) expect(JSON.stringify(s.Principal)).not.toBe('"*"');
  });

  it('the distribution reaches the bucket through an S3 origin access control that signs every request', () => {
    hosting.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: { OriginAccessControlOriginType: 's3', SigningBehavior: 'always', SigningProtocol: 'sigv4' },
    });
    const oac = Object.keys(hosting.findResources('AWS::CloudFront::OriginAccessControl'))[0];
    hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ OriginAccessControlId: { 'Fn::GetAtt': [oac, 'Id'] }, S3OriginConfig: { OriginAccessIdentity: '' } })],
      }),
    });
  });

  it('its access logs and the distribution’s go to a private log bucket that expires them after the stage’s log retention', () => {
    const [logsId, logs] = Object.entries(hosting.findResources('AWS::S3::Bucket')).find(([, b]) => !b.Properties.LoggingConfiguration)!;
    expect(site().bucket.Properties.LoggingConfiguration.DestinationBucketName).toEqual({ Ref: logsId });
    expect(logs.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 14, Status: 'Enabled' }] },
    });
    hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ Logging: { Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' } }),
    });
  });

  it('is emptied and deleted with the stack outside production, kept in production', () => {
    hosting.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    hosting.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    const prod = Template.fromStack(buildTestApp({ stage: 'prod', sources: { consoleDist: distDir } }).desk.consoleHosting!);
    prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    prod.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });
});

describe('distribution', () => {
  it('serves index.html at the root over HTTPS only (HTTP is redirected), with access logs', () => {
    hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https', AllowedMethods: ['GET', 'HEAD'] }),
        Logging: Match.objectLike({ Prefix: 'cloudfront/' }),
      }),
    });
  });

  it('answers a missing path with the app (403 and 404 become /index.html with 200), and has no API origin to swallow errors of', () => {
    const config = Object.values(hosting.findResources('AWS::CloudFront::Distribution'))[0].Properties.DistributionConfig as Json;
    expect(config.CustomErrorResponses).toEqual([403, 404].map((code) => expect.objectContaining({ ErrorCode: code, ResponseCode: 200, ResponsePagePath: '/index.html' })));
    // The API is on its own API Gateway host: the only origin here is the bucket.
    expect(config.Origins).toHaveLength(1);
    expect(config.CacheBehaviors).toBeUndefined();
  });

  it('adds the security headers to every response: HSTS, CSP, nosniff, frame DENY, no referrer', () => {
    const policies = hosting.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const [policyId, policy] = Object.entries(policies)[0];
    hosting.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: policyId } }) }),
    });
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig as Json;
    expect(headers).toMatchObject({
      StrictTransportSecurity: { AccessControlMaxAgeSec: expect.any(Number), IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
    expect((headers.StrictTransportSecurity as Json).AccessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
  });

  it("the CSP allows scripts and styles from the console only, no framing, connections to the region's API Gateway, Cognito and S3 hosts, and images from S3 (case photos)", () => {
    const policy = Object.values(hosting.findResources('AWS::CloudFront::ResponseHeadersPolicy'))[0];
    const csp = desk.consoleHosting!.resolve(policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    // Render the pseudo parameters as they would be in ap-northeast-1.
    const rendered = (csp['Fn::Join'][1] as unknown[])
      .map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref === 'AWS::Region' ? 'ap-northeast-1' : 'amazonaws.com'))
      .join('');
    const directives = Object.fromEntries(rendered.split('; ').map((d: string) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['style-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['connect-src']).toEqual([
      "'self'",
      'https://*.execute-api.ap-northeast-1.amazonaws.com',
      'https://cognito-idp.ap-northeast-1.amazonaws.com',
      'https://*.auth.ap-northeast-1.amazoncognito.com',
      'https://*.s3.ap-northeast-1.amazonaws.com',
    ]);
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'https://*.s3.ap-northeast-1.amazonaws.com']);
  });

  it('without a custom domain it uses the cloudfront.net certificate; with one it enforces TLS 1.2 and is the console URL', () => {
    hosting.hasResourceProperties('AWS::CloudFront::Distribution', { DistributionConfig: Match.objectLike({ ViewerCertificate: Match.absent() }) });
    const certificateArn = 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666';
    const custom = buildTestApp({
      stage: 'dev',
      sources: { consoleDist: distDir },
      context: { 'citydesk:consoleDomain': 'console.1999.example.gov.tw', 'citydesk:consoleCertificateArn': certificateArn },
    }).desk;
    Template.fromStack(custom.consoleHosting!).hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['console.1999.example.gov.tw'],
        ViewerCertificate: { AcmCertificateArn: certificateArn, MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
      }),
    });
    expect(custom.settings.consoleUrl).toBe('https://console.1999.example.gov.tw');
  });

  it('a custom domain needs both the host name and a us-east-1 certificate', () => {
    const appWith = (context: Record<string, string>) => new App({ context });
    expect(consoleDomainFromContext(appWith({}))).toBeUndefined();
    expect(() => consoleDomainFromContext(appWith({ 'citydesk:consoleDomain': 'console.example.org' }))).toThrow(/consoleCertificateArn/);
    expect(() =>
      consoleDomainFromContext(
        appWith({ 'citydesk:consoleDomain': 'console.example.org', 'citydesk:consoleCertificateArn': 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc' }),
      ),
    ).toThrow(/us-east-1/);
  });
});

describe('release', () => {
  it('config.json is generated at deploy time: API URL, Cognito issuer and console client, redirect to the console, not local', () => {
    const { text, markers } = stagedFile(deployment(undefined), 'config.json');
    const config = JSON.parse(text) as Json;
    const deployed = (value: unknown) => markers[value as string];
    const auth = config.auth as Json;

    expect(config.local).toBe(false);
    expect(config.stage).toBe('dev');
    expect(auth).toMatchObject({ mode: 'oidc', scopes: ['openid', 'email', 'profile'] });
    expect((deployed(config.apiUrl) as Json)['Fn::GetStackOutput']).toMatchObject({
      StackName: names.stateless,
      OutputName: expect.stringMatching(/CaseApi.*ApiEndpoint/),
    });
    expect((deployed(auth.issuer) as Json)['Fn::GetStackOutput']).toMatchObject({ StackName: names.stateful, OutputName: expect.stringMatching(/UserPool.*ProviderURL/) });
    expect((deployed(auth.clientId) as Json)['Fn::GetStackOutput']).toMatchObject({ StackName: names.stateful, OutputName: expect.stringMatching(/ConsoleClient/) });
    // The redirect is exactly the console URL, as registered with Cognito below.
    expect(auth.redirectUri).toMatch(/^https:\/\/<<marker:0xbaba:\d+>>$/);
    expect((deployed((auth.redirectUri as string).slice('https://'.length)) as Json)['Fn::GetStackOutput']).toMatchObject({
      StackName: names.consoleHosting,
      OutputName: expect.stringMatching(/ConsoleDistribution.*DomainName/),
    });
  });

  it('the console itself accepts the generated config.json', () => {
    const { text } = stagedFile(deployment(undefined), 'config.json');
    const filled = text.replace(/<<marker:0xbaba:(\d+)>>/g, (_m, n: string) => ['https://api.example', 'https://issuer.example', 'client-id', 'd111.cloudfront.net'][Number(n)] ?? 'x');
    const parsed = parseRuntimeConfig(JSON.parse(filled));
    expect(parsed).toMatchObject({ apiUrl: 'https://api.example', local: false, auth: { mode: 'oidc', issuer: 'https://issuer.example', clientId: 'client-id', redirectUri: 'https://d111.cloudfront.net' } });
  });

  it("dist/config.json (the local cloud's) is never uploaded; index.html and the other top-level files are", () => {
    const entry = stagedFiles(deployment(undefined));
    const configs = entry.filter((s) => s.files.includes('config.json'));
    expect(configs).toHaveLength(1);
    expect(readFileSync(path.join(configs[0].dir, 'config.json'), 'utf8')).not.toContain('"local":true');
    expect(entry.flatMap((s) => s.files).sort()).toEqual(['config.json', 'index.html', 'robots.txt']);
    expect(stagedFiles(deployment('assets/')).flatMap((s) => s.files)).toEqual(['index-abc123.js']);
  });

  it('index.html narrows connect-src to the exact API and Cognito issuer, before any script', () => {
    const { text, markers } = stagedFile(deployment(undefined), 'index.html');
    const meta = /<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ([^"]+)" \/>/.exec(text);
    expect(meta).not.toBeNull();
    expect(text.indexOf(meta![0])).toBeLessThan(text.indexOf('<script'));
    const [api, issuer] = meta![1].split(' ');
    expect((markers[api] as Json)['Fn::GetStackOutput']).toMatchObject({ StackName: names.stateless, OutputName: expect.stringMatching(/ApiEndpoint/) });
    expect(issuer).toMatch(/^https:\/\/cognito-idp\.<<marker:0xbaba:\d+>>\.<<marker:0xbaba:\d+>>$/);
  });

  it('bundles are cached for a year and kept for open tabs; index.html and config.json revalidate, are pruned, and the CDN is invalidated', () => {
    expect(deployment('assets/')).toMatchObject({ Prune: false, SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' } });
    expect(deployment(undefined)).toMatchObject({
      Prune: true,
      Exclude: ['assets/*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/*'],
    });
    expect((deployment(undefined).DistributionId as Json)['Fn::GetStackOutput']).toMatchObject({
      StackName: names.consoleHosting,
      OutputName: expect.stringMatching(/Ref.*ConsoleDistribution/),
    });
    const [entryId] = Object.entries(release.findResources('Custom::CDKBucketDeployment')).find(([, r]) => r.Properties.DestinationBucketKeyPrefix === undefined)!;
    const [assetsId] = Object.entries(release.findResources('Custom::CDKBucketDeployment')).find(([, r]) => r.Properties.DestinationBucketKeyPrefix === 'assets/')!;
    expect(release.toJSON().Resources[entryId].DependsOn).toContain(assetsId);
  });

  it('a missing build stops synth and says how to build', () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'citydesk-console-empty-'));
    try {
      expect(() => requireConsoleBuild(empty)).toThrow(/npm run build:console/);
      expect(() => buildTestApp({ stage: 'dev', sources: { consoleDist: empty } })).toThrow(/npm run build:console/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('the console URL elsewhere', () => {
  const stateful = Template.fromStack(desk.stateful);
  const stateless = Template.fromStack(desk.stateless);

  it('is the Cognito console client’s only callback and sign-out URL', () => {
    stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', { CallbackURLs: [consoleUrl], LogoutURLs: [consoleUrl] });
  });

  it('is the API’s only CORS origin, and every function links messages to it', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.objectLike({ AllowOrigins: [consoleUrl] }) });
    const [origin] = Object.values(stateless.findResources('AWS::ApiGatewayV2::Api'))[0].Properties.CorsConfiguration.AllowOrigins as unknown[];
    const functions = Object.values(stateless.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) expect(fn.Properties.Environment.Variables.CONSOLE_URL).toEqual(origin);
  });

  it('deploys in order: hosting first (nothing before it), user pool and API next, the release last', () => {
    expect(desk.consoleHosting!.dependencies).toEqual([]);
    expect(desk.stateful.dependencies).toContain(desk.consoleHosting);
    expect(desk.console!.dependencies).toEqual(expect.arrayContaining([desk.stateless, desk.consoleHosting]));
  });

  it('without a console build the stage has no console stacks and keeps the context console URL', () => {
    const plain = sharedTestApp().desk;
    expect(plain.consoleHosting).toBeUndefined();
    expect(plain.console).toBeUndefined();
    expect(plain.settings.consoleUrl).toBe('http://localhost:3000');
  });
});

describe('cdk-nag AwsSolutions with the console', () => {
  const violations = (report: ValidationReport) =>
    report.pluginReports.flatMap((r) => r.violations.map((v) => `${v.ruleName} at ${v.violatingConstructs.map((c) => c.constructPath).join(', ')}`));
  const reportOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'validation-report.json'), 'utf8')) as ValidationReport;

  it('the dev app synthesizes with no unacknowledged finding', () => {
    expect(violations(reportOf(assembly.directory))).toEqual([]);
  });

  it('the prod app synthesizes with no unacknowledged finding', () => {
    const prod = buildTestApp({ stage: 'prod', sources: { consoleDist: distDir } }).app.synth();
    expect(violations(reportOf(prod.directory))).toEqual([]);
  });
});

describe('helpers', () => {
  it('withConnectSrc puts the CSP after <meta charset> (or first in <head>), before any script, and refuses a page without <head>', () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' https://api.example" />`;
    const plain = withConnectSrc('<html><head lang="x"><script src="/a.js"></script></head></html>', ['https://api.example']);
    expect(plain).toBe(`<html><head lang="x">\n    ${meta}<script src="/a.js"></script></head></html>`);
    const withCharset = withConnectSrc('<html><head><meta charset="utf-8" /><script src="/a.js"></script></head></html>', ['https://api.example']);
    expect(withCharset).toBe(`<html><head><meta charset="utf-8" />\n    ${meta}<script src="/a.js"></script></head></html>`);
    expect(() => withConnectSrc('<html><body></body></html>', [])).toThrow(/no <head>/);
  });

  it('hostedUiBaseUrl finds the Cognito domain of the identity construct (every pool has its hosted UI)', () => {
    const stack = new Stack(new App(), 'IdentityOnly');
    const settings = { ...desk.settings, consoleUrl: 'https://console.example', consoleCallbackUrls: ['https://console.example'] };
    const identity = new Identity(stack, 'Identity', { settings });
    expect(stack.resolve(hostedUiBaseUrl(identity))).toEqual(stack.resolve(identity.domain.baseUrl()));
  });

  it('contentSecurityPolicy denies by default and lists connect-src after self', () => {
    const csp = contentSecurityPolicy(['https://a.example', 'https://b.example']);
    expect(csp.split('; ')[0]).toBe("default-src 'none'");
    expect(csp).toContain("connect-src 'self' https://a.example https://b.example");
  });
});
