import { describe, expect, it } from 'vitest';
import type { VirtualServer } from '../../agent/protocol/types.js';
import { byCluster, clustersOf, floorMarks, partsOn, searchVirtualServers } from './virtual-servers.js';

const vs = (id: string, domain: string, extra: Partial<VirtualServer> = {}): VirtualServer =>
  ({ id, domain, aliases: [`www.${domain}`], state: 'active', createdBy: 'root', createdAt: '', web: { cluster: 'web-eu', status: 'ready' }, ...extra });
const shop = vs('1', 'shop.example.com', { database: { cluster: 'db-eu', name: 'shop', user: 'shop', status: 'ready' } });
const blog = vs('2', 'blog.example.org', { web: { cluster: 'web-eu', status: 'failed', error: 'lb1: down' } });
const news = vs('3', 'news.example.com', { web: { cluster: 'web-us', status: 'pending' }, aliases: ['shop-news.example.net'] });

describe('virtual servers in the UI', () => {
  it('groups them by every cluster they use, sorted by domain', () => {
    expect(clustersOf(shop)).toEqual(['web-eu', 'db-eu']);
    const g = byCluster([shop, news, blog]);
    expect([...g.keys()].sort()).toEqual(['db-eu', 'web-eu', 'web-us']);
    expect(g.get('web-eu')!.map((v) => v.domain)).toEqual(['blog.example.org', 'shop.example.com']);
    expect(partsOn(shop, 'db-eu')).toEqual([{ part: 'database', status: 'ready', label: 'database shop · user shop' }]);
    expect(partsOn(blog)).toEqual([{ part: 'web', status: 'failed', label: 'web', error: 'lb1: down' }]);
    // Files: on their Gluster cluster, and mounted on the web cluster's servers.
    const files = vs('4', 'files.example.com', { files: { cluster: 'fs-eu', volume: 'www', mountPath: '/srv/www', directory: 'files.example.com', webCluster: 'web-eu', status: 'pending' } });
    expect(clustersOf(files)).toEqual(['web-eu', 'fs-eu']);
    expect(partsOn(files, 'fs-eu')).toEqual([{ part: 'files', status: 'pending', label: 'files www/files.example.com' }]);
    expect(partsOn(files, 'web-eu').map((p) => p.label)).toEqual(['web', 'files mounted at /srv/www']);
    expect(partsOn(files).map((p) => p.label)).toEqual(['web', 'files www/files.example.com']);
  });
  it('puts a count on each cluster floor, coloured by the worst part, blue for the searched one', () => {
    const g = byCluster([shop, news, blog]);
    expect(floorMarks(g).floors).toEqual([
      { cluster: 'db-eu', kind: 'virtual-servers', text: '1 virtual server', tone: 'idle' },
      { cluster: 'web-eu', kind: 'virtual-servers', text: '2 virtual servers', tone: 'bad' },
      { cluster: 'web-us', kind: 'virtual-servers', text: '1 virtual server', tone: 'warn' },
    ]);
    expect(floorMarks(g, shop).floors!.filter((f) => f.tone === 'busy').map((f) => f.cluster)).toEqual(['db-eu', 'web-eu']);
  });
  it('searches domains and aliases, closest first', () => {
    expect(searchVirtualServers([blog, news, shop], 'SHOP').map((v) => v.id)).toEqual(['1', '3']);
    expect(searchVirtualServers([blog, news, shop], 'www.shop.example.com').map((v) => v.id)).toEqual(['1']);
    expect(searchVirtualServers([blog, news, shop], 'example').map((v) => v.domain)).toEqual(['blog.example.org', 'news.example.com', 'shop.example.com']);
    expect(searchVirtualServers([blog, news, shop], '  ')).toEqual([]);
  });
});
