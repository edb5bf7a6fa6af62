/**
 * The one command that joins a node, and what it fetches. Pure: the hub's agent port serves the
 * scripts (http/join-endpoint.ts), the API and clusterctl show the command.
 *
 * The command fetches a small bootstrap script over the agent port with curl, which trusts only
 * the hub's own agent-port key (`--pinnedpubkey`, the SHA-256 of its public key; `-k` because
 * the hub's CA is not one the node knows), presenting the join token. The bootstrap fetches
 * install.sh and agent.mjs the same way and runs `install.sh agent`, which installs Node.js from
 * the distribution when it is missing; the agent then pins the hub's CA by the fingerprint the
 * token carries before it enrolls. Modelled on Netdata's kickstart and `kubeadm join`.
 */
import { isIP } from 'node:net';

/** A string as one single-quoted shell word. */
export const shellWord = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A host in a URL: IPv6 in brackets. */
const urlHost = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);

/** One address of this host that other machines may reach: its first non-internal IPv4, else IPv6. */
export function reachableAddress(interfaces: NodeJS.Dict<{ address: string; family: string | number; internal: boolean }[]>): string | undefined {
  const all = Object.values(interfaces).flatMap((list) => list ?? []).filter((a) => !a.internal);
  const v4 = all.find((a) => a.family === 'IPv4' || a.family === 4);
  const v6 = all.find((a) => (a.family === 'IPv6' || a.family === 6) && !a.address.startsWith('fe80:'));
  return (v4 ?? v6)?.address;
}

/**
 * The agent socket's URL as nodes reach it: AGENT_PUBLIC_URL when set; else AGENT_HOST, or,
 * when the port listens on every address, this host's first reachable address.
 */
export function publicAgentUrl(agentHost: string, agentPort: number, publicUrl: string | undefined, reachable: string | undefined): string {
  if (publicUrl) return publicUrl;
  const wildcard = agentHost === '' || agentHost === '0.0.0.0' || agentHost === '::';
  return `wss://${urlHost(wildcard ? reachable ?? agentHost : agentHost)}:${agentPort}/agent`;
}

/** Where a node fetches the bootstrap: the agent port, over HTTPS (wss://H:P/agent → https://H:P/join). */
export function joinUrl(agentUrl: string): string {
  const u = new URL(agentUrl);
  const base = u.pathname.replace(/\/agent\/?$/, '').replace(/\/$/, '');
  return `https://${u.host}${base}/join`;
}

/** A warning to show with the command when other machines cannot use it, else undefined. */
export function joinWarning(agentUrl: string): string | undefined {
  const host = new URL(agentUrl).hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '0.0.0.0' || host === '::';
  if (!loopback) return undefined;
  return `The hub's agent address is ${host}, which only this machine reaches: the command works on no other node. `
    + 'Make the agent port listen on an address the nodes reach (AGENT_HOST, or Module Config → "Address agents connect to") '
    + 'and, behind NAT, set the address they dial (AGENT_PUBLIC_URL), then restart the hub and make a new token.';
}

/** The one line an admin runs, as root, on a new node (`id`: the server a re-enroll token is for). */
export function installCommand(agentUrl: string, pin: string, token: string, id?: string): string {
  return `curl -sS --pinnedpubkey ${shellWord(pin)} -k -H ${shellWord(`Authorization: Bearer ${token}`)} ${shellWord(joinUrl(agentUrl))} | sh${id ? ` -s -- --id ${shellWord(id)}` : ''}`;
}

/**
 * The bootstrap the hub serves to a holder of a valid join token: fetch install.sh and the agent
 * through the same pinned channel, then install and enroll. Arguments given to it
 * (`| sh -s -- --id NAME`) go to `install.sh agent`.
 */
export function bootstrapScript(o: { agentUrl: string; pin: string; token: string }): string {
  return `#!/bin/sh
# Unlimited Cluster: joins this node to the hub at ${o.agentUrl.replace(/[\r\n]/g, '')}
# (served by the hub to the holder of a join token; run as root).
set -eu
hub=${shellWord(o.agentUrl)}
join=${shellWord(joinUrl(o.agentUrl))}
pin=${shellWord(o.pin)}
token=${shellWord(o.token)}
[ "$(id -u)" -eq 0 ] || { echo "unlimited-cluster: run this as root (… | sudo sh)" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The token goes in a root-only file, not on curl's command line.
printf 'Authorization: Bearer %s\\n' "$token" >"$dir/auth"
for f in install.sh agent.mjs; do
  curl -sSf --pinnedpubkey "$pin" -k -H @"$dir/auth" -o "$dir/$f" "$join/$f" \\
    || { echo "unlimited-cluster: could not fetch $f from the hub" >&2; exit 1; }
done
UC_JOIN_TOKEN="$token" sh "$dir/install.sh" agent --hub "$hub" "$@"
`;
}

/** What the hub answers a refused bootstrap request with: a script that says why and fails. */
export function refusalScript(message: string): string {
  return `#!/bin/sh\necho ${shellWord(`unlimited-cluster: ${message}`)} >&2\nexit 1\n`;
}
