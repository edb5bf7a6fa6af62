/**
 * A local Auto Scaling endpoint for tests and benches, speaking the real wire protocol: the Query
 * protocol (POST of form-encoded `Action=…&Version=2011-01-01`), XML answers and XML errors in
 * AWS's format, every request's SigV4 signature verified with the test's credentials (a bad one is
 * refused). It serves DescribeAutoScalingGroups, DescribeAutoScalingInstances, SetDesiredCapacity,
 * TerminateInstanceInAutoScalingGroup and SetInstanceProtection with AWS's validation rules, and
 * lets a test deny an action (AccessDenied, as a missing IAM permission), throttle it or fail it.
 * "Instances" are whatever the test's `launch` hook starts (an agent in a network namespace)
 * when the desired capacity grows; `terminate` stops one.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';
const ACCOUNT = '123456789012';

export interface TestCredentials { accessKeyId: string; secretAccessKey: string; sessionToken?: string }

export interface EndpointInstance {
  instanceId: string;
  lifecycle: 'Pending' | 'InService' | 'Terminating';
  health: 'Healthy' | 'Unhealthy';
  protected: boolean;
  launchedAt: number;
}

export interface EndpointGroup {
  name: string;
  min: number;
  max: number;
  desired: number;
  /** What the launch template gives each instance (the hub's user-data snippet). */
  userData: string;
  instances: EndpointInstance[];
}

export interface Call { action: string; at: number; params: Record<string, string>; status: number; code?: string }

export interface EndpointOptions {
  region: string;
  credentials: TestCredentials[];
  /** Starts an instance (resolves once it is started; its agent enrolls on its own). */
  launch?(group: EndpointGroup, instance: EndpointInstance): Promise<void> | void;
  /** Stops an instance. */
  terminate?(group: EndpointGroup, instance: EndpointInstance): Promise<void> | void;
}

class AwsError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly type: 'Sender' | 'Receiver' = 'Sender') {
    super(message);
  }
}

