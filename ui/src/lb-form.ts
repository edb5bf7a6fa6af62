/**
 * The load-balancer form and the cluster's `loadBalancer` settings, both ways, pure: the form
 * holds text as typed; `settingsFrom` checks it and names the first mistake per field. Settings the
 * form does not show (extra backends, host rules) are kept as they were.
 */
import type { BalanceAlgorithm, Cluster, LoadBalancerSettings } from '../../agent/protocol/types.js';
export type StickyChoice = 'none' | 'cookie' | 'source';
export type ServerState = 'ready' | 'drain' | 'maint';

export interface FrontendRow { name: string; address: string; port: string; mode: 'http' | 'tcp'; backend: string }
export interface LbForm {
  frontends: FrontendRow[];
  serverPort: string;
  balance: BalanceAlgorithm;
  sticky: StickyChoice;
  cookie: string;
  checks: boolean;
  checkPath: string;
  checkInterval: string;
  checkFall: string;
  checkRise: string;
  vipAddress: string;
  vipInterface: string;
  vipPrefix: string;
  /** Per backend server: weight and admin state. */
  servers: Record<string, { weight: string; state: ServerState }>;
}

export function formFrom(lb: LoadBalancerSettings | undefined): LbForm {
  const h = lb?.healthCheck;
  return {
    frontends: (lb?.frontends ?? [{ name: 'www', port: 80 }]).map((f) => ({ name: f.name, address: f.address ?? '', port: String(f.port), mode: f.mode ?? 'http', backend: f.backend ?? 'web' })),
    serverPort: String(lb?.serverPort ?? 80),
    balance: lb?.balance ?? 'roundrobin',
    sticky: lb?.sticky?.mode ?? 'none',
    cookie: lb?.sticky?.cookie ?? '',
    checks: !h?.disabled,
    checkPath: h?.path ?? '/',
    checkInterval: String((h?.intervalMs ?? 1000) / 1000),
    checkFall: String(h?.fall ?? 2),
    checkRise: String(h?.rise ?? 2),
    vipAddress: lb?.vip?.address ?? '',
    vipInterface: lb?.vip?.interface ?? '',
    vipPrefix: lb?.vip?.prefix === undefined ? '' : String(lb.vip.prefix),
    servers: Object.fromEntries(Object.entries(lb?.servers ?? {}).map(([id, o]) => [id, { weight: String(o.weight ?? 10), state: o.state ?? 'ready' }])),
  };
}

const NAME = /^[A-Za-z][A-Za-z0-9._-]*$/;
const intIn = (s: string, lo: number, hi: number) => /^\d+$/.test(s.trim()) && Number(s) >= lo && Number(s) <= hi;

export type LbErrors = Partial<Record<string, string>>;

