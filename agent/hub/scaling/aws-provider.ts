/**
 * An Auto Scaling group through `@aws-sdk/client-auto-scaling`. Credentials come from the SDK's
 * default provider chain unless the user pasted some (then they are given to the client and
 * nowhere else). The SDK retries throttling and transient errors itself (standard mode, 4
 * attempts); what still fails is a ProviderError with AWS's code and message, and the caller
 * changes nothing. `endpoint` (UC_AWS_ENDPOINT) is for tests: a local endpoint speaking the wire
 * protocol.
 */
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { AwsCredentials } from '../../protocol/types.js';

/** The SDK, loaded on first use: a hub that binds no group never pays for it. */
type Sdk = typeof import('@aws-sdk/client-auto-scaling');
let sdk: Promise<Sdk> | undefined;
const loadSdk = () => (sdk ??= import('@aws-sdk/client-auto-scaling'));

export interface GroupInstance { instanceId: string; lifecycle: string; health: string; protected: boolean }
export interface GroupInfo { name: string; min: number; max: number; desired: number; instances: GroupInstance[] }

/** Everything the hub asks of a group (a test or a demo may give another implementation). */
export interface ScalingProvider {
  describe(): Promise<GroupInfo>;
  setDesired(n: number): Promise<void>;
  /** Terminates one instance and lowers the desired capacity by one; returns AWS's description of the activity. */
  terminate(instanceId: string): Promise<string>;
  protect(instanceIds: string[], on: boolean): Promise<void>;
  /** The IAM permissions the credentials lack, found without changing anything. */
  missingPermissions(): Promise<string[]>;
  /** Frees the client's connections. */
  close?(): void;
}

/** An answer from AWS (or no answer) that the SDK's retries did not fix. */
export class ProviderError extends Error {
  constructor(readonly code: string, message: string, readonly permission?: string) {
    super(message);
  }
}

/** The permissions the binding needs, each with what it is for (README: the IAM policy). */
export const REQUIRED_PERMISSIONS = [
  'autoscaling:DescribeAutoScalingGroups',
  'autoscaling:DescribeAutoScalingInstances',
  'autoscaling:SetDesiredCapacity',
  'autoscaling:TerminateInstanceInAutoScalingGroup',
  'autoscaling:SetInstanceProtection',
] as const;

/** An instance id that cannot exist: AWS checks the permission before it looks the instance up. */
const NO_INSTANCE = 'i-00000000000000000';

export interface AwsProviderOptions {
  groupName: string;
  region: string;
  credentials?: AwsCredentials;
  endpoint?: string;
  maxAttempts?: number;
}

const isDenied = (e: unknown) => {
  const name = (e as { name?: string }).name ?? '';
  return name === 'AccessDenied' || name === 'AccessDeniedException' || name === 'UnauthorizedOperation';
};

export class AwsProvider implements ScalingProvider {
  private client?: AutoScalingClient;

  constructor(private readonly o: AwsProviderOptions) {}

  close(): void {
    this.client?.destroy();
  }

  /** Runs one call with the SDK; an error becomes a ProviderError naming the permission when it was denied. */
  private async call<T>(action: string, run: (client: AutoScalingClient, sdk: Sdk) => Promise<T>): Promise<T> {
    const mod = await loadSdk();
    this.client ??= new mod.AutoScalingClient({
      region: this.o.region,
      maxAttempts: this.o.maxAttempts ?? 4,
      retryMode: 'standard',
      ...(this.o.endpoint ? { endpoint: this.o.endpoint } : {}),
      ...(this.o.credentials ? { credentials: this.o.credentials } : {}),
    });
    try {
      return await run(this.client, mod);
    } catch (e) {
      const err = e as { name?: string; message?: string; $metadata?: { attempts?: number } };
      const name = err.name ?? 'Error';
      const attempts = err.$metadata?.attempts;
      const tried = attempts && attempts > 1 ? ` (after ${attempts} attempts)` : '';
      if (isDenied(e)) throw new ProviderError(name, `missing IAM permission autoscaling:${action}: ${err.message ?? ''}`.trim(), `autoscaling:${action}`);
      if (name === 'CredentialsProviderError') throw new ProviderError(name, `no AWS credentials: ${err.message ?? ''} (give them in the environment, ~/.aws, an instance role, or paste them)`);
      throw new ProviderError(name, `${action}: ${name}: ${err.message ?? 'no message'}${tried}`);
    }
  }

  async describe(): Promise<GroupInfo> {
    const out = await this.call('DescribeAutoScalingGroups', (c, m) => c.send(new m.DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.o.groupName] })));
    const g = out.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === this.o.groupName);
    if (!g) throw new ProviderError('NotFound', `no Auto Scaling group named '${this.o.groupName}' in ${this.o.region}`);
    return {
      name: this.o.groupName, min: g.MinSize ?? 0, max: g.MaxSize ?? 0, desired: g.DesiredCapacity ?? 0,
      instances: (g.Instances ?? []).map((i) => ({
        instanceId: i.InstanceId ?? '', lifecycle: i.LifecycleState ?? 'unknown', health: i.HealthStatus ?? 'unknown', protected: i.ProtectedFromScaleIn ?? false,
      })),
    };
  }

  async setDesired(n: number): Promise<void> {
    await this.call('SetDesiredCapacity', (c, m) => c.send(new m.SetDesiredCapacityCommand({ AutoScalingGroupName: this.o.groupName, DesiredCapacity: n, HonorCooldown: false })));
  }

  async terminate(instanceId: string): Promise<string> {
    const out = await this.call('TerminateInstanceInAutoScalingGroup', (c, m) => c.send(new m.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: instanceId, ShouldDecrementDesiredCapacity: true })));
    return out.Activity?.Cause ?? out.Activity?.Description ?? `terminating ${instanceId}`;
  }

  async protect(instanceIds: string[], on: boolean): Promise<void> {
    if (!instanceIds.length) return;
    await this.call('SetInstanceProtection', (c, m) => c.send(new m.SetInstanceProtectionCommand({ AutoScalingGroupName: this.o.groupName, InstanceIds: instanceIds, ProtectedFromScaleIn: on })));
  }

  /**
   * Probes each permission without changing anything: the reads; SetDesiredCapacity to the
   * group's current value; TerminateInstanceInAutoScalingGroup and SetInstanceProtection on an
   * instance id that cannot exist (refused as unknown when allowed, AccessDenied when not).
   */
  async missingPermissions(): Promise<string[]> {
    const missing: string[] = [];
    /** A denied call is a missing permission; a validation error means it was allowed. */
    const probe = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (e) {
        if (e instanceof ProviderError && e.permission) missing.push(e.permission);
        else if (!(e instanceof ProviderError && e.code === 'ValidationError')) throw e;
      }
    };
    let group: GroupInfo | undefined;
    await probe(async () => { group = await this.describe(); });
    await probe(() => this.call('DescribeAutoScalingInstances', (c, m) => c.send(new m.DescribeAutoScalingInstancesCommand({ MaxRecords: 1 }))));
    if (group) await probe(() => this.setDesired(group!.desired));
    else missing.push('autoscaling:SetDesiredCapacity (not probed: the group could not be read)');
    await probe(() => this.call('TerminateInstanceInAutoScalingGroup', (c, m) => c.send(new m.TerminateInstanceInAutoScalingGroupCommand({ InstanceId: NO_INSTANCE, ShouldDecrementDesiredCapacity: true }))));
    await probe(() => this.protect([NO_INSTANCE], false));
    return missing;
  }
}
