/**
 * Staff sign-in: a Cognito user pool whose groups are the API roles and whose `custom:department` attribute binds
 * department staff to their department (the http middleware turns these claims into an Actor). Issue 6 adds the
 * hosted UI domain, the resource server and client-credentials clients: `audiences` is the list the JWT
 * authorizer accepts, so new clients only need to be appended there.
 */
import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolRiskConfigurationAttachment,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import type { Role } from '../../functions/domain/actor';
import type { StageSettings } from '../stage';

/** Human roles are groups; `integration` callers are machine clients (issue 6), not users. */
export const USER_GROUPS = ['agent', 'staff', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** The claim carrying a staff member's department code. */
export const DEPARTMENT_ATTRIBUTE = 'department';

export interface IdentityProps {
  settings: StageSettings;
}

export class Identity extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
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
      // Issue 6: MFA optional (TOTP only, no SMS cost); threat protection below challenges risky sign-ins.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Staff accounts reach citizens' personal data: compromised-credential and adaptive checks in every stage.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: settings.production,
      removalPolicy: settings.removalPolicy,
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
        'Issue 6 asks for optional MFA (hotline agents share 24h desks, not all have a phone for TOTP); threat protection requires MFA for high-risk sign-ins and blocks compromised passwords',
    });

    // Precedence orders `cognito:preferred_role`; the API reads the groups claim and takes the highest role.
    USER_GROUPS.forEach((group, i) =>
      this.userPool.addGroup(`Group-${group}`, {
        groupName: group,
        description: `CityDesk 1999 role ${group}`,
        precedence: USER_GROUPS.length - i,
      }),
    );

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

    this.audiences = [this.consoleClient.userPoolClientId];
  }

  /** Issuer URL for JWT authorizers: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  get issuer(): string {
    return this.userPool.userPoolProviderUrl;
  }
}
