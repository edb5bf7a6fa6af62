/**
 * MariaDB Galera in the browser: the REST calls, the `galera-status` frames the live socket
 * streams (once a second per cluster), and the settings form's options field.
 */
import type { GaleraClusterStatus, GaleraPlan, GaleraSettings, Operation } from '../../agent/protocol/types.js';
import { call } from './api.js';
import { topic } from './topic.js';

const at = (cluster: string, what = '') => `api/clusters/${encodeURIComponent(cluster)}/galera${what}`;
export const getGalera = (base: string, cluster: string) => call<GaleraClusterStatus>(base, 'GET', at(cluster));
export const planGalera = (base: string, cluster: string) => call<GaleraPlan>(base, 'POST', at(cluster, '/plan'));
export const applyGalera = (base: string, cluster: string, planId: string) => call<Operation>(base, 'POST', at(cluster, '/apply'), { planId });
export const addGaleraNode = (base: string, cluster: string, serverId: string) => call<Operation>(base, 'POST', at(cluster, '/nodes'), { serverId });
export const removeGaleraNode = (base: string, cluster: string, serverId: string) => call<Operation>(base, 'DELETE', at(cluster, `/nodes/${encodeURIComponent(serverId)}`));
export const rollingRestart = (base: string, cluster: string) => call<Operation>(base, 'POST', at(cluster, '/rolling-restart'));
export const recoverGalera = (base: string, cluster: string) => call<Operation>(base, 'POST', at(cluster, '/recover'));
export const saveGaleraSettings = (base: string, cluster: string, galera: GaleraSettings | null) =>
  call<unknown>(base, 'PATCH', `api/clusters/${encodeURIComponent(cluster)}`, { galera });

const statuses = topic<GaleraClusterStatus>((s) => s.cluster);
export const publishGaleraStatus = statuses.publish;
export const onGaleraStatus = statuses.on;

/** `key=value` lines for the options field, and back (blank lines and # comments are skipped). */
export const optionsText = (o: Record<string, string> | undefined) => Object.entries(o ?? {}).map(([k, v]) => `${k}=${v}`).join('\n');
export function parseOptions(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return `line ${i + 1}: write option=value`;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}
