/**
 * Caps the TLS handshakes the agent port works on at once, in all and per client address. A
 * handshake costs the hub real CPU; when more agents dial than it can finish (a reconnect storm
 * on a busy machine), the late ones time out after the hub already spent that CPU on them, they
 * dial again, and the hub never catches up. Past a cap a new connection is closed before any TLS
 * work, which costs nothing, and its agent backs off and comes back when there is room.
 *
 * Fair shares: one address (idle connections that never start TLS, say, or a whole fleet behind
 * one NAT) may hold more than `perSource` places only while `reserve` places stay free, so
 * agents from other addresses always find room. The hub's short handshake deadline
 * (HANDSHAKE_TIMEOUT_MS) frees the places idle connections hold.
 */
import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';

export const MAX_PENDING_HANDSHAKES = 200;
/** Places an address always may use, and places kept free for other addresses beyond that. */
export const MAX_PENDING_PER_SOURCE = 32;
export const RESERVED_FOR_OTHERS = 100;
/** A real agent's handshake takes milliseconds; one that has not finished by then is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

export interface HandshakeLimits {
  max: number;
  perSource: number;
  reserve: number;
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
    const overShare = fromSource >= limits.perSource && pending.size >= limits.max - limits.reserve;
    if (pending.size >= limits.max || overShare) {
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
