import { describe, expect, it } from 'vitest';
import type { HaproxyDesired } from '../../protocol/types.js';
import { describeOp, planHaproxy } from './plan.js';
import { renderHaproxy } from './render.js';

const paths = { statsSocket: '/run/test/admin.sock' };
const srv = (name: string, extra: Partial<HaproxyDesired['backends'][number]['servers'][number]> = {}) =>
  ({ name, address: `10.0.0.${name.slice(-1)}`, port: 80, weight: 10, state: 'ready' as const, ...extra });
const desired = (servers: ReturnType<typeof srv>[], frontends: HaproxyDesired['frontends'] = [{ name: 'www', port: 80 }]): HaproxyDesired =>
  ({ frontends, backends: [{ name: 'web', servers }] });
const render = (d: HaproxyDesired) => renderHaproxy('c1', d, paths);

describe('renderHaproxy', () => {
  it('renders frontends, host rules, health-checked servers and the zero-drop defaults', () => {
    const text = render({
      frontends: [{ name: 'www', address: '10.0.0.100', port: 80, hostRules: [{ host: 'api.example.com', backend: 'api' }] }, { name: 'db', port: 3306, mode: 'tcp', backend: 'sql' }],
      backends: [{ name: 'web', servers: [srv('w1'), srv('w2', { state: 'drain' }), srv('w3', { state: 'maint' })] }, { name: 'api', servers: [] }, { name: 'sql', servers: [srv('d1')] }],
    });
    expect(text).toContain('    stats socket /run/test/admin.sock mode 600 level admin expose-fd listeners');
    expect(text).toContain('    option idle-close-on-response');
    expect(text).toContain('    option redispatch');
    expect(text).toContain('    bind 10.0.0.100:80');
    expect(text).toContain('    acl host_0 hdr(host),field(1,:) -i api.example.com\n    use_backend api if host_0\n    default_backend web');
    expect(text).toContain('    server w1 10.0.0.1:80 check inter 1s fall 2 rise 2 weight 10\n');
    expect(text).toContain('    server w2 10.0.0.2:80 check inter 1s fall 2 rise 2 weight 0\n');
    expect(text).toContain('weight 10 disabled\n');
    expect(text).toMatch(/backend sql\n {4}mode tcp\n {4}balance roundrobin\n {4}server d1/);
    expect(text).toMatch(/backend web\n {4}mode http\n {4}balance roundrobin\n {4}option httpchk GET \//);
  });
  it('is deterministic', () => {
    expect(render(desired([srv('w1')]))).toBe(render(desired([srv('w1')])));
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
    const sticky = (servers: ReturnType<typeof srv>[]) => ({ ...desired(servers), sticky: { mode: 'cookie' as const } });
    expect(planHaproxy(render(sticky([srv('w1')])), render(sticky([srv('w1'), srv('w2')])))).toEqual({ change: 'reload' });
    expect(planHaproxy(render(sticky([srv('w1'), srv('w2')])), render(sticky([srv('w1', { weight: 5 })])))).toMatchObject({ change: 'runtime' });
  });
});

describe('balance, stickiness and health checks', () => {
  it('renders the algorithm, cookie or source stickiness and the check settings per mode', () => {
    const text = render({
      frontends: [{ name: 'www', port: 80 }, { name: 'db', port: 3306, mode: 'tcp', backend: 'sql' }],
      balance: 'source', sticky: { mode: 'cookie', cookie: 'SRV' }, healthCheck: { path: '/up?x=1', intervalMs: 2500, fall: 3, rise: 4 },
      backends: [{ name: 'web', servers: [srv('w1')] }, { name: 'sql', servers: [srv('d1')] }],
    });
    expect(text).toMatch(/backend web\n {4}mode http\n {4}balance source\n {4}hash-type consistent\n {4}cookie SRV insert indirect nocache\n {4}option httpchk GET \/up\?x=1\n/);
    expect(text).toContain('    server w1 10.0.0.1:80 cookie w1 check inter 2500ms fall 3 rise 4 weight 10\n');
    // A tcp backend cannot carry cookies: it sticks by client address instead.
    expect(text).toMatch(/backend sql\n {4}mode tcp\n {4}balance source\n {4}hash-type consistent\n {4}stick-table type ip size 200k expire 30m\n {4}stick on src\n {4}server d1 10.0.0.1:80 check inter 2500ms fall 3 rise 4 weight 10\n/);
  });

  it('leaves out checks when they are disabled, and keeps the old defaults when nothing is set', () => {
    const off = render({ ...desired([srv('w1')]), healthCheck: { disabled: true } });
    expect(off).not.toContain('httpchk');
    expect(off).toContain('    server w1 10.0.0.1:80 weight 10\n');
    expect(render({ ...desired([srv('w1')]), healthCheck: { intervalMs: 1000 } })).toBe(render(desired([srv('w1')])));
  });
});

