/**
 * Staff sign-in: a Cognito user pool whose groups are the API roles and whose `custom:department` attribute binds
 * department staff to their department (the http middleware turns these claims into an Actor), with
 * - the hosted UI on a Cognito domain, where the console signs in with authorization code + PKCE;
 * - a resource server (`citydesk`, scopes `cases.read`, `cases.write`, and `dept.<CODE>` for a client bound to a
 *   department) and one client-credentials client per machine caller (context `citydesk:machineClients`,
 *   default one `integration` client with both case scopes).
 * `audiences` is the list the JWT authorizer accepts: the console client and every machine client.
 */
import { Construct } from 'constructs';
import { Aws, CfnOutput, Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  ResourceServerScope,
  StandardThreatProtectionMode,
  type UserPoolDomain,
  type UserPoolResourceServer,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolEmail,
} from 'aws-cdk-lib/aws-cognito';
import { LEAD_GROUP, type Role } from '../../functions/domain/actor';
import { departmentScopeName, RESOURCE_SERVER, SCOPE_DESCRIPTIONS, SCOPES } from '../../functions/auth/policy';
import type { StageSettings } from '../stage';

/** Human roles are groups; `integration` callers are machine clients (client credentials), not users: no person signs in as one. */
export const USER_GROUPS = ['agent', 'staff', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** The claim carrying a staff member's department code. */
export const DEPARTMENT_ATTRIBUTE = 'department';

export interface IdentityProps {
  settings: StageSettings;
}

/** A machine caller (a department's own system, an Open311 bridge): context `citydesk:machineClients`. */
export interface MachineClientSpec {
  /** Letters, digits and dashes; the construct id and the Cognito client name. */
  name: string;
  /** Case scopes without the resource server prefix: `cases.read`, `cases.write`. */
  scopes: Array<'cases.read' | 'cases.write'>;
  /** Binds the client to one department's cases (scope `dept.<CODE>`). */
  department?: string;
}

export const DEFAULT_MACHINE_CLIENTS: readonly MachineClientSpec[] = [{ name: 'integration', scopes: ['cases.read', 'cases.write'] }];

/** Reads and checks `citydesk:machineClients` (a JSON list, or the list itself from cdk.json). */
export function machineClientsFromContext(raw: unknown): readonly MachineClientSpec[] {
  if (raw === undefined) return DEFAULT_MACHINE_CLIENTS;
  const list: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  if (!Array.isArray(list)) throw new Error('Context citydesk:machineClients must be a list of { name, scopes, department? }');
  return list.map((c: unknown, i) => {
    const spec = c as Partial<MachineClientSpec>;
    if (typeof spec.name !== 'string' || !/^[A-Za-z0-9-]{1,40}$/.test(spec.name)) throw new Error(`citydesk:machineClients[${i}].name must be letters, digits or dashes`);
    if (!Array.isArray(spec.scopes) || spec.scopes.length === 0 || spec.scopes.some((s) => s !== 'cases.read' && s !== 'cases.write'))
      throw new Error(`citydesk:machineClients[${i}].scopes must name cases.read and/or cases.write`);
    if (spec.department !== undefined && !/^[A-Z][A-Z0-9_-]*$/.test(spec.department)) throw new Error(`citydesk:machineClients[${i}].department must be a department code`);
    return { name: spec.name, scopes: spec.scopes, ...(spec.department ? { department: spec.department } : {}) };
  });
}

/**
 * The hosted UI's domain prefix for `stage` from context `citydesk:authDomainPrefix`: a string (the stage given on
 * the command line) or an object by stage (in cdk.json: `{ "prod": "taoyuan-1999" }`); undefined = the default.
 */
export function authDomainPrefixFromContext(raw: unknown, stage: string): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const parsed: unknown = typeof raw === 'string' && raw.trim().startsWith('{') ? JSON.parse(raw) : raw;
  const value: unknown = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)[stage] : parsed;
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value) || /aws|amazon|cognito/.test(value))
    throw new Error(`Context citydesk:authDomainPrefix for stage ${stage} must be lower-case letters, digits and -, without aws/amazon/cognito (got ${JSON.stringify(value)})`);
  return value;
}

