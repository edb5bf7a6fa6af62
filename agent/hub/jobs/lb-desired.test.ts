import { describe, expect, it } from 'vitest';
import type { Cluster, Connection, Server, VirtualServer } from '../../protocol/types.js';
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
  it('passes balance, stickiness and health checks to the cluster\'s own backends on every load balancer, not to those other roles add', () => {
    const options = { balance: 'leastconn', sticky: { mode: 'cookie' }, healthCheck: { path: '/health', fall: 3 } } as const;
    const extra = () => ({ frontends: [{ name: 'galera-db', port: 3306, mode: 'tcp' as const, backend: 'galera-db' }], backends: [{ name: 'galera-db', servers: [] }] });
    const d = desiredLoadBalancing({ servers, connections: [] }, { ...cluster, loadBalancer: { ...cluster.loadBalancer!, ...options } }, extra);
    for (const id of ['lb1', 'lb2']) {
      expect(d.get(id)!.haproxy!.backends.find((b) => b.name === 'web')).toMatchObject(options);
      expect(d.get(id)!.haproxy!.backends.find((b) => b.name === 'galera-db')).toEqual({ name: 'galera-db', servers: [] });
    }
    expect(desiredLoadBalancing({ servers, connections: [] }, cluster).get('lb1')!.haproxy!.backends[0]).not.toHaveProperty('balance');
  });
  it('refuses a cluster without settings, without load balancers, or with an unknown backend', () => {
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { name: 'x', servers: ['lb1'] })).toThrow(/no load-balancer settings/);
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { ...cluster, servers: ['w1'] })).toThrow(/no server of type loadbalancer/);
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { ...cluster, loadBalancer: { frontends: [{ name: 'www', port: 80, backend: 'nope' }] } })).toThrow(/backend 'nope'/);
  });
  it('routes the names of the virtual servers on the cluster from every http frontend, after the user\'s rules', () => {
    const vs = (id: string, domain: string, web: string, state: VirtualServer['state'] = 'active'): VirtualServer =>
      ({ id, domain, aliases: [`www.${domain}`], state, web: { cluster: web, status: 'ready' }, createdBy: 'root', createdAt: '' });
    const withRule: Cluster = { ...cluster, loadBalancer: { ...cluster.loadBalancer!, frontends: [
      { name: 'www', port: 80, hostRules: [{ host: 'api.example.com', backend: 'web' }] }, { name: 'raw', port: 3306, mode: 'tcp' },
    ] } };
    const virtualServers = [vs('1', 'b.example.com', 'shop', 'disabled'), vs('2', 'a.example.com', 'shop'), vs('3', 'c.example.com', 'other')];
    const d = desiredLoadBalancing({ servers, connections: [], virtualServers }, withRule).get('lb1')!.haproxy!;
    expect(d.frontends[0]!.hostRules).toEqual([
      { host: 'api.example.com', backend: 'web' },
      { host: 'a.example.com', backend: 'web' }, { host: 'b.example.com', backend: 'uc-disabled' },
      { host: 'www.a.example.com', backend: 'web' }, { host: 'www.b.example.com', backend: 'uc-disabled' },
    ]);
    expect(d.frontends[1]!.hostRules).toBeUndefined();
    // Without virtual servers the frontends are the user's own objects.
    expect(desiredLoadBalancing({ servers, connections: [] }, withRule).get('lb1')!.haproxy!.frontends).toBe(withRule.loadBalancer!.frontends);
  });
  it('keeps the name of the "website disabled" backend for itself', () => {
    const lb = { ...cluster.loadBalancer!, backends: [{ name: 'uc-disabled', servers: [] }] };
    expect(() => desiredLoadBalancing({ servers, connections: [] }, { ...cluster, loadBalancer: lb })).toThrow(/reserved/);
  });
});
