import { describe, expect, it } from 'vitest';
import type { HaproxyDesired } from '../../protocol/types.js';
import { describeMapOp, hostMapDiff, hostMapFiles, mapCommand, parseHostMap, parseShowMap, planHostMaps } from './host-maps.js';

const at = (f: string) => `/m/${f}.map`;
const desired = (rules: { host: string; backend: string }[]): HaproxyDesired => ({
  frontends: [{ name: 'www', port: 80, hostRules: rules }, { name: 'raw', port: 3306, mode: 'tcp', backend: 'web', hostRules: rules }],
  backends: [{ name: 'web', servers: [] }, { name: 'api', servers: [] }],
});
const file = (rules: { host: string; backend: string }[]) => hostMapFiles('c1', desired(rules), at);

describe('host maps', () => {
  it('renders one sorted, lower-cased map per http frontend; the first rule for a host wins', () => {
    const maps = file([{ host: 'Shop.Example.com', backend: 'web' }, { host: 'api.example.com', backend: 'api' }, { host: 'shop.example.com', backend: 'api' }]);
    expect(maps).toHaveLength(1);
    expect(maps[0]).toMatchObject({ frontend: 'www', path: '/m/www.map' });
    expect(maps[0]!.text).toBe('# Managed by Unlimited Cluster (cluster c1, frontend www): host backend\napi.example.com api\nshop.example.com web\n');
    expect(parseHostMap(maps[0]!.text)).toEqual(new Map([['api.example.com', 'api'], ['shop.example.com', 'web']]));
  });
  it('may route to the disabled page, never to a backend that does not exist', () => {
    expect(file([{ host: 'a.example.com', backend: 'uc-disabled' }])[0]!.text).toContain('a.example.com uc-disabled\n');
    expect(() => file([{ host: 'a.example.com', backend: 'nope' }])).toThrow(/a\.example\.com routes to backend nope, which is not defined/);
  });
  it('plans routes, reroutes and removals as runtime steps', () => {
    const before = new Map([['/m/www.map', file([{ host: 'a.example.com', backend: 'web' }, { host: 'b.example.com', backend: 'web' }])[0]!.text]]);
    const ops = planHostMaps(before, file([{ host: 'a.example.com', backend: 'uc-disabled' }, { host: 'c.example.com', backend: 'web' }]));
    expect(ops.map(describeMapOp)).toEqual([
      'route a.example.com to backend uc-disabled instead of web (frontend www)',
      'route c.example.com to backend web (frontend www)',
      'stop routing b.example.com (frontend www)',
    ]);
    expect(ops.map(mapCommand)).toEqual(['set map /m/www.map a.example.com uc-disabled', 'add map /m/www.map c.example.com web', 'del map /m/www.map b.example.com']);
    expect(planHostMaps(before, file([{ host: 'b.example.com', backend: 'web' }, { host: 'a.example.com', backend: 'web' }]))).toEqual([]);
  });
  it('diffs entry by entry, and keeps a huge first diff short', () => {
    const a = file([{ host: 'a.example.com', backend: 'web' }])[0]!.text;
    const b = file([{ host: 'a.example.com', backend: 'uc-disabled' }])[0]!.text;
    expect(hostMapDiff(a, b, '/m/www.map')).toBe('--- /m/www.map\n+++ /m/www.map\n@@ host map @@\n-a.example.com web\n+a.example.com uc-disabled\n');
    expect(hostMapDiff(a, a, '/m/www.map')).toBe('');
    const many = file(Array.from({ length: 5000 }, (_, i) => ({ host: `d${i}.example.com`, backend: 'web' })))[0]!.text;
    const diff = hostMapDiff('', many, '/m/www.map').split('\n');
    expect(diff.length).toBeLessThan(210);
    expect(diff.at(-2)).toBe('# … and 4800 more changed entries');
  });
  it('reads `show map` answers', () => {
    expect(parseShowMap('0x55d1 a.example.com web\n0x55d2 b.example.com uc-disabled\n\n')).toEqual(new Map([['a.example.com', 'web'], ['b.example.com', 'uc-disabled']]));
  });
});
