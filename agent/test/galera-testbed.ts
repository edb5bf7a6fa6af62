/**
 * A Galera test bed, shared by agent/test/galera.test.ts, bench/galera.mjs and any later test that
 * needs a database cluster: a test network with three database nodes (an agent each; mariadbd is
 * started by the agent as user mysql in a temp directory per node, UC_GALERA_DIR), a load balancer
 * (agent, HAProxy) with a database connection to db1, and a client node; the hub on the host; a
 * cluster `db` (db1..db3, Galera role) and a cluster `edge` (lb1, no HTTP frontends). Options:
 * more database nodes with an agent and no cluster (`spare`), EC2 instance ids reported by the
 * database nodes' agents (`instanceIds`), for a test that binds `db` to an Auto Scaling group, and
 * another bed's network and hub to join with the database nodes only (`shared`).
 */
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hub, ROOT, freePort, joinToken, requireBuild, sleep, startHub, waitFor } from './harness.js';
import { type SharedBed, TestNetwork } from './test-network.js';

export const DB_NODES = ['db1', 'db2', 'db3'] as const;

export interface LoadResult { ok: number; failed: number; retried: number; errors: string[]; committed: string[] }

export class GaleraTestbed {
  readonly net: TestNetwork;
  hub!: Hub;
  /** Readable by the mysql user (mariadbd runs as mysql and must reach its directories). */
  readonly dir = mkdtempSync(join(tmpdir(), 'uc-galera-'));
  readonly agentLogs = new Map<string, () => string>();
  readonly agentPids = new Map<string, number>();
  readonly loadPassword = 'load-password-1234';
  private loads = 0;

  /**
   * `shared`: another bed's network and hub to join, with the database nodes only (no load
   * balancer, no client node: that bed has its own).
   */
  constructor(readonly opts: { galera?: Record<string, unknown>; spare?: string[]; instanceIds?: boolean; shared?: SharedBed } = {}) {
    chmodSync(this.dir, 0o755);
    this.net = opts.shared?.net ?? new TestNetwork();
    if (opts.shared) this.hub = opts.shared.hub;
  }

  private get nodes(): string[] {
    const db = [...DB_NODES, ...this.opts.spare ?? []];
    return this.opts.shared ? db : [...db, 'lb1'];
  }

  /** The EC2 instance id node `name`'s agent reports with `instanceIds` (db1 → i-00000000000000db1). */
  static instanceId(name: string): string {
    return `i-${name.padStart(17, '0')}`;
  }

  nodeDir(name: string): string {
    return join(this.dir, name);
  }

  /** `env`: more settings for the hub. */
  async up(env: Record<string, string> = {}): Promise<void> {
    const net = this.net;
    const shared = !!this.opts.shared;
    if (!shared) net.up();
    [...DB_NODES, ...this.opts.spare ?? []].forEach((n, i) => net.add(n, 11 + i));
    if (!shared) {
      net.add('lb1', 40);
      net.add('client', 50);
      this.hub = await startHub({ env: { AGENT_HOST: net.hostAddress, AGENT_PORT: String(await freePort()), ...env } });
    }
    for (const n of this.nodes) await this.startAgent(n, n === 'lb1' ? 'loadbalancer' : 'database');
    await waitFor('every agent to report', async () => {
      const r = await this.hub.api('GET', '/api/servers');
      return this.nodes.every((id) => r.body.find((s: { id: string; metrics: unknown }) => s.id === id)?.metrics);
    }, 60_000).catch((e) => { throw new Error(`${e}\n${this.logs()}`); });
    await this.must('POST', '/api/clusters', { name: 'db', servers: [...DB_NODES], galera: { autoRecover: false, ...this.opts.galera } }, 201);
    if (shared) return;
    await this.must('POST', '/api/clusters', { name: 'edge', servers: ['lb1'], loadBalancer: { frontends: [] } }, 201);
    await this.must('POST', '/api/connections', { from: 'lb1', to: 'db1', type: 'database' }, 201);
  }

  /** Starts (or restarts, keeping its identity) the agent of node `name`. */
  async startAgent(name: string, type: 'database' | 'loadbalancer' = 'database'): Promise<void> {
    const state = join(this.dir, `${name}.agent.json`);
    let token: string[] = [];
    try {
      readFileSync(state);
    } catch {
      token = ['--token', await joinToken(this.hub, { type })];
    }
    mkdirSync(this.nodeDir(name), { recursive: true, mode: 0o755 });
    const env: Record<string, string> = type === 'loadbalancer' ? { UC_LB_DIR: this.nodeDir(name) } : {
      UC_GALERA_DIR: this.nodeDir(name), ...(this.opts.instanceIds ? { UC_INSTANCE_ID: GaleraTestbed.instanceId(name) } : {}),
    };
    const agentUrl = `wss://${this.net.hostAddress}:${new URL(this.hub.agentUrl).port}/agent`;
    const agent = this.net.spawn(name, process.execPath, [requireBuild('agent.mjs'), '--hub', agentUrl, ...token, '--state-file', state, '--id', name], env);
    this.agentLogs.set(name, agent.output);
    this.agentPids.set(name, agent.pid!);
  }

  /** Stops node `name`'s agent (kill -9), as a terminated instance loses it; its daemons stay until teardown. */
  stopAgent(name: string): void {
    const pid = this.agentPids.get(name);
    if (pid) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }

