/**
 * The authorization matrix, generated from THE route table: every route against every caller profile, through
 * the real handler modules (DynamoDB = dynalite, Step Functions and SNS mocked).
 * - every route has a policy (functions/auth/policy.ts) and the route table's `roles` say the same;
 * - a caller the policy refuses gets 403, any other caller does not (it may still get 400 for its empty request);
 * - a department-bound caller gets 404 for another department's case on every route that names a case, and not
 *   for its own; lists answer only its own department's cases.
 * - knowledge-base articles: a department editor reaches only its own department's articles (another's is a 404),
 *   and writes only for its own department (403).
 * A route added without a policy fails here; a case or list route without an example request below fails here too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { isPublic, ROUTES, type RouteDef } from '../../functions/api/routes';
import { departmentScopeName, POLICY, refusal, SCOPES, type RoutePolicy } from '../../functions/auth/policy';
import { actorFromClaims, type JwtClaims } from '../../functions/api/actor-from-claims';
import { CaseEntity } from '../../functions/adapters/table';
import type { ApiHandler } from '../../functions/api/http';
import { apiEvent, call } from '../api/support/events';
import { aCase } from '../usecases/support/fakes';
import { startDynalite, type LocalTable } from '../support/dynalite';
import { startS3Service, type S3Service } from '../../local/s3';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { attachmentKey } from '../../functions/domain/attachment';

const STATE_MACHINE = 'arn:aws:states:ap-northeast-1:123456789012:stateMachine:case-lifecycle';
const OWN = '20261127-00001';
const OTHER = '20261127-00002';
/** Untouched by the case routes (they may acknowledge or return OWN), so it stays in the ASSIGNED lists. */
const LISTED = '20261127-00003';
const REQUEST_ID = '6f1c2a8e-3b4d-4c5e-8f90-1a2b3c4d5e6f';
const UPLOADED = '0b6d3c1e-2f4a-4b5c-9d8e-7f6a5b4c3d2e';

/** Every kind of caller: each role, and machine clients with and without scopes, bound and not bound. */
const PROFILES: Record<string, JwtClaims> = {
  agent: { sub: 'agent-1', 'cognito:groups': '[agent]' },
  'staff (PWD)': { sub: 'staff-pwd', 'cognito:groups': '[staff]', 'custom:department': 'PWD' },
  'staff lead (PWD)': { sub: 'lead-pwd', 'cognito:groups': '[staff lead]', 'custom:department': 'PWD' },
  supervisor: { sub: 'sup-1', 'cognito:groups': '[supervisor]' },
  admin: { sub: 'admin-1', 'cognito:groups': '[admin]' },
  'client (read+write)': { sub: 'app-1', client_id: 'app-1', scope: `${SCOPES.casesRead} ${SCOPES.casesWrite}` },
  'client (no scope)': { sub: 'app-2', client_id: 'app-2', scope: 'openid' },
  'client of PWD (read)': { sub: 'app-pwd', client_id: 'app-pwd', scope: SCOPES.casesRead, 'custom:department': 'PWD' },
  // As Cognito issues it: client credentials carry no custom attributes, the department comes as a scope.
  'client of PWD by scope': { sub: 'app-pwd-2', client_id: 'app-pwd-2', scope: `${SCOPES.casesRead} ${departmentScopeName('PWD')}` },
};
const DEPARTMENT_BOUND = ['staff (PWD)', 'staff lead (PWD)', 'client of PWD (read)', 'client of PWD by scope'];

/** A valid request per route that names a case or lists cases, so the ownership answer is not hidden by a 400. */
const EXAMPLES: Record<string, { body?: unknown; query?: Record<string, string>; path?: Record<string, string> }> = {
  getCase: {},
  getCaseTimeline: {},
  addCaseNote: { body: { text: '已聯絡現場' } },
  acknowledgeCase: { body: { note: '收到' } },
  reportProgress: { body: { note: '已派員' } },
  resolveCase: { body: { resolution: '已修復' } },
  returnCase: { body: { reason: '非本局業務' } },
  requestPiiAccess: { body: { reason: '需聯絡民眾確認地點' } },
  listCases: { query: { status: 'ASSIGNED' } },
  departmentQueue: { query: { status: 'ASSIGNED' } },
  acknowledgeCases: { body: { caseNos: [] } },
  assignCase: { body: { assignee: 'staff-pwd' } },
  assignCases: { body: { caseNos: [], assignee: 'staff-pwd' } },
  reassignCases: { body: { caseNos: [], department: 'EPD', reason: '非本局業務' } },
  requestAttachmentUpload: { body: { contentType: 'image/jpeg', size: 1000, kind: 'progress' } },
  // The file is in the bucket under OWN's key (beforeAll), as a completed browser upload leaves it.
  addAttachment: { body: { attachmentId: UPLOADED, kind: 'progress' } },
  listAttachments: {},
};

