import { describe, expect, it } from 'vitest';
import { renderExposition } from './exposition.js';
import { hubFamilies } from './hub-families.js';
import { parseExposition, sampleOf } from './test-parse.js';

describe('the hub\'s own families', () => {
  const reading = {
    agentsConnected: 3, servers: 7, browserClients: 2, stateRevision: 41,
    process: { residentBytes: 50e6, cpuSeconds: 12.25, startTimeSeconds: 1_700_000_000.25, eventLoop: { meanSeconds: 0.011, maxSeconds: 0.2, p99Seconds: 0.05 } },
  };

  it('exposes each reading under its name and type', () => {
    const m = parseExposition(renderExposition(hubFamilies(reading)));
    expect(sampleOf(m, 'uc_hub_agents_connected')).toBe(3);
    expect(sampleOf(m, 'uc_hub_servers')).toBe(7);
    expect(sampleOf(m, 'uc_hub_browser_clients')).toBe(2);
    expect(sampleOf(m, 'uc_hub_state_revision')).toBe(41);
    expect(sampleOf(m, 'process_resident_memory_bytes')).toBe(50e6);
    expect(sampleOf(m, 'process_cpu_seconds_total')).toBe(12.25);
    expect(m.get('process_cpu_seconds_total')!.type).toBe('counter');
    expect(sampleOf(m, 'process_start_time_seconds')).toBe(1_700_000_000.25);
    expect(sampleOf(m, 'nodejs_eventloop_lag_mean_seconds')).toBe(0.011);
    expect(sampleOf(m, 'nodejs_eventloop_lag_max_seconds')).toBe(0.2);
    expect(sampleOf(m, 'nodejs_eventloop_lag_p99_seconds')).toBe(0.05);
  });

  it('writes an unmeasured event-loop delay as NaN', () => {
    const text = renderExposition(hubFamilies({ ...reading, process: { ...reading.process, eventLoop: { meanSeconds: NaN, maxSeconds: NaN, p99Seconds: NaN } } }));
    expect(text).toContain('\nnodejs_eventloop_lag_max_seconds NaN\n');
    expect(Number.isNaN(sampleOf(parseExposition(text), 'nodejs_eventloop_lag_mean_seconds'))).toBe(true);
  });
});
