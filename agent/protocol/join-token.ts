/**
 * Join tokens as an admin pastes them: `uc1.<id>.<secret>.<ca-fingerprint>`. The fingerprint
 * (lower-case hex SHA-256 of the hub's CA certificate) lets a new agent pin the hub before it
 * sends anything, so a man in the middle cannot enroll it.
 */
export interface JoinTokenParts {
  id: string;
  secret: string;
  caFingerprint: string;
}

const FORMAT = /^uc1\.([a-f0-9]{12})\.([A-Za-z0-9_-]{43})\.([a-f0-9]{64})$/;

export function formatJoinToken(p: JoinTokenParts): string {
  return `uc1.${p.id}.${p.secret}.${p.caFingerprint}`;
}

export function parseJoinToken(token: string): JoinTokenParts | null {
  const m = FORMAT.exec(token.trim());
  return m ? { id: m[1]!, secret: m[2]!, caFingerprint: m[3]! } : null;
}
