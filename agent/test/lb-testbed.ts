/**
 * A load-balancing test bed, shared by agent/test/lb.test.ts and bench/lb-change.mjs: a test
 * network with two load balancers (each with an agent), three web servers and a client node; the
 * hub on the host; a cluster `shop` with both load balancers and web1, web2, and a VIP. It can
 * also join another bed's network and hub, with that bed's web servers (`shared`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Hub, ROOT, freePort, joinToken, requireBuild, sleep, startHub, waitFor } from './harness.js';
import { type SharedBed, TestNetwork } from './test-network.js';

export interface LoadResult { ok: number; failed: number; errors: string[]; seen: Record<string, number>; firstSeen: Record<string, number> }

export class LbTestbed {
  readonly net: TestNetwork;
  hub!: Hub;
  readonly dir = mkdtempSync(join(tmpdir(), 'uc-lb-'));
  readonly vip: string;
  readonly agentLogs = new Map<string, () => string>();
  /** Each load balancer's agent process (`ip netns exec` execs it: the same PID). */
  readonly agentPids = new Map<string, number>();

  /**
   * `hubEnv`: more settings for the hub (e.g. no "warning" status on a busy test machine).
   * `shared`: another bed's network and hub to join, with `webServers` (servers already there)
   * as the cluster's web servers instead of web1..web3.
   */
  constructor(private readonly hubEnv: Record<string, string> = {}, private readonly shared?: SharedBed & { webServers: string[] }) {
    this.net = shared?.net ?? new TestNetwork();
    if (shared) this.hub = shared.hub;
    this.vip = this.net.reserve(100);
  }

  lbDir(name: string): string {
    return join(this.dir, name);
  }

  /** `env`: more settings for the hub. */
  async up(env: Record<string, string> = {}): Promise<void> {
    const net = this.net;
    const shared = this.shared;
    if (!shared) net.up();
    net.add('lb1', 11);
    net.add('lb2', 12);
    if (!shared) for (let i = 1; i <= 3; i++) net.add(`web${i}`, 20 + i);
    net.add('client', 30);
    if (!shared) this.hub = await startHub({ env: { ...this.hubEnv, AGENT_HOST: net.hostAddress, AGENT_PORT: String(await freePort()), ...env } });
    for (let i = 1; i <= 3 && !shared; i++) {
      net.spawn(`web${i}`, process.execPath, [join(ROOT, 'agent/test/web-backend.mjs'), `web${i}`, '80']);
      const r = await this.hub.api('POST', '/api/servers', { id: `web${i}`, name: `web${i}`, type: 'web', address: net.node(`web${i}`).address });
      if (r.status !== 201) throw new Error(`cannot add web${i}: ${JSON.stringify(r.body)}`);
    }
    const agentUrl = `wss://${net.hostAddress}:${new URL(this.hub.agentUrl).port}/agent`;
    for (const lb of ['lb1', 'lb2']) {
      const token = await joinToken(this.hub, { type: 'loadbalancer' });
      const agent = net.spawn(lb, process.execPath, [requireBuild('agent.mjs'), '--hub', agentUrl, '--token', token, '--state-file', join(this.dir, `${lb}.json`), '--id', lb], { UC_LB_DIR: this.lbDir(lb) });
      this.agentLogs.set(lb, agent.output);
      this.agentPids.set(lb, agent.pid!);
    }
    await waitFor('both load-balancer agents to report', async () => {
      const r = await this.hub.api('GET', '/api/servers');
      return ['lb1', 'lb2'].every((id) => r.body.find((s: { id: string; metrics: unknown }) => s.id === id)?.metrics);
    }, 30_000).catch((e) => { throw new Error(`${e}\n${this.logs()}`); });
    for (let i = 1; i <= 3 && !shared; i++) await waitFor(`web${i} to answer`, () => this.curl('client', `http://${net.node(`web${i}`).address}/`).then((t) => t === `web${i}`));
    const r = await this.hub.api('POST', '/api/clusters', {
      name: 'shop', servers: ['lb1', 'lb2', ...(shared?.webServers ?? ['web1', 'web2'])],
      loadBalancer: { frontends: [{ name: 'www', port: 80 }], vip: { address: this.vip, interface: 'eth0', routerId: 42, advertInt: 0.2 } },
    });
    if (r.status !== 201) throw new Error(`cannot make the cluster: ${JSON.stringify(r.body)}`);
  }

  /** One request from inside a node (never from the host). */
  async curl(from: string, url: string): Promise<string> {
    const p = this.net.spawn(from, process.execPath, ['-e', `fetch(${JSON.stringify(url)}).then(r=>r.text()).then(t=>process.stdout.write(t.trim()),e=>process.stdout.write('ERR '+e.message))`]);
    await new Promise((r) => p.once('exit', r));
    return p.output();
  }

  /** One request from inside a node with its own Host header (fetch() will not send one): "STATUS BODY". */
  async request(from: string, url: string, host: string): Promise<string> {
    const script = `require('http').get(${JSON.stringify(url)},{headers:{host:${JSON.stringify(host)}}},(r)=>{let b='';r.setEncoding('utf8');` +
      `r.on('data',(d)=>b+=d);r.on('end',()=>process.stdout.write(r.statusCode+' '+b.trim()))}).on('error',(e)=>process.stdout.write('ERR '+e.message))`;
    const p = this.net.spawn(from, process.execPath, ['-e', script]);
    await new Promise((r) => p.once('exit', r));
    return p.output();
  }

  logs(): string {
    return [...this.agentLogs].map(([n, out]) => `--- agent ${n} ---\n${out()}`).join('\n') + `\n--- hub ---\n${this.hub?.output() ?? ''}`;
  }

  /** Plans the cluster; throws unless the hub answered 201. */
  async plan(cluster = 'shop', auth?: string) {
    const r = await this.hub.api('POST', `/api/clusters/${cluster}/plans`, undefined, auth);
    if (r.status !== 201) throw new Error(`plan: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Applies a plan and waits for its end; returns the final plan. */
  async apply(id: string) {
    const r = await this.hub.api('POST', `/api/plans/${id}/apply`);
    if (r.status !== 202) throw new Error(`apply: ${r.status} ${JSON.stringify(r.body)}`);
    let last: unknown;
    return waitFor(`plan ${id} to finish`, async () => {
      const p = await this.hub.api('GET', `/api/plans/${id}`);
      last = p.body;
      return p.body.state === 'applied' || p.body.state === 'failed' ? p.body : null;
    }, 45_000, 20).catch((e) => { throw new Error(`${e}\n${JSON.stringify(last)}\n${this.logs()}`); });
  }

  async planAndApply() {
    const plan = await this.plan();
    if (plan.state !== 'planned') throw new Error(`plan is ${plan.state}: ${JSON.stringify(plan.nodes)}`);
    const done = await this.apply(plan.id);
    if (done.state !== 'applied') throw new Error(`apply failed: ${JSON.stringify(done.nodes)}\n${this.logs()}`);
    return done;
  }

  async patchLb(loadBalancer: unknown): Promise<void> {
    const r = await this.hub.api('PATCH', '/api/clusters/shop', { loadBalancer });
    if (r.status !== 200) throw new Error(`patch: ${JSON.stringify(r.body)}`);
  }

  /**
   * Starts the load client in the client node against `urls` (`host`: every request's Host
   * header; `concurrency` requests at a time, for at most `maxMs`); `firstSeen(url, body)` waits
   * until a request to `url` got `body` (a RegExp or the exact text), `stop()` ends it and
   * returns its counts.
   */
  startLoad(urls: string[], o: { host?: string; concurrency?: number; maxMs?: number } = {}): { firstSeen(url: string, body: RegExp | string): Promise<void>; stop(): Promise<LoadResult> } {
    const args = [join(ROOT, 'agent/test/load-client.mjs'), urls.join(','), '--concurrency', String(o.concurrency ?? 4), '--max-ms', String(o.maxMs ?? 120_000)];
    const p = this.net.spawn('client', process.execPath, o.host ? [...args, '--host', o.host] : args);
    return {
      firstSeen: async (url, body) => {
        const match = (line: string) => line.startsWith(`first ${url} `) && (typeof body === 'string' ? line === `first ${url} ${body}` : body.test(line.slice(url.length + 7)));
        await waitFor(`the load to see ${url} answer ${String(body)}`, () => p.output().split('\n').some(match), 30_000);
      },
      stop: async () => {
        p.kill('SIGTERM');
        await new Promise((r) => (p.exitCode === null ? p.once('exit', r) : r(null)));
        const last = p.output().trim().split('\n').pop() ?? '';
        try {
          return JSON.parse(last) as LoadResult;
        } catch {
          throw new Error(`the load client printed no result: ${p.output()}`);
        }
      },
    };
  }

  /** The PID in `file` if that process is one of ours (its command line names our temp dir). */
  readPid(file: string): number | null {
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      return pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.dir) ? pid : null;
    } catch {
      return null;
    }
  }

  async down(): Promise<void> {
    for (const lb of ['lb1', 'lb2']) {
      for (const f of ['haproxy.pid', 'keepalived.pid', 'keepalived-vrrp.pid']) {
        const pid = this.readPid(join(this.lbDir(lb), f));
        if (pid) this.net.track(pid);
      }
    }
    const remove = () => rmSync(this.dir, { recursive: true, force: true });
    if (this.shared) return this.net.afterDown(remove);
    await this.net.down();
    await this.hub?.stop();
    await sleep(0);
    remove();
  }
}
