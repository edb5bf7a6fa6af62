import { describe, expect, it } from 'vitest';
import type { MetricsSample } from '../protocol/types.js';
import { clustersTable, formatCounts, formatPercent, memPercent, serversTable, type ListedServer } from './format.js';

function sample(cpu: number, used: number, total: number): MetricsSample {
  return {
    ts: 1, cpu, mem: { total, used, swapTotal: 0, swapUsed: 0 }, disks: [], diskIO: { readBps: 0, writeBps: 0 },
    net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 1, tcp: 0,
  };
}

function server(id: string, extra: Partial<ListedServer> = {}): ListedServer {
  return { id, name: id.toUpperCase(), type: 'web', address: '10.0.0.1', region: '', labels: {}, ports: [], ...extra };
}

describe('format', () => {
  it('formats percentages with one decimal and - for nothing', () => {
    expect(formatPercent(12.46)).toBe('12.5');
    expect(formatPercent(0)).toBe('0.0');
    expect(formatPercent(undefined)).toBe('-');
    expect(formatPercent(null)).toBe('-');
    expect(formatPercent(Number.NaN)).toBe('-');
  });

  it('computes memory use from a sample, and nothing without a total', () => {
    expect(memPercent(sample(0, 1, 4))).toBe(25);
    expect(memPercent(sample(0, 1, 0))).toBeUndefined();
    expect(memPercent(null)).toBeUndefined();
  });

  it('lists servers sorted by id with status and live numbers', () => {
    const text = serversTable([
      server('web2', { status: 'active', region: 'eu-west-1', metrics: sample(12.34, 512, 1024) }),
      server('db1', { type: 'database', status: 'unknown', metrics: null }),
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TYPE\s+ADDRESS\s+REGION\s+STATUS\s+CPU%\s+MEM%$/);
    expect(lines[1]).toMatch(/^db1\s+DB1\s+database\s+10\.0\.0\.1\s+-\s+unknown\s+-\s+-$/);
    expect(lines[2]).toMatch(/^web2\s+WEB2\s+web\s+10\.0\.0\.1\s+eu-west-1\s+active\s+12\.3\s+50\.0$/);
  });

  it('says so when there is nothing to list', () => {
    expect(serversTable([])).toBe('no servers\n');
    expect(clustersTable([])).toBe('no clusters\n');
  });

  it('lists clusters with member counts', () => {
    expect(clustersTable([{ name: 'prod', servers: ['web1', 'db1'] }])).toMatch(/^prod\s+2\s+web1,db1$/m);
  });

  it('writes counts biggest first, without zeros', () => {
    expect(formatCounts({ web: 2, dns: 0, database: 5, cache: 2 })).toBe('database 5, cache 2, web 2');
    expect(formatCounts({ web: 0 })).toBe('none');
  });
});
