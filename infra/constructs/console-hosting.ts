/**
 * The console on AWS: a private S3 bucket behind CloudFront (origin access control), security headers on every
 * response, and the built app plus a generated `config.json` (API URL, Cognito issuer and client).
 *
 * Two constructs because of who needs whose address. The Cognito console client's callback and sign-out URLs,
 * the API's CORS origin and the links in department messages all name the console's URL, and config.json names
 * the API and the client, so one stack cannot hold both ends:
 * - ConsoleHosting (bucket, logs, distribution) is deployed FIRST; its URL goes into the stage settings the user
 *   pool and the API are built from (`withHostedConsole`).
 * - ConsoleRelease (the files and config.json) is deployed LAST, reading the API and the user pool.
 * The one price: the response headers policy exists before the API, so its CSP allows API Gateway and Cognito
 * hosts of the region by wildcard; the released index.html carries a second CSP that names the exact API, issuer
 * and hosted UI (browsers enforce both, so the exact one wins).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Construct } from 'constructs';
import { Aws, type CfnResource, DefaultStackSynthesizer, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { UserPoolDomain } from 'aws-cdk-lib/aws-cognito';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source, type ISource } from 'aws-cdk-lib/aws-s3-deployment';
import type { RuntimeConfig } from '../../console/src/config';
import type { StageSettings } from '../stage';
import type { CaseApi } from './case-api';
import { PROJECT_ROOT } from './function';
import type { Identity } from './identity';

/** Where `npm run build:console` (Vite) writes the console. */
export const CONSOLE_DIST = path.join(PROJECT_ROOT, 'console/dist');

/** The console client's OAuth scopes (`infra/constructs/identity.ts` allows exactly these). */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'];

/** Hashed bundles under `assets/` never change under their name; everything else is revalidated on every load. */
const ASSETS_DIR = 'assets';
const RUNTIME_CONFIG = 'config.json';
const INDEX = 'index.html';

/** The built console folder, or an error saying how to build it (synth must not upload a half-built app). */
export function requireConsoleBuild(distDir: string = CONSOLE_DIST): string {
  if (!existsSync(path.join(distDir, INDEX)))
    throw new Error(
      `The console is not built: ${path.join(distDir, INDEX)} is missing. Run \`npm run build:console\`, then synth or deploy again.`,
    );
  return distDir;
}

/**
 * The stage settings with the hosted console's URL as THE console URL: Cognito redirects there after sign-in and
 * sign-out (exactly this string, which is also the console's `redirectUri`), the API's CORS allows this origin,
 * and department messages link to it. The context's localhost URL stays the local cloud's.
 */
export function withHostedConsole(settings: StageSettings, consoleUrl: string): StageSettings {
  return { ...settings, consoleUrl, consoleCallbackUrls: [consoleUrl] };
}

/**
 * The Content-Security-Policy of the console: same-origin code and styles, no frames, `connect-src` as given, and
 * images from `imgSrc` too (case photos are read with presigned GETs from the attachment bucket).
 */
export function contentSecurityPolicy(connectSrc: readonly string[], imgSrc: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    // The favicon is a data: URI in index.html.
    ["img-src 'self' data:", ...imgSrc].join(' '),
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self' ${connectSrc.join(' ')}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    'upgrade-insecure-requests',
  ].join('; ');
}

/**
 * Where presigned attachment URLs point: the bucket's virtual-hosted regional name (`<bucket>.s3.<region>...`). The
 * bucket's name is generated in the stateful stack, after this policy exists, so the region's S3 hosts are named.
 */
function attachmentOrigin(region: string): string {
  return `https://*.s3.${region}.${Aws.URL_SUFFIX}`;
}

/** A custom domain for the console: its ACM certificate must be in us-east-1 (CloudFront's rule). */
export interface ConsoleDomain {
  domainName: string;
  certificateArn: string;
}

