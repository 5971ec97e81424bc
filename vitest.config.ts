import { defineConfig } from 'vitest/config';

/**
 * Test files that share one worker's module graph (project "shared": worker threads, isolate off). Module loading
 * was a third of the suite's time when every file loaded the SDK, zod and aws-cdk-lib afresh. A file belongs here
 * only when nothing it reaches keeps per-file module state: no vi.mock, no process.env changes, no handler module
 * or composition root (its `once` memos keep the first file's environment), no local cloud (one per process), no
 * SDK client class mocked for good (aws-sdk-client-mock's `mockClient(DynamoDBClient)` without `restore()`).
 * The clock, privacy settings and reference data are installed again for every file by test/setup.ts, and the
 * files here restore what they install. Every other file, new ones included, runs in a fork of its own.
 */
const SHARED = [
  'test/architecture/**/*.test.ts',
  'test/config/**/*.test.ts',
  'test/console/**/*.test.ts',
  'test/domain/**/*.test.ts',
  'test/infra/**/*.test.ts',
  'test/kb/**/*.test.ts',
  'test/logs/**/*.test.ts',
  'test/usecases/**/*.test.ts',
  ...['article-store', 'attachment-store', 'case-list', 'case-repository', 'idempotency-store', 'location-geocoder', 'open-figures', 'reference-data', 'sop-catalog'].map((f) => `test/adapters/${f}.test.ts`),
  ...['case-workflow-adapter', 'reference-data'].map((f) => `test/api/${f}.test.ts`),
  ...['local-oidc', 'policy', 'security-doc'].map((f) => `test/auth/${f}.test.ts`),
  'test/console-api/open-cases-index.test.ts',
  ...['category-classifier', 'classifier-evaluation', 'early-warning-settings', 'early-warning', 'insight-counters', 'recurring-places', 'spike-detection'].map((f) => `test/insight/${f}.test.ts`),
  ...['actions', 'case-size', 'citizen-channel', 'terminal-cleanup'].map((f) => `test/lifecycle/${f}.test.ts`),
  'test/open311/store.test.ts',
  // Template assertions only; it sits beside the local SES tests.
  'test/local/ses-infra.test.ts',
  ...['business-metrics', 'migrate-timeline'].map((f) => `test/ops/${f}.test.ts`),
  ...['contact-details', 'masking', 'retention', 'visibility'].map((f) => `test/privacy/${f}.test.ts`),
  ...['asl', 'escalation', 'lifecycle.workflow', 'messages', 'receipt-sms', 'recovery.workflow', 'restart-stalled-workflows', 'round-trips', 'sop-versions', 'steps'].map((f) => `test/workflow/${f}.test.ts`),
];
const EXCLUDE = ['test/e2e/**', 'node_modules/**'];

/** What both projects share (not `extends: true`: that would run the root's globalSetup once per project). */
const common = {
  setupFiles: ['test/setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    // Scans the whole run's captured output for personal data after the last test: no reporter name, phone or e-mail
    // may reach a log. Root only, so it runs once for the run, before either project's first worker starts.
    globalSetup: ['test/logs/global-scan.ts'],
    // Two cores here and in CI. Vitest's default on two cores is one worker; many files spend their time waiting on
    // a local cloud's timers and sockets, so two workers keep both cores busy.
    maxWorkers: 2,
    projects: [
      // The template tests synthesize whole apps, CPU-bound work: a worker's first synth starts CDK's validation
      // engine (5 to 20 s on a loaded 2-core machine, with the type-check and lint beside the tests), and a few tests
      // synthesize two.
      { test: { ...common, testTimeout: 120_000, name: 'shared', include: SHARED, exclude: EXCLUDE, pool: 'threads', isolate: false } },
      // Forks keep dynalite, local-cloud and handler tests isolated, each file in a process of its own.
      { test: { ...common, name: 'isolated', include: ['test/**/*.test.ts'], exclude: [...EXCLUDE, ...SHARED], pool: 'forks' } },
    ],
  },
});
