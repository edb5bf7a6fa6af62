/**
 * What it takes to go from one haproxy.cfg to another: nothing, runtime API steps (servers
 * added, drained and removed, weights, maintenance) or a reload. Runtime only when the files
 * differ in backend `server` lines alone and each kept server keeps its address and checks.
 */

export type RuntimeOp =
  | { op: 'add'; backend: string; server: string; args: string; weight: number; disabled: boolean }
  | { op: 'weight'; backend: string; server: string; weight: number }
  | { op: 'state'; backend: string; server: string; state: 'ready' | 'maint' }
  | { op: 'remove'; backend: string; server: string };

export type HaproxyChange = { change: 'none' } | { change: 'reload' } | { change: 'runtime'; ops: RuntimeOp[] };

interface ParsedServer { args: string; shape: string; weight: number; disabled: boolean }

interface Parsed {
  /** The file without backend server lines. */
  skeleton: string;
  /** backend → server name → parsed line, in file order. */
  servers: Map<string, Map<string, ParsedServer>>;
}

const SERVER_LINE = /^\s+server\s+(\S+)\s+(.*)$/;

export function parseHaproxy(text: string): Parsed {
  const skeleton: string[] = [];
  const servers = new Map<string, Map<string, ParsedServer>>();
  let backend: string | null = null;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      const [kw, name] = line.trim().split(/\s+/);
      backend = kw === 'backend' && name ? name : null;
      if (backend) servers.set(backend, new Map());
    }
    const m = backend ? SERVER_LINE.exec(line) : null;
    if (!m || !backend) {
      skeleton.push(line);
      continue;
    }
    const args = m[2]!.trim();
    const tokens = args.split(/\s+/);
    const w = tokens.indexOf('weight');
    const weight = w >= 0 ? Number(tokens[w + 1]) : 1;
    const disabled = tokens.includes('disabled');
    // Everything but weight and disabled: a change there needs a reload.
    const shape = tokens.filter((t, i) => t !== 'disabled' && i !== w && i !== w + 1).join(' ');
    servers.get(backend)!.set(m[1]!, { args, shape, weight, disabled });
  }
  return { skeleton: skeleton.join('\n'), servers };
}

export function planHaproxy(before: string, after: string): HaproxyChange {
  if (before === after) return { change: 'none' };
  const a = parseHaproxy(before);
  const b = parseHaproxy(after);
  if (a.skeleton !== b.skeleton) return { change: 'reload' };
  const ops: RuntimeOp[] = [];
  for (const [backend, next] of b.servers) {
    const prev = a.servers.get(backend)!;
    for (const [server, s] of next) {
      const old = prev.get(server);
      if (!old) {
        // HAProxy 2.6 refuses `cookie` on a server added at runtime: sticky cookies take a reload.
        if (/(^|\s)cookie\s/.test(s.args)) return { change: 'reload' };
        ops.push({ op: 'add', backend, server, args: s.args, weight: s.weight, disabled: s.disabled });
        continue;
      }
      if (old.shape !== s.shape) return { change: 'reload' };
      if (old.weight !== s.weight) ops.push({ op: 'weight', backend, server, weight: s.weight });
      if (old.disabled !== s.disabled) ops.push({ op: 'state', backend, server, state: s.disabled ? 'maint' : 'ready' });
    }
    for (const server of prev.keys()) if (!next.has(server)) ops.push({ op: 'remove', backend, server });
  }
  // Same skeleton and servers, different bytes (e.g. only the server order): rewrite, no reload.
  return { change: 'runtime', ops };
}

/** One line per step, as the plan shows it. */
export function describeOp(o: RuntimeOp): string {
  const at = `${o.backend}/${o.server}`;
  switch (o.op) {
    case 'add': return `add server ${at} ${o.args.split(' ')[0]} weight ${o.weight}${o.disabled ? ' (maintenance)' : ''}`;
    case 'weight': return o.weight === 0 ? `drain ${at} (weight 0)` : `set weight of ${at} to ${o.weight}`;
    case 'state': return `set ${at} to ${o.state === 'maint' ? 'maintenance' : 'ready'}`;
    case 'remove': return `drain ${at}, then remove it`;
  }
}
