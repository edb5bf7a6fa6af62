/**
 * The hub's own metric families: its view of the fleet (agents, servers, browser sockets, state
 * revision) and its process (memory, CPU, start time, event-loop delay). Pure: the caller reads
 * the numbers. The process_* and nodejs_* names are the ones Prometheus client libraries use, so
 * existing dashboards work.
 */
import { Family, NO_LABELS } from './exposition.js';
import type { ProcessReading } from './process-stats.js';

export interface HubReading {
  /** Agents connected for the servers the caller may see. */
  agentsConnected: number;
  /** Servers the caller may see. */
  servers: number;
  /** Open browser WebSocket connections, hub-wide. */
  browserClients: number;
  stateRevision: number;
  process: ProcessReading;
}

const single = (name: string, help: string, type: 'gauge' | 'counter', value: number): Family =>
  new Family(name, help, type).add(NO_LABELS, value);

export function hubFamilies(r: HubReading): Family[] {
  const p = r.process;
  return [
    single('uc_hub_agents_connected', 'Agents connected to the hub (servers visible to the caller).', 'gauge', r.agentsConnected),
    single('uc_hub_servers', 'Servers in the model (visible to the caller).', 'gauge', r.servers),
    single('uc_hub_browser_clients', 'Open browser WebSocket connections (all users, including ones still authenticating).', 'gauge', r.browserClients),
    single('uc_hub_state_revision', 'Revision of the hub\'s state document; it grows by one on every saved change.', 'gauge', r.stateRevision),
    single('process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', p.residentBytes),
    single('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', p.cpuSeconds),
    single('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', p.startTimeSeconds),
    single('nodejs_eventloop_lag_mean_seconds', 'Mean event loop delay since the previous scrape.', 'gauge', p.eventLoop.meanSeconds),
    single('nodejs_eventloop_lag_max_seconds', 'Maximum event loop delay since the previous scrape.', 'gauge', p.eventLoop.maxSeconds),
    single('nodejs_eventloop_lag_p99_seconds', '99th percentile of the event loop delay since the previous scrape.', 'gauge', p.eventLoop.p99Seconds),
  ];
}
