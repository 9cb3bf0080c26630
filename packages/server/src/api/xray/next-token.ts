import { createHmac, randomBytes } from 'node:crypto';
import { sameBytes } from '../../platform/auth/same-bytes.js';
import { invalidRequest } from '../../platform/errors/catalog.js';

/**
 * Opaque, tamper-proof pagination tokens. A token is bound to the request it continues (a hash
 * of the parameters that define the result set), so replaying it with other parameters is refused
 * instead of returning a page of some other query, and signed with a key this process made at
 * start, so a token nobody issued is refused before its state is read. Tokens do not outlive the
 * process that issued them (a client then starts its listing again, as after any expiry).
 */
const KEY = randomBytes(32);

/** What a token's state must look like to be used: checked after the signature. */
export type StateCheck<T> = (state: unknown) => state is T;

export const isOffset: StateCheck<number> = (s): s is number => Number.isSafeInteger(s) && (s as number) >= 0;

export function encodeToken(request: unknown, state: unknown): string {
  const body = Buffer.from(JSON.stringify({ q: fingerprint(request), s: state })).toString('base64url');
  return `${body}.${sign(body)}`;
}

export function decodeToken<T>(token: string, request: unknown, isState: StateCheck<T>): T {
  const dot = token.lastIndexOf('.');
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = Buffer.from(sign(body), 'base64url');
  if (dot <= 0 || !sameBytes(given, expected)) {
    throw invalidRequest('NextToken is not a token Fluoro issued (or it was issued before a restart); start the listing again');
  }
  const parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { q?: unknown; s?: unknown };
  if (parsed.q !== fingerprint(request)) throw invalidRequest('NextToken belongs to a request with different parameters');
  if (!isState(parsed.s)) throw invalidRequest('NextToken is not a token of this operation');
  return parsed.s;
}

function sign(body: string): string {
  return createHmac('sha256', KEY).update(body).digest('base64url').slice(0, 22);
}

function fingerprint(request: unknown): string {
  return createHmac('sha256', KEY).update(JSON.stringify(request)).digest('base64url').slice(0, 16);
}

/**
 * One page of a list held whole in memory: `perPage` items from the offset `token` continues
 * (the start without one), and the token of the next page when there is one. `request` binds the
 * token to the listing, as for `encodeToken`.
 */
export function offsetPage<T>(
  all: readonly T[],
  token: string | undefined,
  request: unknown,
  perPage: number,
): { items: T[]; next: string | undefined } {
  const offset = token ? decodeToken(token, request, isOffset) : 0;
  const end = offset + perPage;
  return { items: all.slice(offset, end), next: end < all.length ? encodeToken(request, end) : undefined };
}