const sfnMock = mockClient(SFNClient);
const snsMock = mockClient(SNSClient);
let local: LocalTable;
let s3: S3Service;
const handlers = new Map<string, ApiHandler>();

beforeAll(async () => {
  local = await startDynalite({ tableName: 'citydesk-policy-test', seedKnowledgeBase: true });
  s3 = await startS3Service({
    region: process.env.AWS_REGION ?? 'ap-northeast-1',
    credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'test', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'test' },
    buckets: [{ name: 'citydesk-policy-attachments', corsOrigins: [] }],
  });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    ATTACHMENT_BUCKET_NAME: 'citydesk-policy-attachments',
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    TABLE_NAME: local.tableName,
    CASE_WORKFLOW_ARN: STATE_MACHINE,
    ESCALATION_TOPIC_ARN: 'arn:aws:sns:ap-northeast-1:123456789012:escalation',
    DEPARTMENT_TOPIC_ARN_PREFIX: 'arn:aws:sns:ap-northeast-1:123456789012:citydesk-test-',
  });
  sfnMock.on(StartExecutionCommand).resolves({ executionArn: `${STATE_MACHINE}:x`, startDate: new Date(0) });
  for (const [caseNo, department] of [
    [OWN, 'PWD'],
    [OTHER, 'EPD'],
    [LISTED, 'PWD'],
  ] as const) {
    await local.ddb.send(new PutCommand({ TableName: local.tableName, Item: CaseEntity.toItem(aCase({ caseNo, department, version: 1 })) }));
  }
  const s3Client = new S3Client({ endpoint: s3.endpoint });
  await s3Client.send(new PutObjectCommand({ Bucket: 'citydesk-policy-attachments', Key: attachmentKey(OWN, UPLOADED), ContentType: 'image/jpeg', Body: Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1, 0, 1]) }));
  s3Client.destroy();
  for (const r of ROUTES) if (!isPublic(r) && !handlers.has(r.handler)) handlers.set(r.handler, ((await import(`../../functions/${r.handler}`)) as { handler: ApiHandler }).handler);
});
afterAll(async () => {
  sfnMock.restore();
  snsMock.restore();
  await local.close();
  await s3?.close();
});

const signedIn = ROUTES.filter((r) => !isPublic(r));

function request(route: RouteDef, profile: string, caseNo: string, example = EXAMPLES[route.id] ?? {}) {
  return call(
    handlers.get(route.handler)!,
    apiEvent(route.id, {
      pathParameters: { caseNo, category: 'pothole', requestId: REQUEST_ID, ...example.path },
      ...(example.query ? { query: example.query } : {}),
      ...(example.body !== undefined ? { body: example.body } : {}),
      claims: PROFILES[profile],
    }),
  );
}