export interface ConsoleHostingProps {
  settings: StageSettings;
  /** Without it the console is at the distribution's `*.cloudfront.net` name. */
  domain?: ConsoleDomain;
}

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  /** S3 server access logs (`s3/`) and CloudFront access logs (`cloudfront/`). */
  readonly logBucket: Bucket;
  readonly securityHeaders: ResponseHeadersPolicy;
  readonly distribution: Distribution;
  /** `https://<host>` without a trailing slash. */
  readonly url: string;
  /**
   * The bucket's only writer: the role of the release's upload function, and that function's log group. They live
   * here, next to the bucket, so the grants the release adds name the bucket within this stack (from the release's
   * stack they would name it through a cross-stack output, and so would every nag acknowledgement).
   */
  readonly deployer: Role;
  readonly deploymentLogs: LogGroup;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);
    const { settings, domain } = props;
    // Only the bundle lives here (rebuilt from git at any time); emptying the bucket on delete is safe outside production.
    const disposable = { removalPolicy: settings.removalPolicy, autoDeleteObjects: !settings.production };

    this.logBucket = new Bucket(this, 'Logs', {
      ...disposable,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      // CloudFront's standard logs are written with an ACL: the log bucket must accept ACLs (bucket owner keeps them).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(settings.logRetention) }],
    });
    // No access logs of its own (cdk-nag accepts a bucket that is another bucket's log destination).

    this.bucket = new Bucket(this, 'Site', {
      ...disposable,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 's3/',
    });

    const region = Aws.REGION;
    this.securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: `CityDesk 1999 console security headers (${settings.stage})`,
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          // The API and the hosted UI do not exist yet when this policy is made (see the file comment).
          contentSecurityPolicy: contentSecurityPolicy(
            [
              `https://*.execute-api.${region}.${Aws.URL_SUFFIX}`,
              `https://cognito-idp.${region}.${Aws.URL_SUFFIX}`,
              `https://*.auth.${region}.amazoncognito.com`,
              // Attachments go from the browser straight to the bucket (presigned POST) and are read from it.
              attachmentOrigin(region),
            ],
            [attachmentOrigin(region)],
          ),
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Case numbers are in the URL fragment; nothing about the page needs to reach another site.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        // The legacy XSS auditor is off (`0`): it caused leaks of its own; the CSP is the protection.
        xssProtection: { protection: false, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()', override: true },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `CityDesk 1999 console (${settings.stage})`,
      defaultRootObject: INDEX,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Plain HTTP gets a redirect, never content; HSTS keeps browsers on HTTPS after the first visit.
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: this.securityHeaders,
        compress: true,
      },
      // SPA fallback. Only this bucket's misses become the app (OAC without ListBucket answers 403 for a missing key);
      // the API lives on its own API Gateway host, so its 403s and 404s reach the console untouched.
      errorResponses: [403, 404].map((httpStatus) => ({
        httpStatus,
        responseHttpStatus: 200,
        responsePagePath: `/${INDEX}`,
        ttl: Duration.seconds(10),
      })),
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Taipei's staff are in Asia: PriceClass_200 includes its edge locations.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(domain
        ? {
            domainNames: [domain.domainName],
            certificate: Certificate.fromCertificateArn(this, 'Certificate', domain.certificateArn),
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR1',
      reason:
        'No geo restriction: city staff sign in from home, on duty trips and on roaming phones; the distribution serves only the static bundle, every datum is behind the Cognito-protected API',
    });
    Validations.of(this.distribution).acknowledge({
      id: 'AwsSolutions-CFR2',
      reason:
        'No WAF in front of static files without data (a CloudFront web ACL must live in us-east-1, outside these stacks); the API that holds the data is JWT-protected and throttled per stage',
    });
    if (!domain)
      Validations.of(this.distribution).acknowledge({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate cannot set a minimum TLS version; with context citydesk:consoleDomain and citydesk:consoleCertificateArn the distribution uses TLSv1.2_2021',
      });

    this.url = `https://${domain?.domainName ?? this.distribution.distributionDomainName}`;

    this.deploymentLogs = new LogGroup(this, 'DeploymentLogs', { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    this.deployer = new Role(this, 'Deployer', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `CityDesk 1999 console upload (${settings.stage})`,
    });
    this.deploymentLogs.grantWrite(this.deployer);
  }
}

export interface ConsoleReleaseProps {
  settings: StageSettings;
  hosting: ConsoleHosting;
  api: CaseApi;
  identity: Identity;
  /** The built console (`requireConsoleBuild()`); tests pass a folder with a stub index.html. */
  distDir: string;
}

/** The hosted UI's base URL when the identity construct has a Cognito domain (every user pool gets one for its hosted UI). */
export function hostedUiBaseUrl(identity: Identity): string | undefined {
  const domain = identity.node.findAll().find((c): c is UserPoolDomain => c instanceof UserPoolDomain);
  return domain?.baseUrl();
}

/**
 * Uploads the built console and writes its `config.json`, both resolved at deploy time from the API and the user
 * pool. Hashed bundles go first (cached for a year, old ones kept so open tabs can still load their chunks), then
 * index.html and config.json (revalidated on every load), then the CDN forgets what it cached.
 */
export class ConsoleRelease extends Construct {
  /** What `config.json` holds (tokens resolve at deploy time). */
  readonly runtimeConfig: RuntimeConfig;
  readonly assets?: BucketDeployment;
  readonly entry: BucketDeployment;

