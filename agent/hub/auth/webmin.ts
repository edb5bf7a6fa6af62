/**
 * The caller on the gateway socket: the Webmin user and module ACL that the module's gateway CGI
 * forwards (miniserv has already authenticated the user). Trusted only on the root-only unix
 * socket; the TCP port never reads these headers.
 */
import type { IncomingMessage } from 'node:http';
import { ACL_FLAGS } from '../../protocol/common.js';
import type { Acl, AclFlag, WebminAcl } from '../../protocol/types.js';
import { check, validators } from '../../protocol/validate.js';
import { WEBMIN_ACL_HEADER, WEBMIN_USER_HEADER } from '../../protocol/webmin.js';
import { HttpError, badRequest } from '../errors.js';
import type { Principal } from './authenticate.js';

/** The hub ACL of a Webmin module ACL: a flag is granted by "1"; `clusters` "*" is every cluster. */
export function aclFromWebmin(w: WebminAcl): Acl {
  const flags = Object.fromEntries(ACL_FLAGS.map((f) => [f, w[f] === '1'])) as Record<AclFlag, boolean>;
  const clusters = w.clusters.trim();
  return { ...flags, scope: clusters === '*' ? '*' : [...new Set(clusters.split(/\s+/).filter(Boolean))] };
}

export async function webminPrincipal(req: IncomingMessage): Promise<Principal> {
  const user = req.headers[WEBMIN_USER_HEADER];
  const raw = req.headers[WEBMIN_ACL_HEADER];
  if (typeof user !== 'string' || typeof raw !== 'string') {
    throw new HttpError(401, 'unauthorized', `the gateway must send ${WEBMIN_USER_HEADER} and ${WEBMIN_ACL_HEADER}`);
  }
  const name = check(validators.webminUser, user);
  if (!name.ok) throw badRequest(`${WEBMIN_USER_HEADER}: ${name.error}`);
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw badRequest(`${WEBMIN_ACL_HEADER} is not JSON`);
  }
  const acl = check(validators.webminAcl, json);
  if (!acl.ok) throw badRequest(`${WEBMIN_ACL_HEADER}: ${acl.error}`);
  return { name: user, acl: aclFromWebmin(acl.value), realm: 'webmin', via: 'webmin' };
}
