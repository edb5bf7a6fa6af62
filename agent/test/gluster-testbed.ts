/**
 * A Gluster test bed, shared by agent/test/gluster.test.ts, bench/gluster.mjs and other features'
 * tests (Virtualmin, on a shared network and hub): a test network with Gluster nodes gl1…glN (each its own network AND mount
 * namespace: private /var/lib/glusterd, /run and /var/log/glusterfs bind-mounted from a temp dir;
 * its own glusterd and agent; never a shared glusterd.info) and a client node (its own mount
 * namespace for the FUSE mount, an agent). The hub runs on the host. Everything lives under one
 * temp dir; `down()` unmounts, stops every process of our namespaces by PID and removes them,
 * even after a failure.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hub, freePort, joinToken, requireBuild, sleep, startHub, waitFor } from './harness.js';
import { type SharedBed, TestNetwork } from './test-network.js';

const NSENTER = '/usr/bin/nsenter';
const GLUSTER = '/usr/sbin/gluster';
const GLUSTERD = '/usr/sbin/glusterd';

export interface GlusterNode {
  name: string;
  address: string;
  /** The process that holds the node's mount namespace (`nsenter -t` enters it). */
  holder: number;
  dir: string;
  agent?: ChildProcess & { output(): string };
}

export interface GlusterBedOptions {
  /** Gluster nodes (default 3): gl1…glN. */
  nodes?: number;
  /** Client nodes that mount the volume (default 1): client1…. */
  clients?: number;
  /** Their names instead (web servers of another bed's cluster, say). */
  clientNames?: string[];
  /** Extra hub environment. */
  hubEnv?: Record<string, string>;
  /** Another bed's network and hub to join. */
  shared?: SharedBed;
}

export class GlusterTestbed {
  readonly net: TestNetwork;
  hub!: Hub;
  readonly dir = mkdtempSync(join(tmpdir(), 'uc-gl-'));
  readonly nodes = new Map<string, GlusterNode>();

  constructor(private readonly opts: GlusterBedOptions = {}) {
    this.net = opts.shared?.net ?? new TestNetwork();
    if (opts.shared) this.hub = opts.shared.hub;
  }

  get glusterNames(): string[] {
    return [...this.nodes.keys()].filter((n) => n.startsWith('gl'));
  }

  node(name: string): GlusterNode {
    const n = this.nodes.get(name);
    if (!n) throw new Error(`no test node ${name}`);
    return n;
  }

  /** A brick path template inside the bed's dir (one directory per server). */
  get brickPath(): string {
    return `${this.dir}/{server}/bricks/{volume}-{n}`;
  }

  /** Where clients mount volumes. */
  get mountPath(): string {
    return `${this.dir}/mnt/{volume}`;
  }

  async up(): Promise<void> {
    const net = this.net;
    if (!this.opts.shared) net.up();
    const glusters = this.opts.nodes ?? 3;
    const clients = this.opts.clientNames ?? Array.from({ length: this.opts.clients ?? 1 }, (_, i) => `client${i + 1}`);
    for (let i = 1; i <= glusters; i++) this.addNode(`gl${i}`, 10 + i, true);
    clients.forEach((name, i) => this.addNode(name, 41 + i, false));
    if (!this.opts.shared) this.hub = await startHub({ env: { AGENT_HOST: net.hostAddress, AGENT_PORT: String(await freePort()), ...this.opts.hubEnv } });
    for (const n of this.nodes.values()) if (n.name.startsWith('gl')) await this.startGlusterd(n.name);
    for (const n of this.nodes.values()) await this.startAgent(n.name, n.name.startsWith('gl') ? 'filesystem' : 'web');
    await waitFor('every agent to report', async () => {
      const r = await this.hub.api('GET', '/api/servers');
      return [...this.nodes.keys()].every((id) => r.body.find((s: { id: string; metrics: unknown }) => s.id === id)?.metrics);
    }, 60_000).catch((e) => { throw new Error(`${e}\n${this.logs()}`); });
  }

