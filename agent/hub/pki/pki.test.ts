import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { altNames, fingerprintOf, loadOrCreatePki } from './pki.js';

const dir = mkdtempSync(join(tmpdir(), 'uc-pki-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hub PKI', () => {
  it('creates a CA and an agent-port certificate it signed, once', async () => {
    const pki = await loadOrCreatePki(join(dir, 'pki'), ['hub.example.net', '10.1.2.3']);
    const ca = new X509Certificate(pki.caPem);
    const leaf = new X509Certificate(pki.chainPem);
    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.subjectAltName).toContain('DNS:hub.example.net');
    expect(leaf.subjectAltName).toContain('IP Address:10.1.2.3');
    expect(leaf.checkPrivateKey(await import('node:crypto').then((c) => c.createPrivateKey(pki.keyPem)))).toBe(true);
    expect(pki.caFingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(join(dir, 'pki', 'ca.key')).mode & 0o077).toBe(0);
    // A second start reuses it: enrolled agents keep trusting the hub.
    const again = await loadOrCreatePki(join(dir, 'pki'));
    expect(again.caFingerprint).toBe(pki.caFingerprint);
    expect(fingerprintOf(again.caPem)).toBe(pki.caFingerprint);
  });

  it('says what is missing when openssl is not there', async () => {
    await expect(loadOrCreatePki(join(dir, 'nope'), [], '/nonexistent/openssl')).rejects.toThrow(/openssl command is needed/);
  });

  it('lists IPs and names as subjectAltName entries', () => {
    expect(altNames(['10.0.0.1', 'a.example'], 'host1')).toBe('IP:127.0.0.1,IP:::1,DNS:localhost,DNS:host1,IP:10.0.0.1,DNS:a.example');
  });
});