const esc = (s: string) => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
/** RFC 3986 encoding, as SigV4 wants it. */
const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export class AutoScalingEndpoint {
  readonly groups = new Map<string, EndpointGroup>();
  readonly calls: Call[] = [];
  private server: Server = createServer((req, res) => void this.handle(req, res));
  private denied = new Set<string>();
  private faults: { action: string; left: number; error: AwsError }[] = [];
  private launches: Promise<void>[] = [];
  url = '';

  constructor(private readonly o: EndpointOptions) {}

  async start(): Promise<string> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.launches);
    await new Promise((r) => { this.server.close(r); this.server.closeAllConnections(); });
  }

  /** A group with `desired` instances: the `instances` given (already running), then as many launched as are missing. */
  async createGroup(g: { name: string; min: number; max: number; desired: number; userData?: string; instances?: string[] }): Promise<EndpointGroup> {
    const { instances = [], ...rest } = g;
    const group: EndpointGroup = {
      ...rest, userData: g.userData ?? '',
      instances: instances.map((instanceId) => ({ instanceId, lifecycle: 'InService', health: 'Healthy', protected: false, launchedAt: Date.now() })),
    };
    this.groups.set(g.name, group);
    await this.reconcile(group);
    return group;
  }

  /** Refuses `action` as a missing IAM permission would (or allows it again). */
  deny(action: string, denied = true): void {
    if (denied) this.denied.add(action);
    else this.denied.delete(action);
  }

  /** The next `times` calls of `action` get Throttling (400), as AWS's rate limit answers. */
  throttle(action: string, times: number): void {
    this.faults.push({ action, left: times, error: new AwsError(400, 'Throttling', 'Rate exceeded') });
  }

  /** The next `times` calls of `action` fail with `code`. */
  fail(action: string, times: number, code: string, message: string, status = 400): void {
    this.faults.push({ action, left: times, error: new AwsError(status, code, message, status >= 500 ? 'Receiver' : 'Sender') });
  }

  clearFaults(): void {
    this.faults = [];
  }

  callsOf(action: string, ok?: boolean): Call[] {
    return this.calls.filter((c) => c.action === action && (ok === undefined || (c.status === 200) === ok));
  }

  /** Resolves once every launch started so far has finished. */
  async settled(): Promise<void> {
    await Promise.allSettled(this.launches);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const params = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    const action = params['Action'] ?? '';
    const requestId = randomBytes(16).toString('hex').replace(/(.{8})(.{4})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5');
    const call: Call = { action, at: Date.now(), params, status: 200 };
    this.calls.push(call);
    try {
      if (req.method !== 'POST') throw new AwsError(400, 'InvalidAction', `${req.method} is not supported: the Query protocol uses POST`);
      this.verifySignature(req, body);
      if (params['Version'] !== '2011-01-01') throw new AwsError(400, 'InvalidParameterValue', `Version ${params['Version'] ?? '(none)'} is not supported`);
      if (this.denied.has(action)) {
        throw new AwsError(403, 'AccessDenied', `User: arn:aws:iam::${ACCOUNT}:user/uc-test is not authorized to perform: autoscaling:${action} because no identity-based policy allows the autoscaling:${action} action`);
      }
      const fault = this.faults.find((f) => f.action === action && f.left > 0);
      if (fault) {
        fault.left--;
        throw fault.error;
      }
      const result = await this.act(action, params);
      res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(`<?xml version="1.0"?>\n<${action}Response xmlns="${NS}">${result === null ? '' : `<${action}Result>${result}</${action}Result>`}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`);
    } catch (e) {
      const err = e instanceof AwsError ? e : new AwsError(500, 'InternalFailure', (e as Error).message, 'Receiver');
      call.status = err.status;
      call.code = err.code;
      res.writeHead(err.status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
      res.end(`<?xml version="1.0"?>\n<ErrorResponse xmlns="${NS}"><Error><Type>${err.type}</Type><Code>${err.code}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`);
    }
  }

  /** SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), checked in full. */
  private verifySignature(req: IncomingMessage, body: Buffer): void {
    const auth = req.headers.authorization ?? '';
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) throw new AwsError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
    const [, keyId, day, region, service, signedHeaders, signature] = m as unknown as [string, string, string, string, string, string, string];
    const creds = this.o.credentials.find((c) => c.accessKeyId === keyId);
    if (!creds) throw new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (region !== this.o.region || service !== 'autoscaling') throw new AwsError(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region and service 'autoscaling' in '${this.o.region}', not '${region}/${service}'.`);
    const amzDate = String(req.headers['x-amz-date'] ?? '');
    const when = Date.parse(amzDate.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!when || !amzDate.startsWith(day) || Math.abs(Date.now() - when) > 15 * 60_000) throw new AwsError(403, 'SignatureDoesNotMatch', 'Signature expired or the date is invalid');
    if (creds.sessionToken && req.headers['x-amz-security-token'] !== creds.sessionToken) throw new AwsError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    const names = signedHeaders.split(';');
    if (!names.includes('host')) throw new AwsError(403, 'SignatureDoesNotMatch', 'the host header must be signed');
    const payloadHash = sha256(body);
    const declared = req.headers['x-amz-content-sha256'];
    if (declared !== undefined && declared !== payloadHash) throw new AwsError(403, 'SignatureDoesNotMatch', 'The provided x-amz-content-sha256 header does not match what was computed.');
    const url = new URL(req.url ?? '/', 'http://local');
    const query = [...url.searchParams].map(([k, v]) => `${uriEncode(k)}=${uriEncode(v)}`).sort().join('&');
    const headers = names.map((n) => `${n}:${String(req.headers[n] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonical = [req.method, url.pathname.split('/').map(uriEncode).join('/') || '/', query, headers, signedHeaders, payloadHash].join('\n');
    const scope = `${day}/${region}/${service}/aws4_request`;
    const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
    const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, day), region), service), 'aws4_request');
    const expected = Buffer.from(hmac(key, toSign).toString('hex'));
    if (!timingSafeEqual(expected, Buffer.from(signature))) {
      throw new AwsError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
    }
  }

  private group(name: string | undefined): EndpointGroup {
    const g = name ? this.groups.get(name) : undefined;
    if (!g) throw new AwsError(400, 'ValidationError', `AutoScalingGroup name not found - AutoScalingGroup '${name ?? ''}' not found`);
    return g;
  }

  private members(params: Record<string, string>, prefix: string): string[] {
    const out: string[] = [];
    for (let i = 1; params[`${prefix}.member.${i}`] !== undefined; i++) out.push(params[`${prefix}.member.${i}`]!);
    return out;
  }

  private async act(action: string, p: Record<string, string>): Promise<string | null> {
    switch (action) {
      case 'DescribeAutoScalingGroups': {
        const names = this.members(p, 'AutoScalingGroupNames');
        const groups = [...this.groups.values()].filter((g) => !names.length || names.includes(g.name));
        return `<AutoScalingGroups>${groups.map((g) => `<member>${groupXml(g, this.o.region)}</member>`).join('')}</AutoScalingGroups>`;
      }
      case 'DescribeAutoScalingInstances': {
        const ids = this.members(p, 'InstanceIds');
        const rows = [...this.groups.values()].flatMap((g) => g.instances.filter((i) => !ids.length || ids.includes(i.instanceId)).map((i) =>
          `<member><AutoScalingGroupName>${esc(g.name)}</AutoScalingGroupName>${instanceXml(i)}</member>`));
        return `<AutoScalingInstances>${rows.join('')}</AutoScalingInstances>`;
      }
      case 'SetDesiredCapacity': {
        const g = this.group(p['AutoScalingGroupName']);
        const n = Number(p['DesiredCapacity']);
        if (!Number.isInteger(n) || n < 0) throw new AwsError(400, 'ValidationError', `DesiredCapacity must be a non-negative integer`);
        if (n > g.max) throw new AwsError(400, 'ValidationError', `New SetDesiredCapacity value ${n} is above max value ${g.max} for the AutoScalingGroup.`);
        if (n < g.min) throw new AwsError(400, 'ValidationError', `New SetDesiredCapacity value ${n} is below min value ${g.min} for the AutoScalingGroup.`);
        g.desired = n;
        await this.reconcile(g);
        return null;
      }
      case 'TerminateInstanceInAutoScalingGroup': {
        const id = p['InstanceId'] ?? '';
        const decrement = p['ShouldDecrementDesiredCapacity'] === 'true';
        const g = [...this.groups.values()].find((x) => x.instances.some((i) => i.instanceId === id));
        const inst = g?.instances.find((i) => i.instanceId === id);
        if (!g || !inst || inst.lifecycle === 'Terminating') throw new AwsError(400, 'ValidationError', `Instance Id not found - No managed instance found for instance ID: ${id}`);
        if (decrement && g.desired <= g.min) {
          throw new AwsError(400, 'ValidationError', `Currently, desiredCapacity (${g.desired}) and minSize (${g.min}) are equal. Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`);
        }
        if (decrement) g.desired--;
        inst.lifecycle = 'Terminating';
        void Promise.resolve(this.o.terminate?.(g, inst)).finally(() => {
          g.instances = g.instances.filter((i) => i !== inst);
          if (!decrement) void this.reconcile(g);
        });
        const activity = randomBytes(16).toString('hex');
        return `<Activity><ActivityId>${activity}</ActivityId><AutoScalingGroupName>${esc(g.name)}</AutoScalingGroupName><Description>Terminating EC2 instance: ${id}</Description><Cause>At ${new Date().toISOString()} instance ${id} was taken out of service in response to a user request${decrement ? ', shrinking the capacity from ' + (g.desired + 1) + ' to ' + g.desired : ''}.</Cause><StartTime>${new Date().toISOString()}</StartTime><StatusCode>InProgress</StatusCode><Progress>0</Progress></Activity>`;
      }
      case 'SetInstanceProtection': {
        const g = this.group(p['AutoScalingGroupName']);
        const ids = this.members(p, 'InstanceIds');
        if (!ids.length) throw new AwsError(400, 'ValidationError', '1 validation error detected: Value null at \'instanceIds\' failed to satisfy constraint: Member must not be null');
        const missing = ids.find((id) => !g.instances.some((i) => i.instanceId === id));
        if (missing) throw new AwsError(400, 'ValidationError', `The instance ${missing} is not part of Auto Scaling group ${g.name}.`);
        for (const i of g.instances) if (ids.includes(i.instanceId)) i.protected = p['ProtectedFromScaleIn'] === 'true';
        return '';
      }
      default:
        throw new AwsError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
    }
  }

  /** Launches instances up to the desired capacity (the group's own scale-in is never used by the hub). */
  private async reconcile(g: EndpointGroup): Promise<void> {
    const live = g.instances.filter((i) => i.lifecycle !== 'Terminating');
    for (let k = live.length; k < g.desired; k++) {
      const inst: EndpointInstance = { instanceId: `i-${randomBytes(9).toString('hex').slice(0, 17)}`, lifecycle: 'Pending', health: 'Healthy', protected: false, launchedAt: Date.now() };
      g.instances.push(inst);
      const started = Promise.resolve(this.o.launch?.(g, inst)).then(() => { inst.lifecycle = 'InService'; }, () => { inst.health = 'Unhealthy'; });
      this.launches.push(started);
    }
  }
}

function instanceXml(i: EndpointInstance): string {
  return `<InstanceId>${i.instanceId}</InstanceId><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>${i.lifecycle}</LifecycleState><HealthStatus>${i.health}</HealthStatus><ProtectedFromScaleIn>${i.protected}</ProtectedFromScaleIn><InstanceType>t3.micro</InstanceType>`;
}

function groupXml(g: EndpointGroup, region: string): string {
  return `<AutoScalingGroupName>${esc(g.name)}</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:${region}:${ACCOUNT}:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/${esc(g.name)}</AutoScalingGroupARN>`
    + `<MinSize>${g.min}</MinSize><MaxSize>${g.max}</MaxSize><DesiredCapacity>${g.desired}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown>`
    + `<AvailabilityZones><member>us-east-1a</member></AvailabilityZones><HealthCheckType>EC2</HealthCheckType><HealthCheckGracePeriod>300</HealthCheckGracePeriod>`
    + `<CreatedTime>2026-01-01T00:00:00.000Z</CreatedTime><Instances>${g.instances.map((i) => `<member>${instanceXml(i)}</member>`).join('')}</Instances>`
    + '<NewInstancesProtectedFromScaleIn>false</NewInstancesProtectedFromScaleIn>';
}
