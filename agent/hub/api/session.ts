/** Health, login/logout, the current user, and browser-socket tickets. */
import { validators } from '../../protocol/validate.js';
import { requireFlag } from '../auth/acl.js';
import { verifyPassword } from '../auth/passwords.js';
import { SESSION_COOKIE } from '../auth/sessions.js';
import { TICKET_TTL_S, mintTicket } from '../auth/tickets.js';
import { HttpError } from '../errors.js';
import { readJson } from '../http/body.js';
import type { Reply } from '../http/router.js';
import { VERSION } from '../../version.js';
import type { ApiContext } from './context.js';

export async function health(): Promise<Reply> {
  return { status: 200, body: { ok: true, version: VERSION } };
}

function cookie(ctx: ApiContext, value: string, maxAge: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${ctx.svc.secureCookies ? '; Secure' : ''}`;
}

export async function login(ctx: ApiContext): Promise<Reply> {
  const { username, password } = await readJson(ctx.req, validators.login, 8192);
  const from = ctx.req.socket.remoteAddress ?? '';
  const user = ctx.svc.store.state.users.find((u) => u.name === username);
  if (!(await ctx.svc.passwords.check(from, username, async () => !!user && verifyPassword(password, user.passwordHash))) || !user) {
    ctx.svc.log(`failed login for '${username}' from ${from}`);
    throw new HttpError(401, 'unauthorized', 'wrong user name or password');
  }
  const id = ctx.svc.sessions.create(user.name);
  return { status: 200, body: { name: user.name, acl: user.acl }, headers: { 'set-cookie': cookie(ctx, id, 12 * 3600) } };
}

export async function logout(ctx: ApiContext): Promise<Reply> {
  if (ctx.who.sessionId) await ctx.svc.sessions.destroy(ctx.who.sessionId);
  return { status: 204, headers: { 'set-cookie': cookie(ctx, '', 0) } };
}

export async function me(ctx: ApiContext): Promise<Reply> {
  return { status: 200, body: { name: ctx.who.name, acl: ctx.who.acl } };
}

export async function ticket(ctx: ApiContext): Promise<Reply> {
  requireFlag(ctx.who.acl, 'view');
  const ticket = mintTicket(ctx.svc.ticketSecret, ctx.who.name, ctx.who.acl, undefined, ctx.who.realm === 'hub' ? 'hub' : undefined);
  return { status: 200, body: { ticket, expiresIn: TICKET_TTL_S } };
}
