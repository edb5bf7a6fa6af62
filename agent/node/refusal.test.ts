import { describe, expect, it } from 'vitest';
import { fatalRefusal } from './refusal.js';

const enrolling = { enrolling: true, serverId: 'web1', stateFile: '/var/lib/unlimited-cluster/agent.json' };
const enrolled = { ...enrolling, enrolling: false };

describe('fatalRefusal', () => {
  it('stops a clone whose host name is taken, saying how to pick an id', () => {
    const why = fatalRefusal({ code: 'conflict', message: "an agent is already enrolled as 'web1': revoke it first, or enroll with another --id" }, enrolling);
    expect(why).toMatch(/refused to enroll this node as 'web1': an agent is already enrolled/);
    expect(why).toMatch(/same host name .*--id NAME \(or UC_SERVER_ID=NAME\)/);
  });

  it('stops on a refused join token, saying where to get a new one', () => {
    expect(fatalRefusal({ code: 'unauthorized', message: 'invalid, expired or used-up join token' }, enrolling))
      .toMatch(/refused the join token \(invalid, expired or used-up join token\).*clusterctl tokens create/);
  });

  it('stops on a revoked credential, saying how to enroll again', () => {
    expect(fatalRefusal({ code: 'unauthorized', message: 'unknown or revoked agent credential' }, enrolled))
      .toMatch(/no longer accepts this agent's credential for 'web1'.*remove \/var\/lib\/unlimited-cluster\/agent\.json.*new join token/);
  });

  it('stops when another machine uses the same identity', () => {
    expect(fatalRefusal({ code: 'replaced', message: 'replaced' }, enrolled)).toMatch(/another agent connected as 'web1'.*clone/);
  });

  it('keeps retrying anything a retry can cure', () => {
    for (const code of ['timeout', 'internal', 'invalid_message', 'rate_limited']) {
      expect(fatalRefusal({ code, message: 'x' }, enrolling), code).toBeUndefined();
      expect(fatalRefusal({ code, message: 'x' }, enrolled), code).toBeUndefined();
    }
    expect(fatalRefusal({ code: 'conflict', message: 'x' }, enrolled)).toBeUndefined();
  });
});
