/** /api/users (admins only) and /api/api-tokens (each user its own; admins all). */
import type { User } from '../../protocol/types.js';
import { validators } from '../../protocol/validate.js';
import { isAdmin, requireAdmin } from '../auth/acl.js';
import { createApiToken, ownedBy, revokeApiToken } from '../auth/api-tokens.js';
import { hashPassword } from '../auth/passwords.js';
import { addUser, findUser, patchUser, removeUser } from '../auth/users.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { type ApiContext, commit } from './context.js';

const publicUser = (u: User) => ({ name: u.name, acl: u.acl });

export async function listUsers(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  return { status: 200, body: ctx.svc.store.state.users.map(publicUser) };
}

export async function createUser(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const input = await readJson(ctx.req, validators.userCreate, 8192);
  const user: User = { name: input.name, passwordHash: await hashPassword(input.password), acl: input.acl };
  await commit(ctx, 'user.create', user.name, (s) => [addUser(s, user), null]);
  return { status: 201, body: publicUser(user) };
}

export async function patchUserRoute(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const name = ctx.params['name']!;
  findUser(ctx.svc.store.state, name);
  const input = await readJson(ctx.req, validators.userPatch, 8192);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await commit(ctx, 'user.update', name, (s) => [patchUser(s, name, { passwordHash, acl: input.acl }), null]);
  return { status: 200, body: publicUser(findUser(ctx.svc.store.state, name)) };
}

export async function deleteUser(ctx: ApiContext): Promise<Reply> {
  requireAdmin(ctx.who.acl);
  const name = ctx.params['name']!;
  await commit(ctx, 'user.delete', name, (s) => [removeUser(s, name), null]);
  return { status: 204 };
}

export async function listTokens(ctx: ApiContext): Promise<Reply> {
  const all = isAdmin(ctx.who.acl);
  const tokens = ctx.svc.store.state.apiTokens.filter((t) => all || ownedBy(t, ctx.who));
  return { status: 200, body: tokens.map(({ hash: _hash, ...t }) => t) };
}

export async function createToken(ctx: ApiContext): Promise<Reply> {
  const { name } = await readJson(ctx.req, validators.apiTokenCreate, 8192);
  const made = await commit(ctx, 'token.create', name, (s) => {
    const r = createApiToken(s, ctx.who, name);
    return [r.state, r];
  });
  const { hash: _hash, ...record } = made.record;
  return { status: 201, body: { ...record, token: made.token } };
}

export async function revokeToken(ctx: ApiContext): Promise<Reply> {
  const id = ctx.params['id']!;
  await commit(ctx, 'token.revoke', id, (s) => [revokeApiToken(s, id, isAdmin(ctx.who.acl) ? null : ctx.who), null]);
  return { status: 204 };
}
