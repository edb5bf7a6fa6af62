/**
 * The provider against the local endpoint: the real SDK over HTTP, SigV4 checked by the endpoint,
 * AWS's XML answers and errors, the SDK's retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingEndpoint } from '../../test/aws-autoscaling-endpoint.js';
import { AwsProvider, ProviderError } from './aws-provider.js';

const creds = { accessKeyId: 'AKIAUCTESTKEY0000001', secretAccessKey: 'test-secret-key-0000000000000000000000' };
const ep = new AutoScalingEndpoint({ region: 'eu-west-1', credentials: [creds] });
const provider = (o: Partial<ConstructorParameters<typeof AwsProvider>[0]> = {}) =>
  new AwsProvider({ groupName: 'web-asg', region: 'eu-west-1', credentials: creds, endpoint: ep.url, ...o });

beforeAll(async () => {
  await ep.start();
  await ep.createGroup({ name: 'web-asg', min: 1, max: 4, desired: 2 });
});
afterAll(() => ep.stop());

describe('AwsProvider against the local Auto Scaling endpoint', () => {
  it('describes the group, sets the desired capacity, protects and terminates an instance', async () => {
    const p = provider();
    const g = await p.describe();
    expect(g).toMatchObject({ name: 'web-asg', min: 1, max: 4, desired: 2 });
    expect(g.instances).toHaveLength(2);
    expect(g.instances[0]!.instanceId).toMatch(/^i-[0-9a-f]{17}$/);
    await p.setDesired(3);
    expect((await p.describe()).instances).toHaveLength(3);
    const [a] = (await p.describe()).instances;
    await p.protect([a!.instanceId], true);
    expect((await p.describe()).instances.find((i) => i.instanceId === a!.instanceId)?.protected).toBe(true);
    expect(await p.terminate(a!.instanceId)).toMatch(/shrinking the capacity from 3 to 2/);
    expect((await p.describe()).desired).toBe(2);
    expect(await p.missingPermissions()).toEqual([]);
    p.close();
  });

  it('says which group is missing, and what AWS refused', async () => {
    await expect(provider({ groupName: 'nope' }).describe()).rejects.toThrow("no Auto Scaling group named 'nope' in eu-west-1");
    await expect(provider().setDesired(9)).rejects.toThrow('SetDesiredCapacity: ValidationError: New SetDesiredCapacity value 9 is above max value 4 for the AutoScalingGroup.');
  });

  it('is refused with a wrong secret (the endpoint checks the SigV4 signature) or an unknown key', async () => {
    await expect(provider({ credentials: { ...creds, secretAccessKey: 'wrong-secret-key-000000000000000000000' } }).describe()).rejects.toMatchObject({ code: 'SignatureDoesNotMatch' });
    await expect(provider({ credentials: { ...creds, accessKeyId: 'AKIAUNKNOWN000000000' } }).describe()).rejects.toMatchObject({ code: 'InvalidClientTokenId' });
    expect(ep.calls.filter((c) => c.code === 'SignatureDoesNotMatch').length).toBeGreaterThan(0);
  });

  it('lists the IAM permissions it lacks, changing nothing', async () => {
    ep.deny('SetDesiredCapacity');
    ep.deny('TerminateInstanceInAutoScalingGroup');
    const before = structuredClone(ep.groups.get('web-asg')!.instances);
    try {
      expect(await provider().missingPermissions()).toEqual(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup']);
      await expect(provider().setDesired(3)).rejects.toMatchObject({ permission: 'autoscaling:SetDesiredCapacity', message: expect.stringMatching(/^missing IAM permission autoscaling:SetDesiredCapacity: User: .* is not authorized/) });
    } finally {
      ep.deny('SetDesiredCapacity', false);
      ep.deny('TerminateInstanceInAutoScalingGroup', false);
    }
    expect(ep.groups.get('web-asg')!.instances).toEqual(before);
  });

  it('retries throttling (the SDK does), and reports it once the attempts run out, with nothing applied', async () => {
    const p = provider();
    const calls = () => ep.callsOf('SetDesiredCapacity').length;
    const before = calls();
    ep.throttle('SetDesiredCapacity', 2);
    await p.setDesired(3);
    expect(calls() - before).toBe(3);
    expect(ep.groups.get('web-asg')!.desired).toBe(3);
    ep.throttle('SetDesiredCapacity', 10);
    const err = await p.setDesired(4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProviderError);
    expect((err as ProviderError).message).toMatch(/SetDesiredCapacity: Throttling: Rate exceeded \(after 4 attempts\)/);
    expect(ep.groups.get('web-asg')!.desired).toBe(3);
    ep.clearFaults();
  });
});
