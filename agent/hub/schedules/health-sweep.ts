/**
 * The health sweep (pure): every server's status, silent agents, load balancers whose report went
 * stale, and per bound group the instances no agent reported (launched but never joined) and the
 * scaling errors. The job refreshes each bound group first.
 */
import type { ScalingView, ServerStatus, State } from '../../protocol/types.js';

export function healthSummary(state: Pick<State, 'servers'>, status: (id: string) => ServerStatus, scaling: readonly ScalingView[]): { problems: string[]; summary: string } {
  const by = new Map<ServerStatus, string[]>();
  for (const s of state.servers) {
    const st = status(s.id);
    by.set(st, [...(by.get(st) ?? []), s.id]);
  }
  const problems: string[] = [];
  const inactive = by.get('inactive') ?? [];
  if (inactive.length) problems.push(`${inactive.length} inactive: ${inactive.slice(0, 10).join(', ')}${inactive.length > 10 ? ' …' : ''}`);
  const warning = by.get('warning') ?? [];
  if (warning.length) problems.push(`${warning.length} over a threshold: ${warning.slice(0, 10).join(', ')}${warning.length > 10 ? ' …' : ''}`);
  for (const v of scaling) {
    if (!v.binding) continue;
    if (v.error) problems.push(`${v.cluster}: the group cannot be read: ${v.error}`);
    const orphans = (v.group?.instances ?? []).filter((i) => !i.serverId && i.lifecycle === 'InService').map((i) => i.instanceId);
    if (orphans.length) problems.push(`${v.cluster}: ${orphans.length} instance(s) in service without an agent: ${orphans.join(', ')}`);
  }
  const counts = (['active', 'warning', 'inactive', 'unknown'] as const).map((s) => `${by.get(s)?.length ?? 0} ${s}`).join(', ');
  const summary = `${state.servers.length} server${state.servers.length === 1 ? '' : 's'} (${counts})${problems.length ? `; ${problems.length} problem(s): ${problems.join('; ')}` : '; no problems'}`;
  return { problems, summary };
}
