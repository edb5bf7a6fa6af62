/**
 * keepalived.conf for one load balancer: one VRRP instance over unicast (no multicast needed
 * between clouds or namespaces). Every node starts as BACKUP with its own priority and
 * preemption off, so the address stays where it is until its holder fails.
 */
import type { KeepalivedDesired } from '../../protocol/types.js';

export function renderKeepalived(cluster: string, d: KeepalivedDesired): string {
  const v = d.vip;
  return [
    `# Managed by Unlimited Cluster (cluster ${cluster}): edits here are replaced by the next apply.`,
    'global_defs {',
    `    router_id uc_${cluster.replace(/[^A-Za-z0-9_]/g, '_')}`,
    '    enable_script_security',
    '}',
    '',
    `vrrp_instance uc_${v.routerId ?? 51} {`,
    // VRRPv3: sub-second adverts (fast failover) are allowed.
    '    version 3',
    '    state BACKUP',
    '    nopreempt',
    `    interface ${v.interface}`,
    `    virtual_router_id ${v.routerId ?? 51}`,
    `    priority ${d.priority}`,
    `    advert_int ${v.advertInt ?? 1}`,
    `    unicast_src_ip ${d.self}`,
    '    unicast_peer {',
    ...d.peers.map((p) => `        ${p}`),
    '    }',
    '    virtual_ipaddress {',
    `        ${v.address}/${v.prefix ?? 32} dev ${v.interface}`,
    '    }',
    '}',
  ].join('\n') + '\n';
}
