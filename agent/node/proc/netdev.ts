/** Byte counters per interface from /proc/net/dev. */

export interface ByteCounters {
  rx: Map<string, number>;
  tx: Map<string, number>;
}

/** Reads `name: rxBytes … (8 receive fields) txBytes …` lines for the interfaces `include` accepts. */
export function parseNetDev(text: string, include: (name: string) => boolean): ByteCounters {
  const out: ByteCounters = { rx: new Map(), tx: new Map() };
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (!include(name)) continue;
    // Old kernels print "eth0:123" with no space after the colon, so split after it.
    const f = line.slice(colon + 1).trim().split(/\s+/);
    const rx = Number(f[0]);
    const tx = Number(f[8]);
    if (Number.isFinite(rx) && Number.isFinite(tx)) {
      out.rx.set(name, rx);
      out.tx.set(name, tx);
    }
  }
  return out;
}
