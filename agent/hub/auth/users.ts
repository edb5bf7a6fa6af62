/** Pure operations on standalone users (Webmin has its own users; the module passes them in). */
import type { Acl, State, User } from '../../protocol/types.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { isAdmin } from './acl.js';
import { ownedBy } from './api-tokens.js';

export function findUser(state: State, name: string): User {
  const user = state.users.find((u) => u.name === name);
  if (!user) throw notFound(`no user named '${name}'`);
  return user;
}

export function addUser(state: State, user: User): State {
  if (state.users.some((u) => u.name === user.name)) throw conflict(`a user named '${user.name}' already exists`);
  return { ...state, users: [...state.users, user] };
}

export function patchUser(state: State, name: string, change: { passwordHash?: string; acl?: Partial<Acl> }): State {
  const old = findUser(state, name);
  const user: User = { ...old, ...(change.passwordHash ? { passwordHash: change.passwordHash } : {}), acl: { ...old.acl, ...change.acl } };
  return keepAnAdmin({ ...state, users: state.users.map((u) => (u === old ? user : u)) });
}

/** Removes a user and its API tokens (not those of a Webmin user of the same name). */
export function removeUser(state: State, name: string): State {
  findUser(state, name);
  const apiTokens = state.apiTokens.filter((t) => !ownedBy(t, { name, realm: 'hub' }));
  return keepAnAdmin({ ...state, users: state.users.filter((u) => u.name !== name), apiTokens });
}

/**
 * Users whose logins end with this change: deleted, or given another password (an ACL change
 * keeps them: every request reads the ACL as it is now). Covers restores as well as the API.
 */
export function endedLogins(prev: readonly User[], next: readonly User[]): string[] {
  if (prev === next) return [];
  const now = new Map(next.map((u) => [u.name, u]));
  return prev.filter((u) => now.get(u.name)?.passwordHash !== u.passwordHash).map((u) => u.name);
}

/** Nobody could manage users any more: refuse the change that would do that. */
function keepAnAdmin(state: State): State {
  if (!state.users.some((u) => isAdmin(u.acl))) throw badRequest('this would leave no user with every permission', 'last_admin');
  return state;
}
