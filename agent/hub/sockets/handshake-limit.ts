/**
 * Caps the TLS handshakes the agent port works on at once, in all and per client address. A
 * handshake costs the hub real CPU; when more agents dial than it can finish (a reconnect storm
 * on a busy machine), the late ones time out after the hub already spent that CPU on them, they
 * dial again, and the hub never catches up. Past a cap a new connection is closed before any TLS
 * work, which costs nothing, and its agent backs off and comes back when there is room. The cap
 * per address keeps one client (idle connections that never start TLS, say) from taking every
 * place: agents from other addresses still get in. The hub's short handshake deadline
 * (HANDSHAKE_TIMEOUT_MS) frees the places such connections hold.
 */
import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';

export const MAX_PENDING_HANDSHAKES = 200;
/** Enough for a busy NAT gateway's agents reconnecting at once; they retry with backoff anyway. */
export const MAX_PENDING_PER_SOURCE = 32;
/** A real agent's handshake takes milliseconds; one that has not finished by then is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

export interface HandshakeLimits {
  max: number;
  perSource: number;
}

/** The key both the raw socket and its TLS socket answer to. */
const keyOf = (s: Socket | TLSSocket) => `${s.remoteAddress}|${s.remotePort}`;

export function limitHandshakes(
  server: TlsServer, limits: HandshakeLimits, onRefused: (why: string) => void = () => {},
): { pending(): number } {
  /** Pending connection key → its source address. */
  const pending = new Map<string, string>();
  const bySource = new Map<string, number>();
  const done = (key: string) => {
    const source = pending.get(key);
    if (source === undefined) return;
    pending.delete(key);
    const left = (bySource.get(source) ?? 1) - 1;
    if (left) bySource.set(source, left);
    else bySource.delete(source);
  };
  server.on('connection', (raw: Socket) => {
    const source = raw.remoteAddress ?? '';
    const fromSource = bySource.get(source) ?? 0;
    if (pending.size >= limits.max || fromSource >= limits.perSource) {
      raw.destroy();
      onRefused(pending.size >= limits.max
        ? `${pending.size} TLS handshakes under way`
        : `${fromSource} TLS handshakes under way from ${source}`);
      return;
    }
    const key = keyOf(raw);
    pending.set(key, source);
    bySource.set(source, fromSource + 1);
    raw.once('close', () => done(key));
  });
  server.on('secureConnection', (s: TLSSocket) => done(keyOf(s)));
  return { pending: () => pending.size };
}
