import { defineConfig } from 'vitest/config';
import { FLEET_RESTART } from './vitest.config.js';

/** `npm run test:fleet-restart`: the 5,000-agent hub restart test alone (see vitest.config.ts). */
export default defineConfig({ test: { include: [FLEET_RESTART], testTimeout: 200_000, hookTimeout: 120_000, pool: 'forks' } });
