import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { bootstrapScript, installCommand, joinUrl, joinWarning, publicAgentUrl, reachableAddress, refusalScript, shellWord } from './join-command.js';

const PIN = 'sha256//TLrgKfiCW+nKcvgq/dRd38B3Yy7msdIhI2wK7/fmdlM=';
const TOKEN = 'uc1.41d9bc523056.g5blFh0iHGS0HrPfZ_bzh2H1WisliEuPrYRxEW2avYM.2ee492b7';
const sh = (script: string, ...args: string[]) => spawnSync('sh', ['-c', script, 'sh', ...args], { encoding: 'utf8' });

describe('the agent address nodes dial', () => {
  it('is AGENT_PUBLIC_URL when set, else AGENT_HOST, else this host\'s reachable address', () => {
    expect(publicAgentUrl('0.0.0.0', 10443, 'wss://hub.example.net:443/agent', '10.0.0.5')).toBe('wss://hub.example.net:443/agent');
    expect(publicAgentUrl('192.0.2.7', 10443, undefined, '10.0.0.5')).toBe('wss://192.0.2.7:10443/agent');
    expect(publicAgentUrl('0.0.0.0', 10443, undefined, '10.0.0.5')).toBe('wss://10.0.0.5:10443/agent');
    expect(publicAgentUrl('::', 10443, undefined, 'fd00::5')).toBe('wss://[fd00::5]:10443/agent');
    expect(publicAgentUrl('0.0.0.0', 10443, undefined, undefined)).toBe('wss://0.0.0.0:10443/agent');
  });

  it('prefers an IPv4 address that is not loopback or link-local', () => {
    expect(reachableAddress({
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
      eth0: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '2001:db8::5', family: 'IPv6', internal: false }],
      eth1: [{ address: '10.0.0.5', family: 'IPv4', internal: false }],
    })).toBe('10.0.0.5');
    expect(reachableAddress({ eth0: [{ address: 'fe80::1', family: 'IPv6', internal: false }, { address: '2001:db8::5', family: 'IPv6', internal: false }] })).toBe('2001:db8::5');
    expect(reachableAddress({ lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }] })).toBeUndefined();
  });

  it('warns when only this machine can reach it', () => {
    for (const url of ['wss://127.0.0.1:10443/agent', 'wss://localhost:1/agent', 'wss://[::1]:1/agent', 'wss://0.0.0.0:1/agent']) {
      expect(joinWarning(url), url).toMatch(/only this machine reaches: the command works on no other node.*AGENT_HOST/);
    }
    expect(joinWarning('wss://10.0.0.5:10443/agent')).toBeUndefined();
    expect(joinWarning('wss://hub.example.net/agent')).toBeUndefined();
  });
});

describe('the join command', () => {
  it('fetches the bootstrap from the agent port, pinned to its key, with the token', () => {
    expect(joinUrl('wss://10.0.0.5:10443/agent')).toBe('https://10.0.0.5:10443/join');
    expect(joinUrl('wss://hub.example.net/uc/agent')).toBe('https://hub.example.net/uc/join');
    expect(installCommand('wss://10.0.0.5:10443/agent', PIN, TOKEN))
      .toBe(`curl -sS --pinnedpubkey '${PIN}' -k -H 'Authorization: Bearer ${TOKEN}' 'https://10.0.0.5:10443/join' | sh`);
  });

  it('quotes every value as one shell word', () => {
    expect(sh(`printf %s ${shellWord("it's $HOME `id`")}`).stdout).toBe("it's $HOME `id`");
  });

  it('serves a bootstrap that is valid sh and passes its arguments on to install.sh', () => {
    const script = bootstrapScript({ agentUrl: "wss://10.0.0.5:10443/agent", pin: PIN, token: TOKEN });
    expect(sh(`printf %s "$1" | sh -n`, script).status).toBe(0);
    expect(script).toContain(`token='${TOKEN}'`);
    expect(script).toMatch(/sh "\$dir\/install\.sh" agent --hub "\$hub" "\$@"\n$/);
    expect(script).not.toMatch(/curl [^\n]*\$token/); // the token never goes on curl's command line
  });

  it('answers a refusal with a script that says why and fails', () => {
    const r = sh(refusalScript("the hub's token is 'spent'"));
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("unlimited-cluster: the hub's token is 'spent'\n");
  });
});
