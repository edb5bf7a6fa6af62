import { describe, expect, it } from 'vitest';
import type { DesiredBackend, HaproxyDesired } from '../../protocol/types.js';
import { describeOp, planHaproxy } from './plan.js';
import { renderHaproxy } from './render.js';

const paths = { statsSocket: '/run/test/admin.sock', hostMap: (f: string) => `/run/test/maps/${f}.map` };
const srv = (name: string, extra: Partial<HaproxyDesired['backends'][number]['servers'][number]> = {}) =>
  ({ name, address: `10.0.0.${name.slice(-1)}`, port: 80, weight: 10, state: 'ready' as const, ...extra });
const desired = (servers: ReturnType<typeof srv>[], frontends: HaproxyDesired['frontends'] = [{ name: 'www', port: 80 }]): HaproxyDesired =>
  ({ frontends, backends: [{ name: 'web', servers }] });
const render = (d: HaproxyDesired) => renderHaproxy('c1', d, paths);

describe('renderHaproxy', () => {
  it('renders frontends, the host-map lookup, health-checked servers, the disabled page and the zero-drop defaults', () => {
    const text = render({
      frontends: [{ name: 'www', address: '10.0.0.100', port: 80, hostRules: [{ host: 'api.example.com', backend: 'api' }] }, { name: 'db', port: 3306, mode: 'tcp', backend: 'sql' }],
      backends: [{ name: 'web', servers: [srv('w1'), srv('w2', { state: 'drain' }), srv('w3', { state: 'maint' })] }, { name: 'api', servers: [] }, { name: 'sql', servers: [srv('d1')] }],
    });
    expect(text).toContain('    stats socket /run/test/admin.sock mode 600 level admin expose-fd listeners');
    expect(text).toContain('    option idle-close-on-response');
    expect(text).toContain('    option redispatch');
    expect(text).toContain('    bind 10.0.0.100:80');
    // Host rules live in the frontend's map, so they change at runtime (host-maps.ts); tcp frontends have none.
    expect(text).toContain('    option forwardfor\n    use_backend %[req.hdr(host),field(1,:),lower,map(/run/test/maps/www.map)]\n    default_backend web');
    expect(text).not.toContain('api.example.com');
    expect(text).not.toContain('maps/db.map');
    expect(text).toMatch(/backend uc-disabled\n {4}mode http\n {4}http-request return status 200 content-type "text\/html; charset=utf-8" string "<!DOCTYPE html>[^"]*Website disabled[^"]*"\n$/);
    expect(text).toContain('    server w1 10.0.0.1:80 check inter 1s fall 2 rise 2 weight 10\n');
    expect(text).toContain('    server w2 10.0.0.2:80 check inter 1s fall 2 rise 2 weight 0\n');
    expect(text).toContain('weight 10 disabled\n');
    expect(text).toMatch(/backend sql\n {4}mode tcp\n {4}balance roundrobin\n {4}timeout server 1h\n {4}server d1/);
    expect(text).toMatch(/backend web\n {4}mode http\n {4}balance roundrobin\n {4}option httpchk GET \//);
  });
  it('is deterministic', () => {
    expect(render(desired([srv('w1')]))).toBe(render(desired([srv('w1')])));
  });
  it('has no disabled page when no frontend speaks http', () => {
    expect(render(desired([srv('w1')], [{ name: 'raw', port: 3306, mode: 'tcp' }]))).not.toContain('uc-disabled');
  });
});

describe('planHaproxy', () => {
  const base = render(desired([srv('w1'), srv('w2')]));
  it('is none for the same file', () => {
    expect(planHaproxy(base, base)).toEqual({ change: 'none' });
  });
  it('adds, reweights, drains, disables and removes servers at runtime', () => {
    const next = render(desired([srv('w1', { weight: 20 }), srv('w3', { state: 'drain' })]));
    const p = planHaproxy(base, next);
    expect(p).toEqual({
      change: 'runtime',
      ops: [
        { op: 'weight', backend: 'web', server: 'w1', weight: 20 },
        { op: 'add', backend: 'web', server: 'w3', args: '10.0.0.3:80 check inter 1s fall 2 rise 2 weight 0', weight: 0, disabled: false },
        { op: 'remove', backend: 'web', server: 'w2' },
      ],
    });
    expect(p.change === 'runtime' && p.ops.map(describeOp)).toEqual(['set weight of web/w1 to 20', 'add server web/w3 10.0.0.3:80 weight 0', 'drain web/w2, then remove it']);
    expect(planHaproxy(base, render(desired([srv('w1', { state: 'maint' }), srv('w2')])))).toEqual({
      change: 'runtime', ops: [{ op: 'state', backend: 'web', server: 'w1', state: 'maint' }],
    });
  });
  it('needs a reload for a new frontend or a server that moves', () => {
    expect(planHaproxy(base, render(desired([srv('w1'), srv('w2')], [{ name: 'www', port: 80 }, { name: 'alt', port: 8080 }])))).toEqual({ change: 'reload' });
    expect(planHaproxy(base, render(desired([srv('w1', { port: 8080 }), srv('w2')])))).toEqual({ change: 'reload' });
  });
  it('needs a reload to add a server with a sticky cookie (HAProxy 2.6 refuses one at runtime)', () => {
    const sticky = (servers: ReturnType<typeof srv>[]) => { const d = desired(servers); return { ...d, backends: d.backends.map((b) => ({ ...b, sticky: { mode: 'cookie' as const } })) }; };
    expect(planHaproxy(render(sticky([srv('w1')])), render(sticky([srv('w1'), srv('w2')])))).toEqual({ change: 'reload' });
    expect(planHaproxy(render(sticky([srv('w1'), srv('w2')])), render(sticky([srv('w1', { weight: 5 })])))).toMatchObject({ change: 'runtime' });
  });
});

describe('balance, stickiness and health checks', () => {
  it('renders the algorithm, cookie or source stickiness and the check settings per mode', () => {
    const o = { balance: 'source', sticky: { mode: 'cookie', cookie: 'SRV' }, healthCheck: { path: '/up?x=1', intervalMs: 2500, fall: 3, rise: 4 } } as const;
    const text = render({
      frontends: [{ name: 'www', port: 80 }, { name: 'db', port: 3306, mode: 'tcp', backend: 'sql' }],
      backends: [{ name: 'web', servers: [srv('w1')], ...o }, { name: 'sql', servers: [srv('d1')], ...o }, { name: 'plain', servers: [srv('p1')] }],
    });
    expect(text).toMatch(/backend web\n {4}mode http\n {4}balance source\n {4}hash-type consistent\n {4}cookie SRV insert indirect nocache\n {4}option httpchk GET \/up\?x=1\n/);
    expect(text).toContain('    server w1 10.0.0.1:80 cookie w1 check inter 2500ms fall 3 rise 4 weight 10\n');
    // A tcp backend cannot carry cookies: it sticks by client address instead.
    expect(text).toMatch(/backend sql\n {4}mode tcp\n {4}balance source\n {4}hash-type consistent\n {4}stick-table type ip size 200k expire 30m\n {4}stick on src\n {4}timeout server 1h\n {4}server d1 10.0.0.1:80 check inter 2500ms fall 3 rise 4 weight 10\n/);
    // A backend another role adds (a Galera cluster's) keeps the defaults.
    expect(text).toMatch(/backend plain\n {4}mode http\n {4}balance roundrobin\n {4}option httpchk GET \/\n/);
  });

  it('leaves out checks when they are disabled, and keeps the old defaults when nothing is set', () => {
    const withCheck = (healthCheck: DesiredBackend['healthCheck']) => { const d = desired([srv('w1')]); return { ...d, backends: d.backends.map((b) => ({ ...b, healthCheck })) }; };
    const off = render(withCheck({ disabled: true }));
    expect(off).not.toContain('httpchk');
    expect(off).toContain('    server w1 10.0.0.1:80 weight 10\n');
    expect(render(withCheck({ intervalMs: 1000 }))).toBe(render(desired([srv('w1')])));
  });
});

