import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests that load the whole machine (a hub restart under 5,000 simulated agents) and so run on
 * their own, after everything else: sharing 2 cores with browser tests would measure the
 * neighbours, not the code.
 */
export const ALONE = ['agent/test/fleet-restart.test.ts'];

/** Every deadline scales with UC_TEST_TIME_SCALE (agent/test/harness.ts `deadline`). */
const scale = Math.max(1, Number(process.env['UC_TEST_TIME_SCALE']) || 1);

const shared = {
  // Integration and browser tests start real processes; give them room on a busy 2-core machine.
  testTimeout: 180_000 * scale,
  hookTimeout: 180_000 * scale,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    reporters: ['default', './build/summary-reporter.ts'],
    projects: [
      {
        test: {
          ...shared, name: 'suite', maxWorkers: 2, sequence: { groupOrder: 0 },
          include: ['agent/**/*.test.ts', 'ui/**/*.test.ts', 'build/**/*.test.ts', 'module/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ALONE],
        },
      },
      { test: { ...shared, name: 'alone', maxWorkers: 1, sequence: { groupOrder: 1 }, include: ALONE } },
    ],
  },
});
