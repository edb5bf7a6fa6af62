/**
 * Caps the TLS handshakes the agent port works on at once. A handshake costs the hub real CPU;
 * when more agents dial than it can finish (a reconnect storm on a busy machine), the late ones
 * time out after the hub already spent that CPU on them, they dial again, and the hub never
 * catches up. Past the cap a new connection is closed before any TLS work, which costs nothing,
 * and its agent backs off and comes back when there is room.
 */
import type { Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';

export const MAX_PENDING_HANDSHAKES = 200;

/** The key both the raw socket and its TLS socket answer to. */
const keyOf = (s: Socket | TLSSocket) => `${s.remoteAddress}|${s.remotePort}`;

export function limitHandshakes(server: TlsServer, max: number, onRefused: (pending: number) => void = () => {}): { pending(): number } {
  const pending = new Set<string>();
  server.on('connection', (raw: Socket) => {
    if (pending.size >= max) {
      raw.destroy();
      onRefused(pending.size);
      return;
    }
    const key = keyOf(raw);
    pending.add(key);
    raw.once('close', () => pending.delete(key));
  });
  server.on('secureConnection', (s: TLSSocket) => pending.delete(keyOf(s)));
  return { pending: () => pending.size };
}