  /** A request that must answer `status`; returns the body. */
  async must(method: string, path: string, body: unknown, status: number) {
    const r = await this.hub.api(method, path, body);
    if (r.status !== status) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  logs(): string {
    const tail = (t: string) => t.split('\n').slice(-40).join('\n');
    const errors = [...DB_NODES, ...(this.opts.spare ?? [])].map((n) => {
      let log = '';
      try { log = readFileSync(join(this.nodeDir(n), 'run/error.log'), 'utf8'); } catch { /* none yet */ }
      return `--- ${n} error.log ---\n${log.split('\n').filter((l) => /ERROR|WSREP_SST|Synchron|shutdown/.test(l)).slice(-15).join('\n')}`;
    });
    return [...[...this.agentLogs].map(([n, out]) => `--- agent ${n} ---\n${tail(out())}`), ...errors, `--- hub ---\n${tail(this.hub?.output() ?? '')}`].join('\n');
  }

  /** Waits for an operation's end; returns it. */
  async finished(id: string, timeoutMs = 240_000) {
    let last: unknown;
    return waitFor(`operation ${id} to end`, async () => {
      const r = await this.hub.api('GET', `/api/operations/${id}`);
      last = r.body;
      return ['done', 'failed', 'cancelled', 'interrupted'].includes(r.body.state) ? r.body : null;
    }, timeoutMs, 200).catch((e) => { throw new Error(`${e}\n${JSON.stringify(last, null, 1)}\n${this.logs()}`); });
  }

  /** An operation that must end done. */
  async done(op: { id: string }) {
    const end = await this.finished(op.id);
    if (end.state !== 'done') throw new Error(`operation ${end.kind} ended ${end.state}: ${end.error}\n${JSON.stringify(end.steps, null, 1)}\n${this.logs()}`);
    return end;
  }

  /** Plans and applies the cluster's configuration; returns the finished operation. */
  async planAndApply() {
    const plan = await this.must('POST', '/api/clusters/db/galera/plan', undefined, 201);
    if (plan.error) throw new Error(`plan refused: ${plan.error}`);
    return this.done(await this.must('POST', '/api/clusters/db/galera/apply', { planId: plan.id }, 202));
  }

  async view() {
    return (await this.hub.api('GET', '/api/clusters/db/galera')).body;
  }

  /** Waits until the hub says every node is Synced in one Primary component. */
  async allSynced(timeoutMs = 120_000) {
    return waitFor('every node Synced', async () => ((await this.view()).summary === `Primary ${DB_NODES.length}/${DB_NODES.length}`), timeoutMs, 200)
      .catch(async (e) => { throw new Error(`${e}\n${JSON.stringify(await this.view())}\n${this.logs()}`); });
  }

  /** SQL as root on a node, from inside it (over the node's socket); rows as tab-separated lines, however many. */
  async sql(node: string, statement: string): Promise<string> {
    const args = ['netns', 'exec', this.net.node(node).ns, '/usr/bin/mariadb', '--no-defaults', '-uroot', `--socket=${join(this.nodeDir(node), 'run/mysqld.sock')}`, '-N', '-B', '-e', statement];
    return new Promise((resolve, reject) => execFile('/usr/sbin/ip', args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, out, errOut) => {
      if (err) reject(new Error(`sql on ${node} failed: ${errOut || err.message}`));
      else resolve(out.trim());
    }));
  }

  /** The pid of node `name`'s mariadbd, if it runs. */
  mariadbdPid(name: string): number | null {
    try {
      const pid = Number(readFileSync(join(this.nodeDir(name), 'run/mysqld.pid'), 'utf8').trim());
      return pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.nodeDir(name)) ? pid : null;
    } catch {
      return null;
    }
  }

  /** kill -9 of node `name`'s mariadbd; resolves once it is gone. */
  async crash(name: string): Promise<void> {
    const pid = this.mariadbdPid(name);
    if (!pid) throw new Error(`${name}: mariadbd is not running`);
    process.kill(pid, 'SIGKILL');
    await waitFor(`${name}'s mariadbd to die`, () => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] === 'Z'; } catch { return true; } }, 20_000, 20);
  }

  /** Makes the `load` database and user through the hub (the databases endpoint), once. */
  async loadDatabase(): Promise<void> {
    await this.must('POST', '/api/clusters/db/galera/databases', { name: 'load', user: 'load', password: this.loadPassword }, 201);
  }

  /** Starts the write load from the client node against HOST:PORT; `stop()` ends it and returns what it committed. */
  startLoad(host: string, port = 3306, extra: string[] = []): { stop(): Promise<LoadResult>; output(): string } {
    const out = join(this.dir, `load-${++this.loads}.json`);
    const p = this.net.spawn('client', process.execPath, [join(ROOT, 'agent/test/galera-load.mjs'), host, String(port), '--concurrency', '3', '--max-ms', '240000', '--out', out, ...extra], { GALERA_LOAD_PASSWORD: this.loadPassword });
    return {
      output: p.output,
      stop: async () => {
        p.kill('SIGTERM');
        await new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(null)));
        try {
          return JSON.parse(readFileSync(out, 'utf8')) as LoadResult;
        } catch {
          throw new Error(`the load client printed no result: ${p.output().slice(-2000)}`);
        }
      },
    };
  }

  /** Committed ids the cluster does not have (read on `node`). */
  async lost(node: string, committed: readonly string[]): Promise<string[]> {
    const have = new Set((await this.sql(node, 'SELECT id FROM load.t')).split('\n'));
    return committed.filter((id) => !have.has(id));
  }

  /**
   * Stops everything by PID, even after a failure: the agents first, then every process left in
   * the nodes' namespaces (mariadbd and its SST helpers, HAProxy): a pid file read before the
   * agents stop can name an old process, as the hub keeps giving jobs until the end (test-network.ts).
   */
  async down(): Promise<void> {
    const remove = () => rmSync(this.dir, { recursive: true, force: true });
    if (this.opts.shared) return this.net.afterDown(remove);
    try {
      await this.net.down();
    } finally {
      await this.hub?.stop();
      await sleep(0);
      remove();
    }
  }
}
