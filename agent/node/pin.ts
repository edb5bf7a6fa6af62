/**
 * Trust on a fingerprint: before a new agent says anything, it fetches the certificate chain of
 * the hub's agent port and keeps the CA whose SHA-256 fingerprint the join token carries. Every
 * connection after that verifies the hub against that CA alone (the `ca` TLS option), so a man
 * in the middle, who cannot present a certificate signed by it, never sees the token.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { connect, type PeerCertificate } from 'node:tls';

export class PinMismatch extends Error {}

/** The certificates a TLS peer presented, leaf first, each once. */
function chainOf(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  for (let c: (PeerCertificate & { issuerCertificate?: PeerCertificate }) | undefined = leaf; c?.raw; c = c.issuerCertificate) {
    const fp = createHash('sha256').update(c.raw).digest('hex');
    if (seen.has(fp)) break; // a self-signed root points at itself
    seen.add(fp);
    out.push(c.raw);
  }
  return out;
}

/** The PEM of the certificate in `hubUrl`'s chain with this fingerprint; PinMismatch if none has it. */
export function fetchPinnedCa(hubUrl: string, fingerprint: string, timeoutMs = 10_000): Promise<string> {
  const url = new URL(hubUrl);
  if (url.protocol !== 'wss:') return Promise.reject(new Error(`the hub URL must start with wss:// (TLS), not ${url.protocol}//`));
  return new Promise((resolve, reject) => {
    // Unverified on purpose: the only trust decision is the fingerprint comparison below.
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), rejectUnauthorized: false, servername: /^[\d.:]+$/.test(url.hostname) ? undefined : url.hostname });
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no TLS handshake with ${url.host} within ${timeoutMs / 1000} s`)));
    socket.once('error', reject);
    socket.once('secureConnect', () => {
      const chain = chainOf(socket.getPeerCertificate(true));
      socket.end();
      const ca = chain.find((raw) => createHash('sha256').update(raw).digest('hex') === fingerprint);
      if (ca) resolve(new X509Certificate(ca).toString());
      else reject(new PinMismatch(`the hub at ${url.host} did not present the CA the join token names (sha256 ${fingerprint.slice(0, 16)}…): refusing to enroll`));
    });
  });
}
