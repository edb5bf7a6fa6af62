import { describe, expect, it } from 'vitest';
import type { Connection, MetricsSample, Server } from '../../protocol/types.js';
import { ConnectionLatency } from '../latency/connection-latency.js';
import { Live } from '../live/live.js';
import { connectionView, serverView, type Services } from './context.js';
import { connectionViewJson, jsonArray, serverViewJson } from './view-json.js';

const sample = (cpu: number): MetricsSample => ({
  ts: 1, cpu, mem: { total: 100, used: 50, swapTotal: 0, swapUsed: 0 }, disks: [{ mount: '/', total: 10, used: 5 }],
  diskIO: { readBps: 0, writeBps: 0 }, net: { rxBps: 0, txBps: 0 }, load: [0, 0, 0], uptime: 5, tcp: 3,
});
const server = (id: string, agent = false): Server => ({
  id, name: `Name "${id}" ü`, type: 'web', address: '10.0.0.1', region: 'r', labels: { k: 'v' }, ports: [80],
  ...(agent ? { agent: { version: '1', inventory: { hostname: id, os: 'x', kernel: 'x', arch: 'x', cpuModel: 'x', cores: 1, memTotal: 1 } } } : {}),
});

describe('the JSON of API views', () => {
  it('is what JSON.stringify of serverView and connectionView gives, and follows every change', () => {
    const live = new Live();
    const latency = new ConnectionLatency();
    const svc = { live, latency } as unknown as Services;
    const servers = [server('a', true), server('b', true), server('c')];
    live.syncModel({ servers });
    live.connected('a');
    live.record('a', sample(12.5));
    live.connected('b');
    const same = () => {
      for (const s of servers) expect(JSON.parse(serverViewJson(svc, s))).toEqual(serverView(svc, s));
      expect(serverViewJson(svc, servers[0]!)).toBe(JSON.stringify(serverView(svc, servers[0]!)));
    };
    same();
    live.record('a', sample(99)); // a new sample, a new JSON
    expect(JSON.parse(serverViewJson(svc, servers[0]!)).metrics.cpu).toBe(99);
    same();
    live.disconnected('b');
    same();
    servers[2] = { ...servers[2]!, region: 'elsewhere' }; // a changed record is a new object
    expect(JSON.parse(serverViewJson(svc, servers[2])).region).toBe('elsewhere');

    const connection: Connection = { id: 'a:b', from: 'a', to: 'b', type: 'http' };
    latency.syncModel({ servers, connections: [connection] } as never);
    expect(JSON.parse(connectionViewJson(svc, connection, Date.now()))).toEqual(connectionView(svc, connection));
    latency.record('a', [{ connectionId: 'a:b', ms: 1.25 }]);
    const now = Date.now();
    expect(connectionView(svc, connection, now)).toMatchObject({ status: 'connected', latencyMs: 1.25 });
    expect(JSON.parse(connectionViewJson(svc, connection, now))).toEqual(connectionView(svc, connection, now));
    expect(JSON.parse(jsonArray(servers.map((s) => serverViewJson(svc, s))).text)).toEqual(servers.map((s) => serverView(svc, s)));
  });
});
