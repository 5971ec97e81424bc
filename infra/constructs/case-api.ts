/**
 * The HTTP API built from THE route table (`functions/api/routes.ts`): one CityDeskFunction per handler module
 * with exactly the access its routes declare, one route per table entry, the Cognito JWT authorizer on every
 * route that is not `public`, access logs and throttling on the stage.
 */
import { Construct } from 'constructs';
import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  type HttpRoute,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { handlerModules, isPublic, ROUTES, routeKey, type RouteDef } from '../../functions/api/routes';
import { POLICY } from '../../functions/auth/policy';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { CityDeskFunction } from './function';
import type { Identity } from './identity';
import type { NotificationTopics } from './notification-topics';

export interface CaseApiProps {
  settings: StageSettings;
  table: CaseTable;
  identity: Identity;
  topics: NotificationTopics;
  /** The case lifecycle state machine; routes whose access names `workflow` need it. */
  caseWorkflow?: StateMachine;
  routes?: readonly RouteDef[];
  /** Where handler modules live; default `functions/`. */
  functionsDir?: string;
}

/** Whether integration clients may call the route (functions/auth/policy.ts). */
function machineCallable(routeId: string): boolean {
  const policy = POLICY[routeId];
  return policy !== undefined && policy !== 'public' && policy.allow.includes('integration');
}

/** `api/handlers/create-case` -> `CreateCase`: stable construct ids, so logical ids survive reordering. */
export function functionIdFor(handler: string): string {
  const last = handler.split('/').pop() ?? handler;
  return last.replace(/(^|[-_])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    responseLatency: '$context.responseLatency',
    integrationLatency: '$context.integration.latency',
    integrationError: '$context.integrationErrorMessage',
    authorizerError: '$context.authorizer.error',
    // The subject id is a pseudonymous Cognito id, not personal data; who acted is needed for audits.
    sub: '$context.authorizer.claims.sub',
    clientId: '$context.authorizer.claims.client_id',
    sourceIp: '$context.identity.sourceIp',
  }),
);

export class CaseApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: HttpJwtAuthorizer;
  /** Handler module -> its function. */
  readonly functions: ReadonlyMap<string, CityDeskFunction>;
  /** `METHOD /path` -> route. */
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: CaseApiProps) {
    super(scope, id);
    const { settings, table, identity, topics, caseWorkflow } = props;
    const routeTable = props.routes ?? ROUTES;

    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', identity.issuer, { jwtAudience: identity.audiences });
    this.api = new HttpApi(this, 'Api', {
      description: `CityDesk 1999 case API (${settings.stage})`,
      createDefaultStage: false,
      // A route added without thinking about it is protected; public routes opt out explicitly below.
      defaultAuthorizer: this.authorizer,
      corsPreflight: {
        allowOrigins: [settings.consoleUrl],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PATCH, CorsHttpMethod.OPTIONS],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'if-match'],
        exposeHeaders: ['etag', 'location'],
      },
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });

    const functions = new Map<string, CityDeskFunction>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const module of handlerModules(routeTable)) {
      const fnId = functionIdFor(module.handler);
      const fn = new CityDeskFunction(this, fnId, {
        handler: module.handler,
        settings,
        table,
        tableAccess: module.access.table,
        functionsDir: props.functionsDir,
        description: `CityDesk 1999 ${module.routes.map((r) => r.id).join(', ')} (${settings.stage})`,
      });
      if (module.access.workflow?.length) {
        if (!caseWorkflow) throw new Error(`${module.handler} needs the case workflow, but none was given to the API`);
        fn.bindWorkflow(caseWorkflow, module.access.workflow);
      }
      if (module.access.sns) fn.bindTopics(topics, { publish: true }).bindCitizenMessaging(settings.citizenEmailFrom);
      // Machine callers are counted per minute (functions/privacy/rate-limits.ts): a read-only module they may
      // call still writes its counter items, and only those (leading key RATE#client#).
      if (module.access.table === 'RO' && module.routes.some((r) => machineCallable(r.id)))
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [table.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RATE#client#*'] } },
          }),
        );
      fn.bindConsoleUrl(settings.consoleUrl);
      functions.set(module.handler, fn);
      integrations.set(module.handler, new HttpLambdaIntegration(`${fnId}Integration`, fn));
    }
    this.functions = functions;

    const routes = new Map<string, HttpRoute>();
    for (const def of routeTable) {
      const [route] = this.api.addRoutes({
        path: def.path,
        methods: [HttpMethod[def.method]],
        integration: integrations.get(def.handler)!,
        ...(isPublic(def) ? { authorizer: new HttpNoneAuthorizer() } : {}),
      });
      if (!route) throw new Error(`No route created for ${routeKey(def)}`);
      if (isPublic(def))
        Validations.of(route).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${routeKey(def)} is declared public in the route table ("${def.summary}"), so it has no JWT authorizer`,
        });
      routes.set(routeKey(def), route);
    }
    this.routes = routes;
  }

  get url(): string {
    return this.stage.url;
  }
}
