/**
 * Short-lived, single-use tickets for the browser socket: `base64url(json).base64url(hmac)`,
 * HMAC-SHA256 with the hub's ticket secret. The Webmin module mints the same format in Perl.
 * A ticket for one of the hub's own users says `realm: "hub"`: the socket then follows that
 * user as it is now (deleted or changed, the socket closes), not as it was when the ticket was
 * minted. Tickets without it are a Webmin user's, with the ACL Webmin gave.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Acl } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';

export const TICKET_TTL_S = 30;

export interface TicketClaims {
  user: string;
  acl: Acl;
  realm?: 'hub';
  /** Expiry, seconds since the epoch. */
  exp: number;
  nonce: string;
}

const sign = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

export function mintTicket(secret: Buffer, user: string, acl: Acl, nowS = Date.now() / 1000, realm?: 'hub'): string {
  const claims: TicketClaims = {
    user, acl, ...(realm ? { realm } : {}), exp: Math.floor(nowS) + TICKET_TTL_S, nonce: randomBytes(12).toString('base64url'),
  };
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Verifies tickets and remembers used nonces until they expire, so a ticket works once. */
export class TicketVerifier {
  private used = new Map<string, number>();

  constructor(private readonly secret: Buffer) {}

  verify(ticket: string, nowS = Date.now() / 1000): TicketClaims | string {
    const [payload, mac] = ticket.split('.');
    if (!payload || !mac || ticket.split('.').length !== 2) return 'malformed ticket';
    const expected = Buffer.from(sign(this.secret, payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid ticket signature';
    let claims: TicketClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TicketClaims;
    } catch {
      return 'malformed ticket';
    }
    if (typeof claims.exp !== 'number' || typeof claims.user !== 'string' || typeof claims.nonce !== 'string') return 'malformed ticket';
    if (claims.realm !== undefined && claims.realm !== 'hub') return 'malformed ticket';
    if (!check(validators.acl, claims.acl).ok) return 'malformed ticket';
    if (claims.exp < nowS) return 'ticket expired';
    this.prune(nowS);
    if (this.used.has(claims.nonce)) return 'ticket already used';
    this.used.set(claims.nonce, claims.exp);
    return claims;
  }

  private prune(nowS: number): void {
    for (const [nonce, exp] of this.used) if (exp < nowS) this.used.delete(nonce);
  }
}
