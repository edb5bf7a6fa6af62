/** `?limit=&offset=` on a list: a page of it, in the hub's order, and the total in X-Total-Count. */
import { badRequest } from '../errors.js';

export const MAX_PAGE = 1000;

export interface Page { offset: number; limit: number }

function whole(query: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw badRequest(`?${name}= must be a whole number from ${min} to ${max}, not '${raw}'`, 'invalid_query');
  }
  return Number(raw);
}

/** The page a query asks for, or undefined for the whole list. */
export function pageOf(query: URLSearchParams): Page | undefined {
  const limit = whole(query, 'limit', 1, MAX_PAGE);
  const offset = whole(query, 'offset', 0, 999_999_999);
  if (limit === undefined && offset === undefined) return undefined;
  return { offset: offset ?? 0, limit: limit ?? MAX_PAGE };
}

/** The items of the page (all of them without one), and the header that tells the total. */
export function paged<T>(items: readonly T[], page: Page | undefined): { items: readonly T[]; headers: Record<string, string> } {
  const headers = { 'x-total-count': String(items.length) };
  return { items: page ? items.slice(page.offset, page.offset + page.limit) : items, headers };
}
