/**
 * A Gluster test bed, shared by agent/test/gluster.test.ts, bench/gluster.mjs and other features'
 * tests (Virtualmin, on a shared network and hub): a test network with Gluster nodes gl1…glN (each its own network AND mount
 * namespace: private /var/lib/glusterd, /run and /var/log/glusterfs bind-mounted from a temp dir;
 * its own glusterd and agent; never a shared glusterd.info) and a client node (its own mount
 * namespace for the FUSE mount, an agent). The hub runs on the host. Everything lives under one
 * temp dir; `down()` unmounts, stops every process of our namespaces by PID (until none is left:
 * glusterd may spawn a brick while it goes) and removes them, even after a failure.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
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
  /** Nodes whose glusterd was started (and should run unless a test killed it on purpose). */
  private readonly glusterds = new Set<string>();

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
    this.glusterds.add(name);
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
    const ours = new Set(this.pidsIn(name));
    return this.pidFiles(join(this.node(name).dir, 'run')).filter((p) => ours.has(p));
  }

  /** Whether the node's glusterd (from its pid file) is alive in the node. */
  glusterdRunning(name: string): boolean {
    try {
      const pid = Number(readFileSync(join(this.node(name).dir, 'run', 'glusterd.pid'), 'utf8').trim());
      return this.pidsIn(name).includes(pid);
    } catch {
      return false;
    }
  }

  /** Starts glusterd again where it was started before and is no longer running (after a test that failed midway). */
  async reviveGlusterd(): Promise<void> {
    for (const n of this.glusterds) if (!this.glusterdRunning(n)) await this.startGlusterd(n);
  }

  /**
   * SIGKILLs `pids` of node `name` (as a crash would; only those still running there: a pid
   * file outlives its process) and resolves once they are reaped. glusterd and its bricks
   * daemonize, so PID 1 reaps them; here that is not systemd and takes up to ~2 s, and until then
   * glusterd takes the zombie for a running brick ("discovered already-running brick"): `volume
   * start force` does not start it and binds its dead port again, so clients are sent to that port
   * for good. On a host whose init reaps at once, a crashed brick is gone at once.
   */
  private async crash(name: string, pids: number[]): Promise<void> {
    const ours = new Set(this.pidsIn(name));
    const doomed = [...new Set(pids)].filter((p) => ours.has(p));
    for (const pid of doomed) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    await waitFor(`killed processes ${doomed.join(', ')} to be reaped`, () => doomed.every((p) => !existsSync(`/proc/${p}`)), 30_000, 50);
  }

  /** The PIDs in the pid files below `dir` (recursively) whose names end with `suffix`. */
  private pidFiles(dir: string, suffix = '.pid'): number[] {
    try {
      return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(suffix))
        .map((f) => Number(readFileSync(join(dir, f), 'utf8').trim())).filter((p) => p > 0);
    } catch {
      return [];
    }
  }

  /** Kills a node's glusterd, bricks and self-heal daemon (as a crash would): its agent stays. */
  killGluster(name: string): Promise<void> {
    return this.crash(name, this.glusterPids(name));
  }

  /** Kills the brick processes of one volume on a node. */
  killBrick(name: string, volume: string): Promise<void> {
    return this.crash(name, this.pidFiles(join(this.node(name).dir, 'run', 'gluster', 'vols', volume)));
  }

  /** Kills a node's self-heal daemon (as its crash after a replace-brick does: glusterfs issue #4644). */
  killSelfHeal(name: string): Promise<void> {
    return this.crash(name, this.pidFiles(join(this.node(name).dir, 'run', 'gluster', 'shd'), '-shd.pid'));
  }

  /** A program that runs the gluster CLI inside the node (for an applier run by the test itself). */
  cliIn(name: string): string {
    const file = join(this.node(name).dir, 'gluster-cli.sh');
    writeFileSync(file, `#!/bin/sh\nexec ${NSENTER} -t ${this.node(name).holder} -m -n ${GLUSTER} "$@"\n`);
    chmodSync(file, 0o755);
    return file;
  }

  /**
   * How many times the FUSE client of `mountPoint` on node `name` attached to the brick at
   * `brickPath`: it logs each (re)connection, so this goes up once it reconnects after a restart.
   */
  clientAttachments(name: string, mountPoint: string, brickPath: string): number {
    const log = join(this.node(name).dir, 'log', `${mountPoint.replace(/^\/+/, '').replaceAll('/', '-')}.log`);
    try {
      return readFileSync(log, 'utf8').split('\n').filter((l) => l.includes('Connected, attached to remote volume') && l.includes(`remote_subvol=${brickPath}}`)).length;
    } catch {
      return 0;
    }
  }

  /** The last lines of every node's glusterd log and client logs (for failure messages). */
  glusterLogs(lines = 15): string {
    const out: string[] = [];
    for (const n of this.nodes.values()) {
      const dir = join(n.dir, 'log');
      let files: string[] = [];
      try { files = readdirSync(dir).filter((f) => f.endsWith('.log') && (f === 'glusterd.log' || f === 'glustershd.log' || f.includes('-mnt-'))); } catch { /* none */ }
      for (const f of files) out.push(`--- ${n.name} ${f} ---\n${readFileSync(join(dir, f), 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`);
    }
    return out.join('\n');
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
    // Every process of our namespaces, by PID, until none is left (glusterd may spawn a brick or a
    // self-heal daemon between a scan and the kill); then the namespaces go.
    for (let round = 0; round < 20; round++) {
      const left = [...this.nodes.values()].flatMap((n) => this.pidsIn(n.name));
      if (!left.length) break;
      for (const pid of left) {
        try { process.kill(pid, round === 0 ? 'SIGTERM' : 'SIGKILL'); } catch { /* gone */ }
      }
      await sleep(round === 0 ? 500 : 200);
    }
    const remove = () => rmSync(this.dir, { recursive: true, force: true });
    if (this.opts.shared) return this.net.afterDown(remove);
    try {
      await this.net.down();
    } finally {
      await this.hub?.stop();
      remove();
    }
  }
}
