import { createHash } from 'node:crypto';
import { invalidRequest } from '../../platform/errors/catalog.js';

/**
 * Opaque, tamper-evident pagination tokens. A token is bound to the request it continues (a hash
 * of the parameters that define the result set), so replaying it with other parameters is refused
 * instead of returning a page of some other query.
 */
export function encodeToken(request: unknown, state: unknown): string {
  return Buffer.from(JSON.stringify({ q: fingerprint(request), s: state })).toString('base64url');
}

export function decodeToken<T>(token: string, request: unknown): T {
  let parsed: { q?: unknown; s?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    throw invalidRequest('NextToken is not a token Fluoro issued');
  }
  if (typeof parsed !== 'object' || parsed === null || parsed.s === undefined)
    throw invalidRequest('NextToken is not a token Fluoro issued');
  if (parsed.q !== fingerprint(request)) throw invalidRequest('NextToken belongs to a request with different parameters');
  return parsed.s as T;
}

function fingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('base64url').slice(0, 16);
}