export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  /** The hosted UI (Cognito domain) the console signs in on. */
  readonly domain: UserPoolDomain;
  readonly resourceServer: UserPoolResourceServer;
  /** Client-credentials clients by name. */
  readonly machineClients: ReadonlyMap<string, UserPoolClient>;
  /** Client ids whose tokens the API accepts (`aud` of ID tokens, `client_id` of access tokens). */
  readonly audiences: string[];

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { settings } = props;

    this.userPool = new UserPool(this, 'UserPool', {
      // Accounts are created by administrators for city staff; citizens never sign in.
      selfSignUpEnabled: false,
      signInAliases: { email: true, username: false },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true }, fullname: { required: false, mutable: true } },
      customAttributes: { [DEPARTMENT_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }) },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // MFA optional (TOTP only, no SMS cost): agents share desks and not all have a phone for TOTP; threat protection below challenges risky sign-ins.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Staff accounts reach citizens' personal data: compromised-credential and adaptive checks in every stage.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: settings.production,
      removalPolicy: settings.removalPolicy,
      // Invitations and password resets: through the stage's SES identity when it has one (Cognito's own sender
      // allows 50 e-mails a day), from the same verified sender as citizens' e-mail.
      ...(settings.citizenEmailFrom
        ? {
            email: UserPoolEmail.withSES({
              fromEmail: settings.citizenEmailFrom,
              fromName: 'CityDesk 1999',
              sesVerifiedDomain: settings.citizenEmailFrom.split('@')[1],
              sesRegion: Aws.REGION,
            }),
          }
        : {}),
    });
    // What threat protection does with risk: challenge medium risk when the user has TOTP, refuse high risk without
    // it, refuse known-leaked passwords outright. No notification e-mails (they would need an SES sender).
    const riskAction = (eventAction: string) => ({ eventAction, notify: false });
    new CfnUserPoolRiskConfigurationAttachment(this, 'RiskConfiguration', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: riskAction('NO_ACTION'),
          mediumAction: riskAction('MFA_IF_CONFIGURED'),
          highAction: riskAction('MFA_REQUIRED'),
        },
      },
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' }, eventFilter: ['SIGN_IN', 'PASSWORD_CHANGE'] },
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (hotline agents share 24h desks, not all have a phone for TOTP); threat protection requires MFA for high-risk sign-ins and blocks compromised passwords',
    });

    // Precedence orders `cognito:preferred_role`; the API reads the groups claim and takes the highest role.
    USER_GROUPS.forEach((group, i) =>
      this.userPool.addGroup(`Group-${group}`, {
        groupName: group,
        description: `CityDesk 1999 role ${group}`,
        precedence: USER_GROUPS.length - i,
      }),
    );

    // Not a role: a department's staff member who is also in this group leads the department (assigns its cases).
    this.userPool.addGroup('Group-lead', {
      groupName: LEAD_GROUP,
      description: "CityDesk 1999 department lead: with the staff group, assigns the department's cases to its staff",
    });

    // Users may read their department, never change it: only admins set it (AdminUpdateUserAttributes).
    const readable = new ClientAttributes()
      .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
      .withCustomAttributes(DEPARTMENT_ATTRIBUTE);
    const writable = new ClientAttributes().withStandardAttributes({ fullname: true });

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: settings.consoleCallbackUrls,
        logoutUrls: [settings.consoleUrl],
      },
      preventUserExistenceErrors: true,
      readAttributes: readable,
      writeAttributes: writable,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // One shift; the next shift signs in again.
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    // The hosted UI. Cognito domain prefixes are global per region: the stage and account keep them apart, and
    // `citydesk:authDomainPrefix` picks a friendlier one (a string, or an object by stage).
    const prefix = authDomainPrefixFromContext(this.node.tryGetContext('citydesk:authDomainPrefix'), settings.stage);
    this.domain = this.userPool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: prefix ?? `citydesk-${settings.stage}-${Aws.ACCOUNT_ID}` },
    });

    // Machine callers: client credentials against the API's resource server.
    const clients = machineClientsFromContext(this.node.tryGetContext('citydesk:machineClients'));
    const scopeOf = (full: string) => full.slice(RESOURCE_SERVER.length + 1);
    const departments = [...new Set(clients.flatMap((c) => (c.department ? [c.department] : [])))];
    const scopes = new Map<string, ResourceServerScope>([
      ...Object.values(SCOPES).map((full) => [scopeOf(full), new ResourceServerScope({ scopeName: scopeOf(full), scopeDescription: SCOPE_DESCRIPTIONS[full] })] as const),
      ...departments.map((d) => [scopeOf(departmentScopeName(d)), new ResourceServerScope({ scopeName: scopeOf(departmentScopeName(d)), scopeDescription: `Only the cases of department ${d}` })] as const),
    ]);
    this.resourceServer = this.userPool.addResourceServer('Api', {
      identifier: RESOURCE_SERVER,
      userPoolResourceServerName: `CityDesk 1999 API ${settings.stage}`,
      scopes: [...scopes.values()],
    });
    const machineClients = new Map<string, UserPoolClient>();
    for (const spec of clients) {
      const names = [...spec.scopes, ...(spec.department ? [scopeOf(departmentScopeName(spec.department))] : [])];
      const client = this.userPool.addClient(`MachineClient-${spec.name}`, {
        userPoolClientName: `citydesk-${settings.stage}-${spec.name}`,
        generateSecret: true,
        oAuth: { flows: { clientCredentials: true }, scopes: names.map((n) => OAuthScope.resourceServer(this.resourceServer, scopes.get(n)!)) },
        accessTokenValidity: Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
      machineClients.set(spec.name, client);
      new CfnOutput(this, `MachineClientId-${spec.name}`, { value: client.userPoolClientId, description: `Client id of machine caller ${spec.name} (its secret: aws cognito-idp describe-user-pool-client)` });
    }
    this.machineClients = machineClients;
    new CfnOutput(this, 'HostedUiUrl', { value: this.domain.baseUrl(), description: 'Cognito hosted UI; its /oauth2/token issues client-credentials tokens' });

    this.audiences = [this.consoleClient.userPoolClientId, ...[...machineClients.values()].map((c) => c.userPoolClientId)];
  }

  /** The token endpoint machine callers use (`<hosted UI>/oauth2/token`). */
  get tokenEndpoint(): string {
    return `${this.domain.baseUrl()}/oauth2/token`;
  }

  /** Issuer URL for JWT authorizers: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
