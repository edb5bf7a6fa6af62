/**
 * `clusterctl diagnose` reaching the agent port as an agent would: fetch the chain and find the
 * CA the hub says agents pin, then connect again trusting that CA alone (host names are not
 * checked, as agents do not: they pin the CA).
 */
import { connect } from 'node:tls';
import { fetchPinnedCa } from '../node/pin.js';
import type { TlsProbe } from './diagnose.js';

export async function probeAgentPort(url: string, caFingerprint: string, timeoutMs = 10_000): Promise<TlsProbe> {
  try {
    const ca = await fetchPinnedCa(url, caFingerprint, timeoutMs);
    const u = new URL(url);
    const certNotAfter = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: u.hostname, port: Number(u.port || 443), ca, checkServerIdentity: () => undefined, servername: /^[\d.:]+$/.test(u.hostname) ? undefined : u.hostname });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake within ${timeoutMs / 1000} s`)));
      socket.once('error', reject);
      socket.once('secureConnect', () => {
        const validTo = socket.getPeerCertificate().valid_to;
        socket.end();
        resolve(new Date(validTo).toISOString());
      });
    });
    return { ok: true, certNotAfter };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}
