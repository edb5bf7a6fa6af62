import { describe, expect, it } from 'vitest';
import type { Cluster } from '../../agent/protocol/types.js';
import { backendsOf, formFrom, settingsFrom } from './lb-form.js';

describe('the load-balancer form', () => {
  it('round-trips settings, keeping what the form does not show', () => {
    const lb = {
      frontends: [{ name: 'www', port: 80, hostRules: [{ host: 'api.example.com', backend: 'api' }] }, { name: 'db', port: 3306, mode: 'tcp' as const, backend: 'api' }],
      backends: [{ name: 'api', servers: ['w2'] }], serverPort: 8080, balance: 'leastconn' as const, sticky: { mode: 'cookie' as const, cookie: 'SRV' },
      healthCheck: { path: '/health', intervalMs: 2500, fall: 3, rise: 2 }, vip: { address: '10.0.0.100', interface: 'eth0', routerId: 7 },
      servers: { w1: { weight: 5, state: 'drain' as const } },
    };
    const r = settingsFrom(formFrom(lb), lb);
    expect(r).toEqual({ ok: true, settings: lb });
  });

  it('writes only what differs from the defaults, and turns checks off', () => {
    const f = formFrom(undefined);
    expect(settingsFrom(f, undefined)).toEqual({ ok: true, settings: { frontends: [{ name: 'www', port: 80 }] } });
    expect(settingsFrom({ ...f, checks: false, sticky: 'source', balance: 'source' }, undefined)).toEqual({
      ok: true, settings: { frontends: [{ name: 'www', port: 80 }], balance: 'source', sticky: { mode: 'source' }, healthCheck: { disabled: true } },
    });
  });

  it('names each mistake and saves nothing', () => {
    const f = formFrom(undefined);
    const r = settingsFrom({
      ...f, frontends: [{ ...f.frontends[0]!, port: '99999' }, { ...f.frontends[0]!, name: '1bad' }], checkPath: 'no-slash', vipAddress: '10.0.0.1',
      servers: { w1: { weight: '500', state: 'ready' } },
    }, undefined);
    expect(r.ok).toBe(false);
    expect(Object.keys(!r.ok ? r.errors : {}).sort()).toEqual(['checkPath', 'frontends.0.port', 'frontends.1.name', 'servers.w1', 'vipInterface']);
  });

  it("lists each load balancer's backend servers as the hub will: web members plus its http connections", () => {
    const servers = new Map([['lb1', { type: 'loadbalancer' }], ['lb2', { type: 'loadbalancer' }], ['w1', { type: 'web' }], ['api', { type: 'web' }], ['db', { type: 'database' }]]);
    const cluster: Cluster = { name: 'c', servers: ['lb1', 'lb2', 'w1', 'db'] };
    const conns = [{ from: 'lb1', to: 'api', type: 'http' }, { from: 'lb2', to: 'db', type: 'database' }];
    expect([...backendsOf(cluster, servers, conns)]).toEqual([['lb1', ['api', 'w1']], ['lb2', ['w1']]]);
  });
});
