import { describe, expect, it } from 'vitest';
import { REACH } from './geometry.js';
import { outsidePlates, resolveLinks } from './marks.js';
import { Scene } from './scene.js';

describe('marks over the diagram', () => {
  it('resolves link marks to scene indices and tells drawn lines (either way) from implicit ones', () => {
    const s = new Scene({
      servers: [{ id: 'lb', name: 'lb', type: 'loadbalancer' }, { id: 'w1', name: 'w1', type: 'web' }, { id: 'w2', name: 'w2', type: 'web' }],
      positions: new Map([['lb', { x: 0, y: 0 }], ['w1', { x: 5, y: 0 }], ['w2', { x: 0, y: 5 }]]),
      connections: [{ id: 'c1', from: 'w1', to: 'lb', type: 'http' }],
      clusters: [],
    });
    const r = resolveLinks(s, [
      { from: 'lb', to: 'w1', text: 'UP', tone: 'ok' }, { from: 'lb', to: 'w2', text: 'DOWN', tone: 'bad' },
      { from: 'lb', to: 'gone', text: 'UP', tone: 'ok' }, { from: 'lb', to: 'lb', text: 'UP', tone: 'ok' },
    ]);
    expect(r.map((x) => [s.ids[x.a], s.ids[x.b], x.drawn])).toEqual([['lb', 'w1', true], ['lb', 'w2', false]]);
  });

  it('keeps the part of a line outside both plates', () => {
    expect(outsidePlates(0, 0, 10, 0)).toEqual([REACH / 10, 1 - REACH / 10]);
    expect(outsidePlates(0, 0, -3, 4)).toEqual([REACH / 4, 1 - REACH / 4]);
    expect(outsidePlates(0, 0, 1, 1)).toBeUndefined();
  });
});
