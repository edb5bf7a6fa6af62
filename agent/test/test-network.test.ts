/**
 * The test network's teardown stops every process of its namespaces by PID, however it was
 * started: here a stand-in for an agent keeps starting detached daemons (as the real agent
 * restarts HAProxy or mariadbd when the hub asks), before and while the bed is torn down.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness.js';
import { TestNetwork } from './test-network.js';

const net = new TestNetwork();
afterAll(() => net.down().catch(() => {}));

/** Starts a detached `sleep` (its own session, not our child) every 50 ms and prints each PID. */
const RESPAWNER = `
const { spawn } = require('node:child_process');
const start = () => { const c = spawn('sleep', ['600'], { detached: true, stdio: 'ignore' }); c.unref(); console.log(c.pid); };
start();
setInterval(start, 50);
process.on('SIGTERM', () => {});
`;

const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

describe('test network teardown', () => {
  it('stops the detached daemons a process in a node started, even ones started during the teardown', async () => {
    net.up();
    net.add('n1', 11);
    const agent = net.spawn('n1', process.execPath, ['-e', RESPAWNER]);
    const pids = () => agent.output().split('\n').filter(Boolean).map(Number);
    await waitFor('a few detached daemons', () => pids().length >= 3, 20_000);
    expect(pids().some(alive)).toBe(true);
    await net.down();
    const started = pids();
    expect(started.filter(alive)).toEqual([]);
    expect(() => net.nsIp(net.node('n1').ns, 'link')).toThrow();
  });
});
