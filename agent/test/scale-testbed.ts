/**
 * A scaling test bed, shared by agent/test/scaling.test.ts and bench/scale.mjs: the load-balancing
 * bed (two load balancers with real HAProxy, a client node), the local Auto Scaling endpoint whose
 * "instances" are network namespaces running a slow web server and the real agent, enrolled by the
 * token in the user data the hub made; and the hub, pointed at the endpoint with UC_AWS_ENDPOINT
 * and given credentials through the environment (the SDK's default provider chain).
 * Cluster `shop` holds only the two load balancers; the group's instances join it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoScalingEndpoint, type EndpointInstance } from './aws-autoscaling-endpoint.js';
import { ROOT, requireBuild, waitFor } from './harness.js';
import { LbTestbed } from './lb-testbed.js';

export const REGION = 'eu-central-1';
export const CREDS = { accessKeyId: 'AKIAUCSCALETEST00001', secretAccessKey: 'scale-test-secret-00000000000000000000000' };
/** How long each web server takes to answer: a load keeps sessions open on it. */
export const WEB_DELAY_MS = 150;

export interface TestInstance { instanceId: string; ns: string; address: string; pids: number[]; launchedAt: number; terminatedAt?: number }

export class ScaleTestbed {
  readonly lb = new LbTestbed();
  readonly aws: AutoScalingEndpoint;
  readonly instances = new Map<string, TestInstance>();
  private next = 40;

  constructor() {
    this.aws = new AutoScalingEndpoint({
      region: REGION, credentials: [CREDS],
      launch: (g, i) => this.launch(g.userData, i),
      terminate: (_g, i) => this.terminate(i),
    });
  }

  get hub() {
    return this.lb.hub;
  }

  async up(): Promise<void> {
    await this.aws.start();
    await this.lb.up({
      UC_AWS_ENDPOINT: this.aws.url, AWS_ACCESS_KEY_ID: CREDS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      // Never the instance metadata service: nothing leaves the machine.
      AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    });
    const r = await this.hub.api('PATCH', '/api/clusters/shop', { removeServers: ['web1', 'web2'], loadBalancer: { frontends: [{ name: 'www', port: 80 }] } });
    if (r.status !== 200) throw new Error(`cannot reshape the cluster: ${JSON.stringify(r.body)}`);
    await this.lb.planAndApply();
  }

  /** The user data the hub gives for the group's launch template. */
  async userData(): Promise<string> {
    const r = await this.hub.api('POST', '/api/clusters/shop/scaling/user-data', {});
    if (r.status !== 201) throw new Error(`user data: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.snippet as string;
  }

  /**
   * An instance: a namespace running the web server and the agent with what the user data says
   * (hub and token). The namespace shares the host's name, so the agent gets --id; its instance id
   * comes from cloud-init's file, as on EC2 (UC_INSTANCE_ID_FILE points at a copy of it).
   */
  private async launch(userData: string, inst: EndpointInstance): Promise<void> {
    const m = /install\.sh agent --hub (\S+) --token (\S+)/.exec(userData);
    if (!m) throw new Error(`the group's user data has no install line: ${userData}`);
    const name = `i${this.next - 39}`;
    const node = this.lb.net.add(name, this.next++);
    const dir = join(this.lb.dir, inst.instanceId);
    mkdirSync(join(dir, 'cloud'), { recursive: true });
    writeFileSync(join(dir, 'cloud', 'instance-id'), `${inst.instanceId}\n`);
    const web = this.lb.net.spawn(name, process.execPath, [join(ROOT, 'agent/test/web-backend.mjs'), inst.instanceId, '80', String(WEB_DELAY_MS)]);
    const agent = this.lb.net.spawn(name, process.execPath, [requireBuild('agent.mjs'), '--hub', m[1]!, '--token', m[2]!, '--state-file', join(dir, 'agent.json'), '--id', inst.instanceId],
      { UC_INSTANCE_ID_FILE: join(dir, 'cloud', 'instance-id'), UC_LB_DIR: join(dir, 'lb') });
    this.lb.agentLogs.set(inst.instanceId, agent.output);
    this.instances.set(inst.instanceId, { instanceId: inst.instanceId, ns: node.ns, address: node.address, pids: [web.pid!, agent.pid!], launchedAt: Date.now() });
  }

  private async terminate(inst: EndpointInstance): Promise<void> {
    const t = this.instances.get(inst.instanceId);
    if (!t) return;
    t.terminatedAt = Date.now();
    for (const pid of t.pids) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }

  /** Waits until `instanceId`'s server is UP in the `web` backend of both load balancers. */
  async inBackend(instanceId: string, timeoutMs = 60_000): Promise<void> {
    await waitFor(`${instanceId} UP in both load balancers`, async () => {
      const s = (await this.hub.api('GET', '/api/clusters/shop/lb-status')).body;
      return s.nodes.length === 2 && s.nodes.every((n: { stale: boolean; servers: { server: string; status: string }[] }) => !n.stale && n.servers.some((x) => x.server === instanceId && x.status === 'UP'));
    }, timeoutMs).catch((e) => { throw new Error(`${e}\n${this.lb.logs()}`); });
  }

  /** The cluster's scaling view. */
  async scaling() {
    return (await this.hub.api('GET', '/api/clusters/shop/scaling')).body;
  }

  lbUrls(): string[] {
    return ['lb1', 'lb2'].map((n) => `http://${this.lb.net.node(n).address}/`);
  }

  async down(): Promise<void> {
    await this.lb.down();
    await this.aws.stop();
  }
}
