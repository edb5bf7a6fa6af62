import { describe, expect, it } from 'vitest';
import { renderKeepalived } from './render.js';

describe('renderKeepalived', () => {
  it('renders one unicast VRRP instance without preemption', () => {
    const text = renderKeepalived('c1', { vip: { address: '10.0.0.50', interface: 'eth0', routerId: 7, advertInt: 0.1 }, priority: 190, self: '10.0.0.2', peers: ['10.0.0.3', '10.0.0.4'] });
    expect(text).toContain('vrrp_instance uc_7 {\n    version 3\n    state BACKUP\n    nopreempt\n    interface eth0\n    virtual_router_id 7\n    priority 190\n    advert_int 0.1\n');
    expect(text).toContain('    unicast_src_ip 10.0.0.2\n    unicast_peer {\n        10.0.0.3\n        10.0.0.4\n    }\n');
    expect(text).toContain('        10.0.0.50/32 dev eth0\n');
  });
});
