/**
 * The console's two stacks (see `infra/constructs/console-hosting.ts` for why two): ConsoleHostingStack holds the
 * bucket and the distribution and is deployed before the user pool and the API, which name its URL;
 * ConsoleStack uploads the built console and its config.json after both.
 */
import type { App } from 'aws-cdk-lib';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { StageSettings } from '../stage';
import type { CaseApi } from '../constructs/case-api';
import { ConsoleHosting, ConsoleRelease, type ConsoleDomain } from '../constructs/console-hosting';
import type { Identity } from '../constructs/identity';

/**
 * An optional custom domain from context (`-c citydesk:consoleDomain=console.example.org
 * -c citydesk:consoleCertificateArn=arn:aws:acm:us-east-1:...`): both or neither.
 */
export function consoleDomainFromContext(app: App): ConsoleDomain | undefined {
  const domainName: unknown = app.node.tryGetContext('citydesk:consoleDomain');
  const certificateArn: unknown = app.node.tryGetContext('citydesk:consoleCertificateArn');
  if ((domainName === undefined || domainName === '') && (certificateArn === undefined || certificateArn === '')) return undefined;
  if (typeof domainName !== 'string' || !/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(domainName))
    throw new Error(`Context citydesk:consoleDomain must be a host name (got ${String(domainName)})`);
  if (typeof certificateArn !== 'string' || !/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/.test(certificateArn))
    throw new Error(`Context citydesk:consoleCertificateArn must be an ACM certificate ARN in us-east-1 (got ${String(certificateArn)})`);
  return { domainName, certificateArn };
}

export interface ConsoleHostingStackProps extends StackProps {
  settings: StageSettings;
  domain?: ConsoleDomain;
}

export class ConsoleHostingStack extends Stack {
  readonly hosting: ConsoleHosting;

  constructor(scope: Construct, id: string, props: ConsoleHostingStackProps) {
    // Its URL is registered with Cognito and the API: in production it must not disappear with a stray `cdk destroy`.
    super(scope, id, { ...props, terminationProtection: props.settings.production });
    this.hosting = new ConsoleHosting(this, 'Console', { settings: props.settings, domain: props.domain });
    new CfnOutput(this, 'ConsoleUrl', { value: this.hosting.url, description: 'The console (Cognito callback and API CORS origin)' });
    new CfnOutput(this, 'DistributionId', { value: this.hosting.distribution.distributionId });
    new CfnOutput(this, 'DistributionDomainName', { value: this.hosting.distribution.distributionDomainName });
  }
}

export interface ConsoleStackProps extends StackProps {
  settings: StageSettings;
  hosting: ConsoleHosting;
  api: CaseApi;
  identity: Identity;
  distDir: string;
}

export class ConsoleStack extends Stack {
  readonly release: ConsoleRelease;

  constructor(scope: Construct, id: string, props: ConsoleStackProps) {
    super(scope, id, props);
    const { settings, hosting, api, identity, distDir } = props;
    this.release = new ConsoleRelease(this, 'Release', { settings, hosting, api, identity, distDir });
  }
}
