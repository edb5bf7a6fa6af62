/**
 * What the Webmin module's gateway CGI forwards to the hub over the root-only unix socket: the
 * Webmin user (header `x-webmin-user`) and the user's module ACL (header `x-webmin-acl`, the JSON
 * of Webmin's ACL hash). The module's ACL keys are the hub's flag names with "1"/"0" values, and
 * `clusters` is "*" or space-separated cluster names; Webmin's own keys (noconfig, …) pass through.
 */
import { ACL_FLAGS, nameSchema } from './common.js';

export const WEBMIN_USER_HEADER = 'x-webmin-user';
export const WEBMIN_ACL_HEADER = 'x-webmin-acl';

const flag = { enum: ['0', '1', ''] } as const;

export const webminUserSchema = nameSchema;

export const webminAclSchema = {
  type: 'object',
  maxProperties: 64,
  required: ['clusters'],
  properties: {
    ...(Object.fromEntries(ACL_FLAGS.map((f) => [f, flag])) as Record<(typeof ACL_FLAGS)[number], typeof flag>),
    /** "*" for every cluster, or cluster names separated by spaces ("" for none). */
    clusters: { type: 'string', maxLength: 65536, pattern: '^(\\*|[A-Za-z0-9._ -]*)$' },
  },
  additionalProperties: { type: 'string', maxLength: 4096 },
} as const;
