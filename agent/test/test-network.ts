/**
 * A private L2 test network: a bridge in its own namespace, one namespace per node (its end of
 * a veth is `eth0` there), and a veth from the host into the bridge so the hub on the host can
 * be reached by agents. Every name carries a random tag (other runs may share the machine);
 * `ip route get` must name our devices before anything is sent. Every process in a node (those
 * started here, and any daemon they started) is stopped by PID before the namespaces go.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const IP = '/usr/sbin/ip';

import type { Hub } from './harness.js';

export interface NetNode { name: string; ns: string; address: string }

/**
 * A running network and hub that test beds share (one hub with Galera, Gluster and load
 * balancers): a bed given one adds its nodes there and leaves the network and the hub to their
 * owner, who stops them after every bed's `down()` (a bed's files go at the network's end).
 */
export interface SharedBed { net: TestNetwork; hub: Hub }

export class TestNetwork {
  readonly tag = randomBytes(3).toString('hex');
  /** 10.X.Y.0/24 with X, Y from the tag. */
  readonly prefix: string;
  readonly hostAddress: string;
  readonly nodes = new Map<string, NetNode>();
  private readonly bridgeNs: string;
  private readonly hostIf: string;
  private children = new Set<ChildProcess>();
  /** PIDs of daemons that detached (read from their pid files), stopped first. */
  private pids = new Set<number>();
  private made = false;
  /** Host numbers in use (1 is the host's leg). */
  private taken = new Set<number>([1]);
  /** Run once everything is stopped (test beds that share the network remove their files there). */
  private cleanups: (() => void)[] = [];

  constructor() {
    const t = parseInt(this.tag, 16);
    this.prefix = `10.${100 + (t % 100)}.${(t >> 8) % 250}`;
    this.hostAddress = `${this.prefix}.1`;
    this.bridgeNs = `uc-br-${this.tag}`;
    this.hostIf = `uch${this.tag}`;
  }

  static requireRoot(): void {
    if (!existsSync(IP)) throw new Error(`${IP} is missing: install iproute2 (bash build/test-deps.sh does)`);
    if (process.getuid?.() !== 0) throw new Error('this test makes network namespaces and needs root');
  }

