/**
 * The HTTP APIs built from THE route table (`functions/api/routes.ts`): one CityDeskFunction per handler module
 * with exactly the access its routes declare, one route per table entry, the Cognito JWT authorizer on every
 * route that is not `public`, access logs and throttling on each stage.
 *
 * Two APIs, because CORS is configured per HTTP API and, once configured, API Gateway ignores CORS headers from
 * the integration: the case API allows the console's origin only (with its credentials: the bearer token), while
 * Open311 (`/open311/v2/*`, tag `open311`) is for citizen apps on any site, so its own API allows any origin and
 * no credentials. Its URL is the Open311 base URL clients discover (OPEN311_BASE_URL on its functions).
 */
import { Construct } from 'constructs';
import { Duration, Validations } from 'aws-cdk-lib';
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
import type { AttachmentBucket } from './attachment-bucket';
import { handlerModules, isPublic, ROUTES, routeKey, type RouteDef } from '../../functions/api/routes';
import { POLICY } from '../../functions/auth/policy';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { StageSettings } from '../stage';
import type { CaseTable } from './case-table';
import { CityDeskFunction } from './function';
import type { Identity } from './identity';
import type { NotificationTopics } from './notification-topics';
import { RateCounterEntity } from '../../functions/adapters/table';

export interface CaseApiProps {
  settings: StageSettings;
  table: CaseTable;
  identity: Identity;
  topics: NotificationTopics;
  /** The case lifecycle state machine; routes whose access names `workflow` need it. */
  caseWorkflow?: StateMachine;
  /** The attachment bucket; routes whose access names `attachments` need it. */
  attachments?: AttachmentBucket;
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

/** Open311 routes live on their own API (any-origin CORS); everything else on the case API. */
export const isOpen311Route = (def: Pick<RouteDef, 'tag'>): boolean => def.tag === 'open311';

export class CaseApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  /** The Open311 GeoReport v2 endpoint's API: public, CORS for any origin without credentials. */
  readonly open311Api: HttpApi;
  readonly open311Stage: HttpStage;
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

    this.stage = this.loggedStage('Stage', 'AccessLogs', this.api, settings);

    this.open311Api = new HttpApi(this, 'Open311Api', {
      description: `CityDesk 1999 Open311 GeoReport v2 (${settings.stage})`,
      createDefaultStage: false,
      // Open data and api_key writes for browser apps anywhere: any origin, never credentials (no cookies, no
      // Authorization). The form POST is a "simple" request; the preflight covers clients that send more.
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        allowHeaders: ['content-type'],
        exposeHeaders: ['retry-after', 'x-request-id'],
        allowCredentials: false,
        maxAge: Duration.days(1),
      },
    });
    this.open311Stage = this.loggedStage('Open311Stage', 'Open311AccessLogs', this.open311Api, settings);

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
      fn.bindCursorSecret(table);
      if (module.access.workflow?.length) {
        if (!caseWorkflow) throw new Error(`${module.handler} needs the case workflow, but none was given to the API`);
        fn.bindWorkflow(caseWorkflow, module.access.workflow);
      }
      if (module.access.attachments) {
        if (!props.attachments) throw new Error(`${module.handler} needs the attachment bucket, but none was given to the API`);
        fn.bindAttachments(props.attachments, module.access.attachments);
      }
      // A stage without a place index gives the function neither the name nor a grant: the route says so itself.
      if (module.access.geocoding && settings.placeIndexName) fn.bindPlaceIndex(settings.placeIndexName);
      if (module.access.sns) fn.bindTopics(topics, { publish: true }).bindCitizenMessaging(settings.citizenEmailFrom);
      // Machine callers are counted per minute (functions/privacy/rate-limits.ts): a read-only module they may
      // call still writes its counter items, and only those (leading key RATE#client#).
      if (module.access.table === 'RO' && module.routes.some((r) => machineCallable(r.id)))
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [table.table.tableArn],
            conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${RateCounterEntity.partitionPrefix('client')}*`] } },
          }),
        );
      fn.bindConsoleUrl(settings.consoleUrl);
      if (module.routes.some(isOpen311Route)) fn.bindOpen311BaseUrl(this.open311Url);
      functions.set(module.handler, fn);
      integrations.set(module.handler, new HttpLambdaIntegration(`${fnId}Integration`, fn));
    }
    this.functions = functions;

    const routes = new Map<string, HttpRoute>();
    for (const def of routeTable) {
      const [route] = (isOpen311Route(def) ? this.open311Api : this.api).addRoutes({
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

  /** The `$default` stage, auto-deployed, throttled, every request in its own access log group. */
  private loggedStage(id: string, logsId: string, httpApi: HttpApi, settings: StageSettings): HttpStage {
    const accessLogs = new LogGroup(this, logsId, { retention: settings.logRetention, removalPolicy: settings.removalPolicy });
    return new HttpStage(this, id, {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: settings.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
  }

  get url(): string {
    return this.stage.url;
  }

  /** `https://<open311 api>/open311/v2`: what discovery names and what clients are given. */
  get open311Url(): string {
    return `${this.open311Api.apiEndpoint}/open311/v2`;
  }
}
