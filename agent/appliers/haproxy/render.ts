/**
 * haproxy.cfg from a node's desired state. Deterministic (same input, same bytes) so that a
 * re-apply is a no-op. Every server line carries its own check settings, weight and state:
 * servers added at runtime do not inherit `default-server`, and the file must say exactly what
 * the runtime API did so a later reload keeps it (see DAEMONS.md).
 */
import { DISABLED_BACKEND } from '../../protocol/lb.js';
import type { DesiredBackend, DesiredServer, HaproxyDesired } from '../../protocol/types.js';

export interface HaproxyRenderPaths {
  /** The admin stats socket the runtime API uses. */
  statsSocket: string;
  /** The host map of an http frontend (host-maps.ts). */
  hostMap(frontend: string): string;
}

/**
 * What a disabled virtual server's names answer, for every path, with status 200: as Virtualmin's
 * own web feature does (an AliasMatch of every path to its disabled page). No double quotes: it is
 * a quoted string in haproxy.cfg.
 */
export const DISABLED_PAGE = '<!DOCTYPE html><html><head><meta charset=utf-8><title>Website disabled</title></head>' +
  '<body><h1>Website disabled</h1><p>This website has been disabled by its administrator.</p></body></html>';

export const MANAGED_MARK = '# Managed by Unlimited Cluster';

/** `inter 1s fall 2 rise 2` by default: a dead server leaves in ~2 s; retries and redispatch hide the gap. */
export const CHECK_OPTIONS = 'check inter 1s fall 2 rise 2';
export const DEFAULT_STICKY_COOKIE = 'UCSRV';

type Options = Pick<DesiredBackend, 'balance' | 'sticky' | 'healthCheck'>;

/** `check inter … fall … rise …` from the settings ('' when checks are off). */
export function checkOptions(h: Options['healthCheck']): string {
  if (h?.disabled) return '';
  if (!h || (h.intervalMs === undefined && h.fall === undefined && h.rise === undefined)) return CHECK_OPTIONS;
  const ms = h.intervalMs ?? 1000;
  return `check inter ${ms % 1000 ? `${ms}ms` : `${ms / 1000}s`} fall ${h.fall ?? 2} rise ${h.rise ?? 2}`;
}

/** The server line's tail after `server NAME`; plan.ts reads it back. `cookie`: the value of a sticky cookie. */
export function serverArgs(s: Pick<DesiredServer, 'address' | 'port' | 'weight' | 'state' | 'backup'>, check = CHECK_OPTIONS, cookie?: string): string {
  const weight = s.state === 'drain' ? 0 : s.weight;
  return [`${s.address}:${s.port}`, cookie && `cookie ${cookie}`, check, `weight ${weight}`, s.backup && 'backup', s.state === 'maint' && 'disabled'].filter(Boolean).join(' ');
}

/** The lines of a backend that say how it balances, sticks and checks. */
function backendLines(mode: 'http' | 'tcp', o: Options): string[] {
  const out = [`    balance ${o.balance ?? 'roundrobin'}`];
  // Consistent hashing is dynamic: servers can still be added and weighted at runtime.
  if (o.balance === 'source') out.push('    hash-type consistent');
  if (o.sticky?.mode === 'cookie' && mode === 'http') out.push(`    cookie ${o.sticky.cookie ?? DEFAULT_STICKY_COOKIE} insert indirect nocache`);
  else if (o.sticky) out.push('    stick-table type ip size 200k expire 30m', '    stick on src');
  if (mode === 'http' && !o.healthCheck?.disabled) out.push(`    option httpchk GET ${o.healthCheck?.path ?? '/'}`);
  return out;
}

/**
 * haproxy.cfg. Host rules are not in it: each http frontend reads its host map (host-maps.ts), so
 * a host rule changes at runtime. Every http frontend can route to the "website disabled" backend.
 */
export function renderHaproxy(cluster: string, d: HaproxyDesired, paths: HaproxyRenderPaths): string {
  const modeOf = new Map<string, 'http' | 'tcp'>();
  for (const f of d.frontends) {
    const mode = f.mode ?? 'http';
    for (const b of [f.backend ?? 'web', ...(mode === 'http' ? (f.hostRules ?? []).map((r) => r.backend) : [])]) {
      if (modeOf.get(b) !== 'tcp') modeOf.set(b, mode);
    }
  }
  const out: string[] = [
    `${MANAGED_MARK} (cluster ${cluster}): edits here are replaced by the next apply.`,
    'global',
    `    stats socket ${paths.statsSocket} mode 600 level admin expose-fd listeners`,
    '    stats timeout 30s',
    '',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout http-request 10s',
    // Closes idle keep-alive client connections of an old worker at once on reload: 0 resets.
    '    option idle-close-on-response',
    // A server that dies under load: the request goes to another one instead of failing.
    '    retries 3',
    '    option redispatch',
  ];
  for (const f of d.frontends) {
    const mode = f.mode ?? 'http';
    out.push('', `frontend ${f.name}`, `    bind ${f.address ?? ''}:${f.port}`, `    mode ${mode}`);
    if (mode === 'http') {
      // The Host header without its port, lower-cased, looked up in the map; no entry: the default backend.
      out.push('    option forwardfor', `    use_backend %[req.hdr(host),field(1,:),lower,map(${paths.hostMap(f.name)})]`);
    } else {
      // TCP clients (database pools) keep idle connections open far longer than an HTTP client.
      out.push('    timeout client 1h');
    }
    out.push(`    default_backend ${f.backend ?? 'web'}`);
  }
  for (const b of d.backends) {
    const mode = modeOf.get(b.name) ?? 'http';
    out.push('', `backend ${b.name}`, `    mode ${mode}`, ...backendLines(mode, b));
    if (mode === 'http') out.push('    retry-on conn-failure empty-response response-timeout');
    else out.push('    timeout server 1h');
    const cookies = mode === 'http' && b.sticky?.mode === 'cookie';
    for (const s of b.servers) out.push(`    server ${s.name} ${serverArgs(s, checkOptions(b.healthCheck), cookies ? s.name : undefined)}`);
  }
  if (d.frontends.some((f) => (f.mode ?? 'http') === 'http')) {
    out.push('', `backend ${DISABLED_BACKEND}`, '    mode http', `    http-request return status 200 content-type "text/html; charset=utf-8" string "${DISABLED_PAGE}"`);
  }
  return out.join('\n') + '\n';
}
