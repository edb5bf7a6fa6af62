/**
 * The hub's own certificate authority and the certificate of its agent port, made once with the
 * openssl command (no home-made cryptography) and kept in DATA_DIR/pki. Agents pin the CA by
 * its SHA-256 fingerprint, which every join token carries.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface HubPki {
  caPem: string;
  /** The agent port's certificate followed by the CA's, as TLS servers send a chain. */
  chainPem: string;
  keyPem: string;
  /** Lower-case hex SHA-256 of the CA certificate (DER), no colons. */
  caFingerprint: string;
  /** The agent port's public key as curl pins it: `sha256//` and the base64 SHA-256 of its SPKI (DER). */
  agentPin: string;
}

export function pinOf(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return `sha256//${createHash('sha256').update(spki).digest('base64')}`;
}

export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
}

async function readPki(dir: string): Promise<HubPki> {
  const [caPem, certPem, keyPem] = await Promise.all(['ca.crt', 'hub.crt', 'hub.key'].map((f) => readFile(join(dir, f), 'utf8')));
  return { caPem: caPem!, chainPem: certPem! + caPem!, keyPem: keyPem!, caFingerprint: fingerprintOf(caPem!), agentPin: pinOf(certPem!) };
}

/** subjectAltName entries for the agent port: loopback, this host, and any names the admin adds. */
export function altNames(extra: readonly string[], host = hostname()): string {
  const names = new Set(['localhost', host, ...extra]);
  const entries = [...names].filter(Boolean).map((n) => (/^[\d.]+$|:/.test(n) ? `IP:${n}` : `DNS:${n}`));
  return ['IP:127.0.0.1', 'IP:::1', ...entries].join(',');
}

async function create(dir: string, names: readonly string[], openssl: string): Promise<void> {
  // Built in a temp directory and renamed into place: a crash never leaves half a PKI.
  const tmp = await mkdtemp(`${dir}.tmp-`);
  const f = (name: string) => join(tmp, name);
  const ssl = (...args: string[]) => run(openssl, args, { cwd: tmp });
  try {
    await ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('ca.key'));
    await ssl('req', '-x509', '-new', '-key', f('ca.key'), '-sha256', '-days', '3650', '-subj', '/CN=Unlimited Cluster hub CA',
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', f('ca.crt'));
    await ssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', f('hub.key'));
    await ssl('req', '-new', '-key', f('hub.key'), '-subj', '/CN=unlimited-cluster-hub', '-out', f('hub.csr'));
    await writeFile(f('ext.cnf'), `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames(names)}\n`);
    await ssl('x509', '-req', '-in', f('hub.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '3650', '-sha256',
      '-extfile', f('ext.cnf'), '-out', f('hub.crt'));
    await rename(tmp, dir);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    const err = e as { stderr?: string; code?: string; message: string };
    throw new Error(err.code === 'ENOENT' ? `the openssl command is needed to create the hub's certificates (apt-get install openssl)` : `openssl failed: ${err.stderr || err.message}`);
  }
}

/** Loads DATA_DIR/pki, creating it on first start. */
export async function loadOrCreatePki(dir: string, names: readonly string[] = [], openssl = 'openssl'): Promise<HubPki> {
  try {
    return await readPki(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await create(dir, names, openssl);
  return readPki(dir);
}
