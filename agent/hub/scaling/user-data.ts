/**
 * The user-data snippet an Auto Scaling group's launch template runs on each new instance: the
 * one-line agent install with a cluster-bound, expiring, multi-use join token. One small function,
 * so the install line can change (e.g. to a join served by the hub) without touching anything else.
 */

/** Where the AMI carries the release (install.sh and agent.mjs): README "AWS binding". */
export const RELEASE_DIR = '/opt/unlimited-cluster-release';

/** Today's install command for a node, as a launch template runs it. */
export const installShCommand = (agentUrl: string, token: string) => `${RELEASE_DIR}/install.sh agent --hub ${agentUrl} --token ${token}`;

export function userDataSnippet(o: { cluster: string; installCommand: string; expiresAt: string; uses: number }): string {
  return [
    '#!/bin/sh',
    `# Unlimited Cluster: each instance joins cluster ${o.cluster} (token good for ${o.uses} instances until ${o.expiresAt}).`,
    '# The agent reads its instance id from cloud-init (/var/lib/cloud/data/instance-id).',
    'set -e',
    o.installCommand,
    '',
  ].join('\n');
}