describe('every route has one policy', () => {
  it('route ids are unique, so each id names one row and its policy', () => {
    const ids = ROUTES.map((r) => r.id);

    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('a route machine clients may call names the scope they need', () => {
    const withoutScope = Object.entries(POLICY).filter(([, p]) => p !== 'public' && p.allow.includes('integration') && !p.scope);

    expect(withoutScope.map(([id]) => id)).toEqual([]);
  });
});

describe('roles: 403 exactly where the policy refuses', () => {
  const cells = signedIn.flatMap((route) => Object.keys(PROFILES).map((profile) => [route.id, profile, route] as const));

  it.each(cells)('%s as %s', async (_id, profile, route) => {
    const refused = refusal(route.id, actorFromClaims(PROFILES[profile]));

    const res = await request(route, profile, OWN, {});

    if (refused) expect(res.statusCode, JSON.stringify(res.body)).toBe(403);
    else expect([401, 403], JSON.stringify(res.body)).not.toContain(res.statusCode);
  });
});

describe('ownership: another department’s case is a 404, lists hold only their own department', () => {
  const reaching = (reach: RoutePolicy['reach']) =>
    signedIn.flatMap((route) => {
      const policy = POLICY[route.id] as RoutePolicy;
      if (policy.reach !== reach) return [];
      return DEPARTMENT_BOUND.filter((profile) => !refusal(route.id, actorFromClaims(PROFILES[profile]))).map((profile) => [route.id, profile, route] as const);
    });

  it.each(reaching('case'))('%s as %s', async (id, profile, route) => {
    expect(EXAMPLES[id], `add a valid example request for ${id} to this test`).toBeDefined();

    const other = await request(route, profile, OTHER);
    const own = await request(route, profile, OWN);

    expect(other.statusCode, JSON.stringify(other.body)).toBe(404);
    expect(own.statusCode, JSON.stringify(own.body)).not.toBe(404);
    expect([400, 401, 403]).not.toContain(own.statusCode);
  });

  it.each(reaching('each-case'))("%s as %s: another department's case is not-found, its own is not", async (id, profile, route) => {
    expect(EXAMPLES[id], `add a valid example request for ${id} to this test`).toBeDefined();

    const res = await request(route, profile, OWN, { body: { ...(EXAMPLES[id].body as object), caseNos: [OTHER, OWN] } });
    const outcomes = (res.body as { results: Array<{ caseNo: string; outcome: string }> }).results.map((r) => r.outcome);

    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(outcomes[0]).toBe('not-found');
    expect(outcomes[1]).not.toBe('not-found');
  });

  it.each(reaching('cases'))('%s as %s lists only PWD cases', async (id, profile, route) => {
    expect(EXAMPLES[id], `add a valid example request for ${id} to this test`).toBeDefined();

    const res = await request(route, profile, OWN);
    const items = (res.body as { items: Array<{ caseNo: string; department?: string }> }).items;

    expect(res.statusCode, JSON.stringify(res.body)).toBe(200);
    expect(items.map((c) => c.caseNo)).toContain(LISTED);
    expect(items.every((c) => c.department === 'PWD')).toBe(true);
  });
});

describe("articles: a department editor reaches its own department's articles, not another's", () => {
  /** Seeded from config/kb-articles.json: a PWD article and an EPD one, both at version 1. */
  const OWN_ARTICLE = 'pothole-report';
  const OTHER_ARTICLE = 'waste-collection-times';
  const articleBody = {
    title: { zh: '路面坑洞怎麼報修' },
    questions: ['馬路有洞要找誰'],
    answer: { zh: '請撥1999或上網通報，工務局會派員填補。' },
    department: 'PWD',
    categories: ['pothole'],
    reviewBy: '2099-12-31',
    reason: '權限測試',
  };
  const articleRoutes = signedIn.filter((r) => r.path.includes('{articleId}') && !refusal(r.id, actorFromClaims(PROFILES['staff (PWD)'])));

  it('the routes naming an article that staff may call', () => {
    expect(articleRoutes.map((r) => r.id).sort()).toEqual(['editArticle', 'getArticleForEditing', 'listArticleVersions']);
  });

  it.each(articleRoutes.map((r) => [r.id, r] as const))('%s: another department\'s article is a 404, its own is not', async (_id, route) => {
    const send = (articleId: string) =>
      call(
        handlers.get(route.handler)!,
        apiEvent(route.id, {
          pathParameters: { articleId },
          headers: { 'if-match': '"1"' },
          ...(route.method === 'PUT' ? { body: articleBody } : {}),
          claims: PROFILES['staff (PWD)'],
        }),
      );

    const other = await send(OTHER_ARTICLE);
    const own = await send(OWN_ARTICLE);

    expect(other.statusCode, JSON.stringify(other.body)).toBe(404);
    expect(own.statusCode, JSON.stringify(own.body)).toBe(200);
  });

  it("a draft for another department is a 403 for department staff, not for an admin", async () => {
    const create = (claims: JwtClaims, id: string) =>
      call(handlers.get('api/handlers/kb-editor')!, apiEvent('createArticleDraft', { body: { ...articleBody, id, department: 'EPD', categories: [] }, claims }));

    expect((await create(PROFILES['staff (PWD)'], 'matrix-staff-draft')).statusCode).toBe(403);
    expect((await create(PROFILES.admin, 'matrix-admin-draft')).statusCode).toBe(201);
  });
});
