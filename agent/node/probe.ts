/**
 * TCP connect probes: how long a TCP connect to a target takes, measured with performance.now()
 * from the moment its address is known (a DNS lookup does not count), the socket closed at once.
 * Pure apart from the injectable `connect`, so rounds and timeouts test without a network.
 */
import { connect as netConnect } from 'node:net';
import type { LatencyResult, ProbeTarget } from '../protocol/types.js';

/** Opens a TCP connection and closes it at once; resolves with the connect time in ms, rejects when `signal` aborts. */
export type Connect = (address: string, port: number, signal: AbortSignal) => Promise<number>;

export interface ProbeOptions {
  connect?: Connect;
  /** A connect still pending after this long counts as failed ('timeout'). */
  timeoutMs?: number;
  /** Most probes in flight at once. */
  concurrency?: number;
}

export const PROBE_TIMEOUT_MS = 2000;
export const PROBE_CONCURRENCY = 16;
/** The protocol's bounds on a result (ms ≤ 60 s, error ≤ 64 characters). */
const MAX_MS = 60_000;
const MAX_ERROR = 64;

/** The real probe: a TCP connect with node:net. */
export const tcpConnect: Connect = (address, port, signal) => new Promise((resolve, reject) => {
  let start = performance.now();
  let done = false;
  const socket = netConnect({ host: address, port });
  const finish = (err?: Error) => {
    if (done) return;
    done = true;
    const ms = performance.now() - start;
    signal.removeEventListener('abort', onAbort);
    socket.destroy();
    if (err) reject(err);
    else resolve(ms);
  };
  const onAbort = () => finish(new Error('aborted'));
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  socket.once('lookup', () => { start = performance.now(); });
  socket.once('connect', () => finish());
  socket.once('error', (e) => finish(e));
});

class ProbeTimeout extends Error {
  constructor() {
    super('timeout');
  }
}

/** A short reason for a failed probe: the errno code (ECONNREFUSED, EHOSTUNREACH, …) or the message. */
function reason(e: unknown): string {
  const text = e instanceof Error ? (e as NodeJS.ErrnoException).code ?? e.message : String(e);
  return text.slice(0, MAX_ERROR);
}

/** Probes one target: its connect time (to the µs), or null with the reason. */
export async function probeOne(t: ProbeTarget, connect: Connect = tcpConnect, timeoutMs = PROBE_TIMEOUT_MS): Promise<LatencyResult> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ProbeTimeout()); // first, so the race reports the timeout rather than the abort it causes
      abort.abort();
    }, timeoutMs);
  });
  try {
    const ms = await Promise.race([connect(t.address, t.port, abort.signal), timedOut]);
    return { connectionId: t.connectionId, ms: Math.min(MAX_MS, Math.max(0, Math.round(ms * 1000) / 1000)) };
  } catch (e) {
    return { connectionId: t.connectionId, ms: null, error: reason(e) };
  } finally {
    clearTimeout(timer);
  }
}

/** Probes every target, at most `concurrency` at a time; the results are in the targets' order. */
export async function probeAll(targets: readonly ProbeTarget[], o: ProbeOptions = {}): Promise<LatencyResult[]> {
  const { connect = tcpConnect, timeoutMs = PROBE_TIMEOUT_MS, concurrency = PROBE_CONCURRENCY } = o;
  const results = new Array<LatencyResult>(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      results[i] = await probeOne(targets[i]!, connect, timeoutMs);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return results;
}
