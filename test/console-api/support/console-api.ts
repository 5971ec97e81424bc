/**
 * The console API handlers against dynalite: the production handler modules with the production clients, pointed
 * at an in-memory table through AWS_ENDPOINT_URL_DYNAMODB (as the local cloud does), cases seeded straight
 * through the repository.
 */
import type { Case } from '../../../functions/domain/case';
import { DynamoCaseRepository } from '../../../functions/adapters/case-repository';
import type { ApiHandler } from '../../../functions/api/http';
import { guardAgainstScan, startDynalite, type LocalTable } from '../../support/dynalite';
import { aCase } from '../../adapters/case-fixtures';

/** Imported only once the environment points at dynalite (the modules build their adapters at import). */
const HANDLERS = {
  duplicates: () => import('../../../functions/api/handlers/duplicates'),
  'case-reports': () => import('../../../functions/api/handlers/case-reports'),
  queues: () => import('../../../functions/api/handlers/queues'),
  dashboard: () => import('../../../functions/api/handlers/dashboard'),
  'sop-admin': () => import('../../../functions/api/handlers/sop-admin'),
  'get-timeline': () => import('../../../functions/api/handlers/get-timeline'),
  reference: () => import('../../../functions/api/handlers/reference'),
  users: () => import('../../../functions/api/handlers/users'),
  warnings: () => import('../../../functions/api/handlers/warnings'),
  suggestions: () => import('../../../functions/api/handlers/suggestions'),
} satisfies Record<string, () => Promise<{ handler: ApiHandler }>>;

export interface ConsoleApi {
  local: LocalTable;
  repo: DynamoCaseRepository;
  /** Imports a handler module under functions/api/handlers after the environment points at dynalite. */
  handler(module: keyof typeof HANDLERS): Promise<ApiHandler>;
  /** Puts a case in the table as the workflow would have left it. */
  seed(overrides: Partial<Case> & Pick<Case, 'caseNo'>): Promise<Case>;
  close(): Promise<void>;
}

export async function startConsoleApi(tableName: string): Promise<ConsoleApi> {
  const local = await startDynalite({ tableName });
  process.env.AWS_ENDPOINT_URL_DYNAMODB = local.endpoint;
  process.env.TABLE_NAME = local.tableName;
  guardAgainstScan((await import('../../../functions/adapters/clients')).ddb());
  const repo = new DynamoCaseRepository(local.ddb, local.tableName);
  return {
    local,
    repo,
    async handler(module) {
      return (await HANDLERS[module]()).handler;
    },
    async seed(overrides) {
      return repo.create(aCase(overrides), { type: 'created', by: overrides.createdBy ?? 'agent-1', text: '受理' });
    },
    close: () => local.close(),
  };
}

/** Every string in a JSON body, keys and values: what a response would leak. */
export function allStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) v.forEach((x) => allStrings(x, out));
  else if (v && typeof v === 'object') 
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      allStrings(x, out);
    }
  return out;
}

/** The reporter fixture of test/adapters/case-fixtures.ts, and the key that would carry it. */
export const REPORTER_DATA = ['王小明', '王○明', '0912345678', '0912-***-678', 'reporter'];

export function expectNoReporterData(body: unknown): void {
  const leaked = allStrings(body).filter((s) => REPORTER_DATA.some((r) => s.includes(r)));
  if (leaked.length) throw new Error(`Reporter data in the response: ${leaked.join(', ')}`);
}
