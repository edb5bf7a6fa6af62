import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Not in `npm test` yet: its spread bound (no more than 25 % of reconnects in one second) failed
 * once under a concurrent 10,000-agent bench. Run it alone with `npm run test:fleet-restart`.
 */
export const FLEET_RESTART = 'agent/test/fleet-restart.test.ts';

export default defineConfig({
  test: {
    include: ['agent/**/*.test.ts', 'ui/**/*.test.ts', 'build/**/*.test.ts', 'module/**/*.test.ts'],
    exclude: [...configDefaults.exclude, FLEET_RESTART],
    // Integration and browser tests start real processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default', './build/summary-reporter.ts'],
  },
});
