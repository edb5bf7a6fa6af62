import { describe, expect, it } from 'vitest';
import type { Acl, AuditEntry } from '../../protocol/types.js';
import { FULL_ACL } from '../auth/acl.js';
import { auditEntry, Refusals, REFUSALS_KEEP } from './entries.js';
import { readAudit } from './read.js';

const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, s));
const stored: AuditEntry[] = [
  auditEntry('admin', 'server.create', 'web1', at(1), { servers: ['web1'] }),
  auditEntry('ops', 'cluster.update', 'prod', at(3), { clusters: ['prod'], servers: ['web1'] }),
  auditEntry('admin', 'lb.apply-failed', 'prod plan x', at(5), { clusters: ['prod'], result: 'failed', detail: 'diff' }),
  auditEntry('admin', 'user.create', 'ops', at(6)),
];
const refused: AuditEntry[] = [auditEntry('ops', 'DELETE /api/clusters', '/api/clusters/edge', at(4), { clusters: ['edge'], result: 'denied' })];
const scoped = (scope: string[]): Acl => ({ ...FULL_ACL, scope });

describe('readAudit', () => {
  it('merges stored entries and refusals, newest first', () => {
    expect(readAudit(stored, refused, FULL_ACL, {}).map((e) => e.ts.slice(17, 19))).toEqual(['06', '05', '04', '03', '01']);
  });

  it('filters by user, cluster, server and result (absent result means ok), with a limit', () => {
    const targets = (q: Parameters<typeof readAudit>[3]) => readAudit(stored, refused, FULL_ACL, q).map((e) => e.target);
    expect(targets({ user: 'ops' })).toEqual(['/api/clusters/edge', 'prod']);
    expect(targets({ cluster: 'prod' })).toEqual(['prod plan x', 'prod']);
    expect(targets({ server: 'web1' })).toEqual(['prod', 'web1']);
    expect(targets({ result: 'ok' })).toEqual(['ops', 'prod', 'web1']);
    expect(targets({ result: 'denied' })).toEqual(['/api/clusters/edge']);
    expect(targets({ limit: '2' })).toEqual(['ops', 'prod plan x']);
  });

  it('shows a scoped reader only entries that name one of its clusters', () => {
    expect(readAudit(stored, refused, scoped(['prod']), {}).map((e) => e.target)).toEqual(['prod plan x', 'prod']);
    expect(readAudit(stored, refused, scoped(['edge']), {}).map((e) => e.target)).toEqual(['/api/clusters/edge']);
  });
});

describe('auditEntry and Refusals', () => {
  it('leaves out an ok result and empty lists, names each server once, and bounds the refusals', () => {
    expect(auditEntry('a', 'x', 't', at(0), { result: 'ok', servers: ['s', 's'], clusters: [] })).toEqual({ ts: at(0).toISOString(), user: 'a', action: 'x', target: 't', servers: ['s'] });
    const r = new Refusals();
    for (let i = 0; i < REFUSALS_KEEP + 10; i++) r.record(auditEntry('a', 'x', String(i), at(0)));
    expect(r.all()).toHaveLength(REFUSALS_KEEP);
    expect(r.all()[0]!.target).toBe('10');
  });
});
