import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    setupFiles: ['test/setup.ts'],
    // Scans the whole run's captured output for personal data after the last test: no reporter name, phone or e-mail may reach a log.
    globalSetup: ['test/logs/global-scan.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here and in CI: forks keep dynalite and local-cloud tests isolated without oversubscribing.
    pool: 'forks',
  },
});
