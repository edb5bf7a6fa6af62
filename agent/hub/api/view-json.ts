/**
 * The JSON of what the API shows of servers and connections, from each record's cached JSON
 * (record-json.ts) and its live status: listing 10,000 servers joins strings instead of copying
 * and serializing every record on every request (bench:api).
 */
import type { Connection, MetricsSample, Server } from '../../protocol/types.js';
import { recordJson } from '../record-json.js';
import type { Services } from './context.js';

/** A body already serialized as JSON (sendJson sends it as it is). */
export class RawJson {
  constructor(readonly text: string) {}
}

/** The record's JSON with more fields (already JSON) after its own, as `{...record, more}` would give. */
const withFields = (record: object, more: string) => `${recordJson(record).slice(0, -1)},${more}}`;

/** What serverView gives, as JSON. */
export function serverViewJson(svc: Pick<Services, 'live'>, server: Server): string {
  const sample: MetricsSample | undefined = svc.live.sample(server.id);
  return withFields(server, `"status":"${svc.live.status(server.id)}","metrics":${sample ? recordJson(sample) : 'null'}`);
}

/** What connectionView gives, as JSON. */
export function connectionViewJson(svc: Pick<Services, 'latency'>, connection: Connection, now: number): string {
  const { status, latencyMs } = svc.latency.view(connection.id, now);
  return withFields(connection, `"status":"${status}","latencyMs":${latencyMs ?? 'null'}`);
}

export const jsonArray = (items: readonly string[]) => new RawJson(`[${items.join(',')}]`);
