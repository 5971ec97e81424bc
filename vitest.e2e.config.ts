import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests (`npm run test:e2e`): Debian's Chromium through playwright-core against the local
 * cloud started in process on random ports. The console is built first when missing or stale.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    setupFiles: ['test/setup.ts', 'test/e2e/support/env.ts'],
    globalSetup: ['test/e2e/support/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // One browser and one local cloud at a time: the machine has two cores and the cloud is one per process.
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
