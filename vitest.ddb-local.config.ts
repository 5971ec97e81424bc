import { defineConfig } from 'vitest/config';

/**
 * `npm run test:ddb-local`: the adapter, repository, lifecycle and figures suites (the size rule among them) against AWS's
 * DynamoDB Local instead of dynalite. test/support/dynamodb-local-setup.ts starts and stops it; every
 * `startDynalite()` then makes its table there. Whatever dynalite accepts and DynamoDB rejects fails here.
 */
export default defineConfig({
  test: {
    include: [
      'test/adapters/**/*.test.ts',
      'test/lifecycle/**/*.test.ts',
      'test/ops/migrate-timeline.test.ts',
      // The figures: counters, tallies and the dashboard's and meeting pack's reads.
      'test/insight/daily-tallies.test.ts',
      'test/insight/meeting-pack.test.ts',
      'test/insight/insight-counters.test.ts',
      'test/console-api/dashboard.test.ts',
    ],
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/logs/global-scan.ts', 'test/support/dynamodb-local-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