  /** A node: its network namespace, then a mount namespace (held by a sleeping process) with private gluster dirs. */
  private addNode(name: string, host: number, gluster: boolean): GlusterNode {
    const net = this.net.add(name, host);
    const dir = join(this.dir, name);
    for (const d of ['lib', 'run', 'log', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
    const binds = [['run', '/run'], ['log', '/var/log/glusterfs'], ...(gluster ? [['lib', '/var/lib/glusterd']] : [])]
      .map(([from, to]) => `mount --bind ${join(dir, from!)} ${to}`).join(' && ');
    const holder = this.net.spawn(name, '/usr/bin/unshare', ['--mount', '--propagation', 'private', '/bin/sh', '-c', `${binds} && exec sleep infinity`]);
    const node: GlusterNode = { name, address: net.address, holder: holder.pid!, dir };
    this.nodes.set(name, node);
    return node;
  }

  /** Runs `cmd` inside the node's network and mount namespaces (nsenter execs it: the PID is the command's). */
  spawnIn(name: string, cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess & { output(): string } {
    return this.net.spawnTracked(NSENTER, ['-t', String(this.node(name).holder), '-m', '-n', cmd, ...args], env);
  }

  /** Runs a command in the node to its end; resolves with its exit code and output. */
  async exec(name: string, cmd: string, args: string[]): Promise<{ code: number; output: string }> {
    const p = this.spawnIn(name, cmd, args);
    const code = await new Promise<number>((r) => p.once('exit', (c) => r(c ?? 1)));
    return { code, output: p.output() };
  }

  /** The gluster CLI on a node, as an administrator would run it there. */
  gluster(name: string, ...args: string[]): Promise<{ code: number; output: string }> {
    return this.exec(name, GLUSTER, ['--mode=script', ...args]);
  }

  async startGlusterd(name: string): Promise<void> {
    const r = await this.exec(name, GLUSTERD, ['-p', '/run/glusterd.pid']);
    if (r.code !== 0) throw new Error(`glusterd on ${name} did not start: ${r.output}`);
    await waitFor(`glusterd on ${name} to answer`, async () => (await this.gluster(name, 'pool', 'list', '--xml')).output.includes('<opRet>0</opRet>'), 30_000);
  }

  async startAgent(name: string, type: string): Promise<void> {
    const n = this.node(name);
    const stateFile = join(n.dir, 'agent.json');
    const args = [requireBuild('agent.mjs'), '--hub', `wss://${this.net.hostAddress}:${new URL(this.hub.agentUrl).port}/agent`, '--state-file', stateFile, '--id', name];
    try {
      readFileSync(stateFile);
    } catch {
      args.push('--token', await joinToken(this.hub, { type }));
    }
    n.agent = this.spawnIn(name, process.execPath, args, { UC_FSTAB: join(n.dir, 'fstab'), UC_GLUSTER_TMP: join(n.dir, 'tmp') });
  }

  /** The PIDs of every process in the node's network namespace (glusterd, bricks, self-heal, FUSE clients, agents). */
  pidsIn(name: string): number[] {
    const n = this.node(name);
    let ns: string;
    try {
      ns = readlinkSync(`/proc/${n.holder}/ns/net`);
    } catch {
      return [];
    }
    const out: number[] = [];
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p) || Number(p) === n.holder) continue;
      try {
        if (readlinkSync(`/proc/${p}/ns/net`) === ns) out.push(Number(p));
      } catch { /* gone */ }
    }
    return out;
  }

  /** The PIDs of a node's Gluster daemons, from their pid files (glusterd, bricks, self-heal daemon). */
  glusterPids(name: string): number[] {
    const run = join(this.node(name).dir, 'run');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name));
        else if (e.name.endsWith('.pid')) files.push(join(d, e.name));
      }
    };
    try { walk(run); } catch { /* none */ }
    const pids = files.map((f) => Number(readFileSync(f, 'utf8').trim())).filter((p) => p > 0);
    const ours = new Set(this.pidsIn(name));
    return pids.filter((p) => ours.has(p));
  }

  /** Kills a node's glusterd and bricks (as a crash would): its agent stays. */
  killGluster(name: string): void {
    for (const pid of this.glusterPids(name)) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }

  /** Kills the brick processes of one volume on a node. */
  killBrick(name: string, volume: string): void {
    const dir = join(this.node(name).dir, 'run', 'gluster', 'vols', volume);
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.pid')) continue;
      try { process.kill(Number(readFileSync(join(dir, f), 'utf8').trim()), 'SIGKILL'); } catch { /* gone */ }
    }
  }

  /** A shell command inside a node (writing to the mounted volume, reading files). */
  sh(name: string, script: string): Promise<{ code: number; output: string }> {
    return this.exec(name, '/bin/sh', ['-c', script]);
  }

  logs(): string {
    return [...this.nodes.values()].map((n) => `--- agent ${n.name} ---\n${n.agent?.output().slice(-4000) ?? ''}`).join('\n') + `\n--- hub ---\n${this.hub?.output().slice(-8000) ?? ''}`;
  }

  async down(): Promise<void> {
    for (const n of this.nodes.values()) {
      // FUSE mounts first (a mount whose server is gone would hang the processes below).
      try {
        const mounts = readFileSync(`/proc/${n.holder}/mounts`, 'utf8').split('\n').map((l) => l.split(' ')).filter((f) => f[2] === 'fuse.glusterfs' && f[1]?.startsWith(this.dir));
        for (const m of mounts) execFileSync(NSENTER, ['-t', String(n.holder), '-m', '/usr/bin/umount', '-l', m[1]!], { stdio: 'ignore' });
      } catch { /* the namespace is gone */ }
    }
    for (const n of this.nodes.values()) for (const pid of this.pidsIn(n.name)) this.net.track(pid);
    const remove = () => rmSync(this.dir, { recursive: true, force: true });
    if (this.opts.shared) return this.net.afterDown(remove);
    await this.net.down();
    await this.hub?.stop();
    await sleep(0);
    remove();
  }
}