/** The settings a form stands for, or its mistakes (keyed `frontends.0.port`, `vipAddress`, …). */
export function settingsFrom(f: LbForm, before: LoadBalancerSettings | undefined): { ok: true; settings: LoadBalancerSettings } | { ok: false; errors: LbErrors } {
  const e: LbErrors = {};
  if (!f.frontends.length) e['frontends'] = 'Add at least one frontend.';
  const names = new Set<string>();
  f.frontends.forEach((r, i) => {
    if (!NAME.test(r.name)) e[`frontends.${i}.name`] = 'A name starts with a letter: letters, digits, ".", "_", "-".';
    else if (names.has(r.name)) e[`frontends.${i}.name`] = `"${r.name}" is used twice.`;
    names.add(r.name);
    if (!intIn(r.port, 1, 65535)) e[`frontends.${i}.port`] = 'A port from 1 to 65535.';
    if (r.address && /\s/.test(r.address)) e[`frontends.${i}.address`] = 'An address has no spaces.';
  });
  if (!intIn(f.serverPort, 1, 65535)) e['serverPort'] = 'A port from 1 to 65535.';
  if (f.sticky === 'cookie' && f.cookie && !/^[A-Za-z0-9_-]{1,32}$/.test(f.cookie)) e['cookie'] = 'Letters, digits, "_" or "-", at most 32.';
  const interval = Number(f.checkInterval);
  if (f.checks) {
    if (!/^\/[A-Za-z0-9._~!$&()*+,;=:@%/?-]*$/.test(f.checkPath)) e['checkPath'] = 'A path starting with "/", without spaces, quotes or "#".';
    if (!(interval >= 0.1 && interval <= 3600)) e['checkInterval'] = 'Seconds, from 0.1 to 3600.';
    if (!intIn(f.checkFall, 1, 100)) e['checkFall'] = 'From 1 to 100.';
    if (!intIn(f.checkRise, 1, 100)) e['checkRise'] = 'From 1 to 100.';
  }
  const vip = f.vipAddress.trim();
  if (vip || f.vipInterface.trim()) {
    if (!vip || /\s/.test(vip)) e['vipAddress'] = 'The floating address, e.g. 192.0.2.100.';
    if (!/^[A-Za-z0-9._-]{1,15}$/.test(f.vipInterface.trim())) e['vipInterface'] = 'The interface it goes on, e.g. eth0.';
    if (f.vipPrefix && !intIn(f.vipPrefix, 1, 32)) e['vipPrefix'] = 'From 1 to 32.';
  }
  for (const [id, o] of Object.entries(f.servers)) if (!intIn(o.weight, 0, 256)) e[`servers.${id}`] = 'A weight from 0 to 256.';
  if (Object.keys(e).length) return { ok: false, errors: e };

  const { frontends: _f, serverPort: _p, balance: _b, sticky: _s, healthCheck: _h, vip: _v, servers: _o, ...kept } = before ?? { frontends: [] };
  const defaultsOnly = f.checks && f.checkPath === '/' && interval === 1 && f.checkFall === '2' && f.checkRise === '2';
  const overrides = Object.entries(f.servers).filter(([, o]) => o.weight !== '10' || o.state !== 'ready');
  const settings: LoadBalancerSettings = {
    ...kept,
    frontends: f.frontends.map((r) => ({
      name: r.name, port: Number(r.port), ...(r.address.trim() ? { address: r.address.trim() } : {}),
      ...(r.mode === 'http' ? {} : { mode: r.mode }), ...(r.backend && r.backend !== 'web' ? { backend: r.backend } : {}),
      ...(before?.frontends.find((x) => x.name === r.name)?.hostRules ? { hostRules: before.frontends.find((x) => x.name === r.name)!.hostRules } : {}),
    })),
    ...(f.serverPort === '80' ? {} : { serverPort: Number(f.serverPort) }),
    ...(f.balance === 'roundrobin' ? {} : { balance: f.balance }),
    ...(f.sticky === 'none' ? {} : { sticky: { mode: f.sticky, ...(f.sticky === 'cookie' && f.cookie ? { cookie: f.cookie } : {}) } }),
    ...(defaultsOnly ? {} : {
      healthCheck: f.checks
        ? { path: f.checkPath, intervalMs: Math.round(interval * 1000), fall: Number(f.checkFall), rise: Number(f.checkRise) }
        : { disabled: true },
    }),
    ...(vip ? { vip: { ...before?.vip, address: vip, interface: f.vipInterface.trim(), ...(f.vipPrefix ? { prefix: Number(f.vipPrefix) } : {}) } } : {}),
    ...(overrides.length ? { servers: Object.fromEntries(overrides.map(([id, o]) => [id, { weight: Number(o.weight), state: o.state }])) } : {}),
  };
  return { ok: true, settings };
}

/**
 * Each load balancer's `web` backend as the hub will build it (agent/hub/jobs/lb-desired.ts):
 * the cluster's web servers plus the servers the load balancer has an http connection to.
 */
export function backendsOf(cluster: Cluster, servers: ReadonlyMap<string, { type: string }>, connections: Iterable<{ from: string; to: string; type: string }>): Map<string, string[]> {
  const webs = cluster.servers.filter((id) => servers.get(id)?.type === 'web');
  const lbs = cluster.servers.filter((id) => servers.get(id)?.type === 'loadbalancer');
  const conns = [...connections];
  return new Map(lbs.map((lb) => [lb, [...new Set([...webs, ...conns.filter((c) => c.from === lb && c.type === 'http').map((c) => c.to)])].sort()]));
}
