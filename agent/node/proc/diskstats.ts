/** Bytes read and written per block device from /proc/diskstats. */
import type { ByteCounters } from './netdev.js';

/** diskstats counts 512-byte sectors whatever the device's real sector size. */
const SECTOR = 512;

/**
 * Reads `major minor name reads merged sectorsRead ms writes merged sectorsWritten …` lines for
 * the devices `include` accepts; `rx` holds bytes read, `tx` bytes written.
 */
export function parseDiskstats(text: string, include: (name: string) => boolean): ByteCounters {
  const out: ByteCounters = { rx: new Map(), tx: new Map() };
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (name === undefined || !include(name)) continue;
    const read = Number(f[5]);
    const written = Number(f[9]);
    if (Number.isFinite(read) && Number.isFinite(written)) {
      out.rx.set(name, read * SECTOR);
      out.tx.set(name, written * SECTOR);
    }
  }
  return out;
}
