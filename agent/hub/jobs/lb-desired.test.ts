import { describe, expect, it } from 'vitest';
import type { Cluster, Connection, Server } from '../../protocol/types.js';
import { desiredLoadBalancing } from './lb-desired.js';

const server = (id: string, type: Server['type'], n: number): Server => ({ id, name: id, type, address: `10.0.0.${n}`, region: '', labels: {}, ports: [] });
const servers = [server('lb1', 'loadbalancer', 1), server('lb2', 'loadbalancer', 2), server('w1', 'web', 11), server('w2', 'web', 12), server('w3', 'web', 13)];
const http = (from: string, to: string): Connection => ({ id: `${from}:${to}`, from, to, type: 'http' });
const cluster: Cluster = {
  name: 'shop', servers: ['lb1', 'lb2', 'w1', 'w2'],
  loadBalancer: { frontends: [{ name: 'www', port: 80 }], serverPort: 8080, servers: { w2: { weight: 3, state: 'drain' } }, vip: { address: '10.0.0.100', interface: 'eth0' } },
};

describe('desiredLoadBalancing', () => {
  it('gives each load balancer the cluster web servers plus its http connections, and VRRP peers', () => {
    const d = desiredLoadBalancing({ servers, connections: [http('lb1', 'w3'), { ...http('lb2', 'w3'), type: 'standard' }] }, cluster);
    expect([...d.keys()]).toEqual(['lb1', 'lb2']);
    expect(d.get('lb1')!.haproxy!.backends[0]!.servers.map((s) => s.name)).toEqual(['w1', 'w2', 'w3']);
    expect(d.get('lb2')!.haproxy!.backends[0]!.servers.map((s) => s.name)).toEqual(['w1', 'w2']);
    expect(d.get('lb1')!.haproxy!.backends[0]!.servers[1]).toEqual({ name: 'w2', address: '10.0.0.12', port: 8080, weight: 3, state: 'drain' });
    expect(d.get('lb1')!.keepalived).toMatchObject({ priority: 200, self: '10.0.0.1', peers: ['10.0.0.2'] });
    expect(d.get('lb2')!.keepalived).toMatchObject({ priority: 190, self: '10.0.0.2', peers: ['10.0.0.1'] });
  });
  it('passes balance, stickiness and health checks to every load balancer', () => {
    const options = { balance: 'leastconn', sticky: { mode: 'cookie' }, healthCheck: { path: '/health', fall: 3 } } as const;
    const d = desiredLoadBalancing({ servers, connections: [] }, { ...cluster, loadBalancer: { ...cluster.loadBalancer!, ...options } });
    for (const id of ['lb1', 'lb2']) expect(d.get(id)!.haproxy).toMatchObject(options);
    expect(desiredLoadBalancing({ servers, connections: [] }, cluster).get('lb1')!.haproxy).not.toHaveProperty('balance');
  });
  it('refuses a cluster without settings, without load balancers, or with an unknown backend', () => {
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { name: 'x', servers: ['lb1'] })).toThrow(/no load-balancer settings/);
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { ...cluster, servers: ['w1'] })).toThrow(/no server of type loadbalancer/);
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { ...cluster, loadBalancer: { frontends: [{ name: 'www', port: 80, backend: 'nope' }] } })).toThrow(/backend 'nope'/);
  });
});