  constructor(scope: Construct, id: string, props: ConsoleReleaseProps) {
    super(scope, id);
    const { settings, hosting, api, identity } = props;
    const distDir = requireConsoleBuild(props.distDir);
    const hostedUi = hostedUiBaseUrl(identity);

    this.runtimeConfig = {
      apiUrl: api.api.apiEndpoint,
      local: false,
      stage: settings.stage,
      ...(settings.placeIndexName ? { geocoding: true } : {}),
      auth: {
        mode: 'oidc',
        issuer: identity.issuer,
        clientId: identity.consoleClient.userPoolClientId,
        scopes: CONSOLE_SCOPES,
        redirectUri: settings.consoleUrl,
        // Cognito's discovery document has no end_session_endpoint; without a hosted UI there is no sign-out page.
        ...(hostedUi ? { logoutUrl: `${hostedUi}/logout` } : {}),
      },
    };
    const exactConnectSrc = [api.api.apiEndpoint, `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}`, ...(hostedUi ? [hostedUi] : []), attachmentOrigin(Aws.REGION)];

    // Both deployments share one upload function (a stack singleton) with the hosting stack's role and log group.
    const common = { destinationBucket: hosting.bucket, role: hosting.deployer, logGroup: hosting.deploymentLogs, memoryLimit: 512 };

    if (existsSync(path.join(distDir, ASSETS_DIR)))
      this.assets = new BucketDeployment(this, 'Assets', {
        ...common,
        sources: [Source.asset(path.join(distDir, ASSETS_DIR))],
        destinationKeyPrefix: `${ASSETS_DIR}/`,
        prune: false,
        cacheControl: [CacheControl.setPublic(), CacheControl.maxAge(Duration.days(365)), CacheControl.immutable()],
      });

    const otherFiles = readdirSync(distDir).filter((name) => ![ASSETS_DIR, INDEX, RUNTIME_CONFIG].includes(name));
    const sources: ISource[] = [
      ...(otherFiles.length ? [Source.asset(distDir, { exclude: [ASSETS_DIR, INDEX, RUNTIME_CONFIG] })] : []),
      // dist/config.json is the local cloud's (local sign-in, same-origin API): never uploaded.
      Source.jsonData(RUNTIME_CONFIG, this.runtimeConfig),
      Source.data(INDEX, withConnectSrc(readFileSync(path.join(distDir, INDEX), 'utf8'), exactConnectSrc)),
    ];
    this.entry = new BucketDeployment(this, 'Entry', {
      ...common,
      sources,
      // Prune stale top-level files, but never the bundles the other deployment keeps.
      exclude: [`${ASSETS_DIR}/*`],
      prune: true,
      cacheControl: [CacheControl.noCache()],
      distribution: hosting.distribution,
      distributionPaths: ['/*'],
    });
    if (this.assets) this.entry.node.addDependency(this.assets);
    acknowledgeUploadFunction(this, hosting);
  }
}

/**
 * What cdk-nag finds in BucketDeployment's upload function, which CDK builds: the grants it adds to the deployer
 * role (S3 wildcards of `grantRead`/`grantReadWrite`, CloudFront invalidation on `*`) and its Python runtime.
 */
function acknowledgeUploadFunction(release: Construct, hosting: ConsoleHosting): void {
  const hostingStack = Stack.of(hosting);
  const synthesizer = Stack.of(release).synthesizer;
  const qualifier = (synthesizer instanceof DefaultStackSynthesizer ? synthesizer.bootstrapQualifier : undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
  const siteBucket = hostingStack.getLogicalId(hosting.bucket.node.defaultChild as CfnResource);
  const s3Actions = ['s3:GetObject*', 's3:GetBucket*', 's3:List*', 's3:DeleteObject*', 's3:Abort*'];
  Validations.of(hosting.deployer).acknowledge(
    ...s3Actions.map((action) => ({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason: `${action} comes from grantRead/grantReadWrite that BucketDeployment gives its upload function: it syncs (lists, reads, overwrites, prunes) the console files`,
    })),
    {
      id: `AwsSolutions-IAM5[Resource::<${siteBucket}.Arn>/*]`,
      reason: 'The upload function writes and prunes any object of the console bucket: the bucket holds nothing but the console',
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${qualifier}-assets-<AWS::AccountId>-<AWS::Region>/*]`,
      reason: 'The upload function reads the console zip from the CDK bootstrap asset bucket, whose object keys are content hashes known only at synth',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'BucketDeployment grants cloudfront:CreateInvalidation/GetInvalidation on "*" for the invalidation after each upload (its own code, not configurable)',
    },
  );
  const uploadFunction = Stack.of(release)
    .node.children.find((c): c is LambdaFunction => c instanceof LambdaFunction && c.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (uploadFunction)
    Validations.of(uploadFunction).acknowledge({
      id: 'AwsSolutions-L1',
      reason: "BucketDeployment's upload function runs the Python runtime its handler was built for by aws-cdk-lib; upgrading aws-cdk-lib upgrades it",
    });
}

/**
 * index.html with a `<meta>` CSP narrowing `connect-src` to the exact hosts: right after `<meta charset>` (which
 * stays first) or else right after `<head>`, in any case before a script can run.
 */
export function withConnectSrc(indexHtml: string, connectSrc: readonly string[]): string {
  const anchor = /<meta\s+charset[^>]*>/i.exec(indexHtml) ?? /<head[^>]*>/i.exec(indexHtml);
  if (!anchor || !/<head[^>]*>/i.test(indexHtml)) throw new Error(`console ${INDEX} has no <head>: cannot add its Content-Security-Policy`);
  const meta = `<meta http-equiv="Content-Security-Policy" content="connect-src 'self' ${connectSrc.join(' ')}" />`;
  const at = anchor.index + anchor[0].length;
  return `${indexHtml.slice(0, at)}\n    ${meta}${indexHtml.slice(at)}`;
}