  private ip(...args: string[]): string {
    return execFileSync(IP, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** In namespace `ns`: ip ARGS. */
  nsIp(ns: string, ...args: string[]): string {
    return this.ip('netns', 'exec', ns, IP, ...args);
  }

  /** The bridge and the host's leg into it. */
  up(): void {
    TestNetwork.requireRoot();
    this.made = true;
    this.ip('netns', 'add', this.bridgeNs);
    this.nsIp(this.bridgeNs, 'link', 'add', 'br0', 'type', 'bridge');
    this.nsIp(this.bridgeNs, 'link', 'set', 'br0', 'up');
    this.ip('link', 'add', this.hostIf, 'type', 'veth', 'peer', 'name', `ucp${this.tag}`);
    this.ip('link', 'set', `ucp${this.tag}`, 'netns', this.bridgeNs);
    this.nsIp(this.bridgeNs, 'link', 'set', `ucp${this.tag}`, 'master', 'br0', 'up');
    this.ip('addr', 'add', `${this.hostAddress}/24`, 'dev', this.hostIf);
    this.ip('link', 'set', this.hostIf, 'up');
  }

  /** Keeps PREFIX.`host` for an address that is no node's (a VIP); returns it. */
  reserve(host: number): string {
    this.taken.add(host);
    return `${this.prefix}.${host}`;
  }

  /**
   * A node namespace with `eth0` at PREFIX.`host` (or the next free number, when test beds share
   * the network and another node has it), plugged into the bridge.
   */
  add(name: string, host: number): NetNode {
    if (this.nodes.has(name)) throw new Error(`there is a test node ${name} already`);
    while (this.taken.has(host)) host = host >= 254 ? 2 : host + 1;
    this.taken.add(host);
    const ns = `uc-${this.tag}-${name}`;
    const address = `${this.prefix}.${host}`;
    const leg = `ucv${this.tag}${this.nodes.size}`;
    this.ip('netns', 'add', ns);
    this.ip('link', 'add', leg, 'type', 'veth', 'peer', 'name', `ucq${this.tag}${this.nodes.size}`);
    this.ip('link', 'set', leg, 'netns', this.bridgeNs);
    this.nsIp(this.bridgeNs, 'link', 'set', leg, 'master', 'br0', 'up');
    this.ip('link', 'set', `ucq${this.tag}${this.nodes.size}`, 'netns', ns);
    this.nsIp(ns, 'link', 'set', `ucq${this.tag}${this.nodes.size}`, 'name', 'eth0');
    this.nsIp(ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
    this.nsIp(ns, 'link', 'set', 'eth0', 'up');
    this.nsIp(ns, 'link', 'set', 'lo', 'up');
    // Both directions stay on our devices, or packets would leave the machine.
    const there = this.ip('route', 'get', address);
    if (!there.includes(`dev ${this.hostIf}`)) throw new Error(`route to ${address} does not use ${this.hostIf}: ${there}`);
    if (!this.nsIp(ns, 'route', 'get', this.hostAddress).includes('dev eth0')) throw new Error(`${ns} does not reach the host through eth0`);
    const node = { name, ns, address };
    this.nodes.set(name, node);
    return node;
  }

  node(name: string): NetNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no test node ${name}`);
    return n;
  }

  /** Runs `cmd ARGS` inside node `name` (`ip netns exec` execs it: the PID is the command's). */
  spawn(name: string, cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess & { output(): string } {
    return this.spawnTracked(IP, ['netns', 'exec', this.node(name).ns, cmd, ...args], env);
  }

  /** Starts a process that is stopped on teardown, keeping the end of its output. */
  spawnTracked(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess & { output(): string } {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    const keep = (d: Buffer) => { out = (out + d.toString()).slice(-50_000); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return Object.assign(child, { output: () => out });
  }

  /** A detached daemon to stop on teardown. */
  track(pid: number): void {
    this.pids.add(pid);
  }

  /** PIDs of every process inside one of our namespaces (`ip netns pids`), whoever started it. */
  private namespacePids(): number[] {
    const pids: number[] = [];
    for (const ns of [...[...this.nodes.values()].map((n) => n.ns), this.bridgeNs]) {
      try {
        pids.push(...this.ip('netns', 'pids', ns).split('\n').filter(Boolean).map(Number));
      } catch { /* never made */ }
    }
    return pids;
  }

  /**
   * Stops everything, even after a failure: first the processes we spawned (agents, clients: once
   * they are gone nothing starts a daemon any more), then the detached daemons by PID, politely
   * (an HAProxy master stops its workers, keepalived drops its VIP), then by force. Daemons are
   * found in our namespaces, not only in their pid files: an agent may have (re)started one after
   * its pid file was read, or before it wrote one (HAProxy restarted for a Galera backend change
   * while the bed was being torn down outlived earlier runs). Then the namespaces go.
   */
  async down(): Promise<void> {
    const exits = [...this.children].map((c) => new Promise((r) => {
      if (c.exitCode !== null || c.signalCode !== null) return r(null);
      c.once('exit', r);
      c.kill('SIGKILL');
    }));
    await Promise.all(exits);
    const signal = (pids: Iterable<number>, sig: NodeJS.Signals) => {
      for (const pid of pids) {
        try { process.kill(pid, sig); } catch { /* gone */ }
      }
    };
    const left = () => [...new Set([...this.namespacePids(), ...this.pids])].filter(alive);
    signal(left(), 'SIGTERM');
    for (const end = Date.now() + 3000; left().length && Date.now() < end;) await new Promise((r) => setTimeout(r, 100));
    for (let round = 0; round < 50 && left().length; round++) {
      signal(left(), 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
    }
    const stuck = left();
    if (this.made) {
      this.made = false;
      for (const n of this.nodes.values()) {
        try { this.ip('netns', 'del', n.ns); } catch { /* never made */ }
      }
      try { this.ip('netns', 'del', this.bridgeNs); } catch { /* never made */ }
      try { this.ip('link', 'del', this.hostIf); } catch { /* went with the namespace */ }
    }
    for (const f of this.cleanups.splice(0)) f();
    if (stuck.length) throw new Error(`processes ${stuck.join(', ')} of test network ${this.tag} would not die`);
  }

  /** `f` runs at the end of `down()`, once every process is stopped. */
  afterDown(f: () => void): void {
    this.cleanups.push(f);
  }
}

/** Whether `pid` runs (a zombie does not). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}
