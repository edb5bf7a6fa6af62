import { describe, expect, it } from 'vitest';
import {
  joinedBy, markSafeToBootstrap, parseGrastate, parseRecoveredPosition, parseStatusRows, statusFromFile, statusFromRows, transferOf, whyItFailed,
} from './state-files.js';

const GRASTATE = '# GALERA saved state\nversion: 2.1\nuuid:    48f94a0c-f1be-11f1-bc3e-6300bc7c59f0\nseqno:   -1\nsafe_to_bootstrap: 0\n';

describe('Galera state files', () => {
  it('reads grastate.dat and marks it safe to bootstrap', () => {
    expect(parseGrastate(GRASTATE)).toEqual({ uuid: '48f94a0c-f1be-11f1-bc3e-6300bc7c59f0', seqno: -1, safeToBootstrap: false });
    expect(parseGrastate(markSafeToBootstrap(GRASTATE))).toMatchObject({ seqno: -1, safeToBootstrap: true });
    expect(parseGrastate('')).toEqual({});
  });

  it('reads the last recovered position of --wsrep-recover', () => {
    const log = '2026-12-06 21:45:53 0 [Note] Server socket created\n2026-12-06 21:45:53 0 [Note] WSREP: Recovered position: 48f94a0c-f1be-11f1-bc3e-6300bc7c59f0:58\n';
    expect(parseRecoveredPosition(log)).toBe('48f94a0c-f1be-11f1-bc3e-6300bc7c59f0:58');
    expect(parseRecoveredPosition('nothing')).toBeNull();
  });

  it('turns SHOW STATUS rows into a node status, flow control from the paused-ns counter', () => {
    const rows = parseStatusRows('wsrep_local_state_comment\tSynced\nwsrep_cluster_status\tPrimary\nwsrep_cluster_size\t3\nwsrep_last_committed\t110\nwsrep_flow_control_paused_ns\t1500000000\nwsrep_local_recv_queue\t4\n');
    const { status, pausedNs } = statusFromRows(rows, { pausedNs: 1_000_000_000, at: 1000 }, 2000);
    expect(status).toEqual({ running: true, state: 'Synced', primary: true, clusterSize: 3, lastCommitted: 110, recvQueue: 4, flowControlPaused: 0.5 });
    expect(pausedNs).toBe(1_500_000_000);
    const partitioned = parseStatusRows('wsrep_local_state_comment\tInitialized\nwsrep_cluster_status\tnon-Primary\nwsrep_cluster_size\t1\n');
    expect(statusFromRows(partitioned, undefined, 0).status).toMatchObject({ state: 'non-Primary', primary: false, clusterSize: 1 });
  });

  it('reads Galera\'s status file while SQL is not available', () => {
    const file = '{"status": {"state": "JOINING", "comment": "x", "progress": { "from": 1, "to": 2, "total": 200, "done": 50, "indefinite": -1 }}}';
    expect(statusFromFile(file)).toEqual({ running: true, state: 'Joining', progressPct: 25 });
    expect(statusFromFile('{"status": {"state": "SYNCED", "progress": { "total": -1, "done": -1 }}}')).toEqual({ running: true, state: 'Synced' });
    expect(statusFromFile('not json')).toBeNull();
  });

  it('tells an SST from an IST (the SST script runs for both)', () => {
    const sst = "WSREP: Running: 'wsrep_sst_rsync --role 'joiner'\nWSREP_SST: [INFO] rsync SST started on joiner (x)\nWSREP: Prepared IST receiver for 0-7\nWSREP_SST: [INFO] rsync SST completed on joiner (x)\nWSREP: SST received\nWSREP: IST received: u:9\n";
    const ist = "WSREP_SST: [INFO] mariabackup SST started on joiner (x)\nWSREP: Prepared IST receiver for 131-132\nWSREP_SST: [INFO] 'xtrabackup_ist' received from donor: Running IST (x)\nWSREP_SST: [INFO] mariabackup IST completed on joiner (x)\nWSREP: SST received\nWSREP: Receiving IST... 50.0% (1/2 events) complete.\nWSREP: IST received: u:132\n";
    expect(joinedBy(sst)).toBe('SST');
    expect(joinedBy(ist)).toBe('IST');
    expect(joinedBy('WSREP: Synchronized with group')).toBe('none');
    expect(transferOf("WSREP_SST: [INFO] mariabackup SST started on joiner (x)\nWSREP: Prepared IST receiver for 0-7\n")).toBe('SST (mariabackup)');
    expect(transferOf("WSREP_SST: [INFO] mariabackup SST started on joiner (x)\nWSREP: Prepared IST receiver for 131-132\n")).toBe('IST');
    expect(transferOf(ist.split('IST received')[0]!)).toBe('IST 50.0 %');
  });

  it('says why a start failed from the ERROR lines', () => {
    expect(whyItFailed('2026-12-06 21:44:18 0 [Note] ok\n2026-12-06 21:44:18 0 [ERROR] mariadbd: unknown variable \'x=1\'\n')).toBe("[ERROR] mariadbd: unknown variable 'x=1'");
  });
});
