import { describe, expect, it } from 'vitest';
import { localAgentUrl } from './local-agent.js';

describe('localAgentUrl', () => {
  it('dials loopback when the agent port listens on every address', () => {
    expect(localAgentUrl('0.0.0.0', 10443)).toBe('wss://127.0.0.1:10443/agent');
    expect(localAgentUrl('', 10443)).toBe('wss://127.0.0.1:10443/agent');
    expect(localAgentUrl('::', 10443)).toBe('wss://[::1]:10443/agent');
    expect(localAgentUrl('[::]', 10443)).toBe('wss://[::1]:10443/agent');
  });

  it('dials the one address the agent port listens on', () => {
    expect(localAgentUrl('127.0.0.1', 1)).toBe('wss://127.0.0.1:1/agent');
    expect(localAgentUrl('10.1.2.3', 10443)).toBe('wss://10.1.2.3:10443/agent');
    expect(localAgentUrl('fd00::5', 10443)).toBe('wss://[fd00::5]:10443/agent');
    expect(localAgentUrl('hub.example.net', 10443)).toBe('wss://hub.example.net:10443/agent');
  });
});
