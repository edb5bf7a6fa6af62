import { describe, expect, it } from 'vitest';
import { statusReport } from './status-format.js';

describe('statusReport', () => {
  it('shows health, counts, agents and averages', () => {
    const text = statusReport('http://h:8080', { ok: true, version: '1.0.0' }, {
      servers: { total: 3, byType: { web: 2, database: 1 }, byStatus: { active: 2, inactive: 1, warning: 0 } },
      connections: { total: 1, byType: { http: 1 } },
      clusters: { total: 1 },
      agents: { connected: 2 },
      averages: { cpuPct: 12.34, memPct: 50 },
    }, '1.0.0');
    expect(text).toBe(
      'hub          http://h:8080  ok, version 1.0.0\n'
      + 'servers      3 (active 2, inactive 1; web 2, database 1)\n'
      + 'connections  1 (http 1)\n'
      + 'clusters     1\n'
      + 'agents       2 connected\n'
      + 'averages     cpu 12.3%, memory 50.0% (servers with a connected agent)\n',
    );
  });

  it('points out a version mismatch and missing numbers', () => {
    const text = statusReport('http://h', { ok: true, version: '2.0.0' }, { averages: { cpuPct: null, memPct: null } }, '1.0.0');
    expect(text).toContain('version 2.0.0 (clusterctl is 1.0.0)');
    expect(text).toMatch(/^servers +-$/m);
    expect(text).toContain('no connected agent has reported yet');
  });
});
