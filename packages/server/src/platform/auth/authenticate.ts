import { FluoroError } from '../errors/catalog.js';
import { allows, type AccessKeys, type Caller } from './keys.js';
import { sameBytes } from './same-bytes.js';
import type { Role } from '../http/router.js';
import { verifySigV4, type SignedRequest } from './sigv4.js';

/**
 * Who sent a request, from its `Authorization` header: an AWS Signature Version 4 (the AWS CLI and
 * SDKs, the X-Ray daemon), `Bearer <secret>` (OTLP exporters, Zipkin reporters, scripts), or
 * `Basic` with the key ID and secret (Prometheus, Grafana). Throws a FluoroError saying what is wrong.
 */
export async function authenticate(request: Omit<SignedRequest, 'body'>, body: () => Promise<Buffer>, keys: AccessKeys): Promise<Caller> {
  const header = request.headers.authorization;
  const session = header ? undefined : cookie(request.headers.cookie, SESSION_COOKIE);
  if (session !== undefined) return fromSession(request, session, keys);
  if (!header) {
    throw new FluoroError(
      'MissingAuthentication',
      'the request is not signed: send an AWS Signature Version 4, Authorization: Bearer <secret>, or Basic <key id:secret>',
    );
  }
  if (header.startsWith('AWS4-HMAC-SHA256 ')) return verifySigV4(header, { ...request, body: await body() }, keys);
  const space = header.indexOf(' ');
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') {
    const key = keys.bySecret(value);
    if (!key)
      throw new FluoroError('UnrecognizedClient', "the bearer token is not the secret of any of this Fluoro's keys (auth.keysFile)");
    return key;
  }
  if (scheme === 'basic') {
    const text = Buffer.from(value, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const key = colon > 0 ? keys.byId(text.slice(0, colon)) : undefined;
    if (!key || !sameBytes(text.slice(colon + 1), key.secret)) {
      throw new FluoroError(
        'UnrecognizedClient',
        "the key ID and secret of the Basic credentials are not one of this Fluoro's keys (auth.keysFile)",
      );
    }
    return key;
  }
  throw new FluoroError(
    'MissingAuthentication',
    `the Authorization scheme ${JSON.stringify(header.slice(0, Math.max(space, 0)))} is not one Fluoro accepts (AWS4-HMAC-SHA256, Bearer, Basic)`,
  );
}

/** The console's cookies: the session (HttpOnly) and the CSRF token its pages echo in `x-fluoro-csrf`. */
export const SESSION_COOKIE = 'fluoro_session';
export const CSRF_COOKIE = 'fluoro_csrf';
export const CSRF_HEADER = 'x-fluoro-csrf';

/** One cookie's value from a `Cookie` header. */
export function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * A console session. A call that changes something must also carry the session's CSRF token in
 * `x-fluoro-csrf`: a page of another site can make the browser send the cookie (were SameSite
 * not enough), but cannot read the token.
 */
function fromSession(request: Omit<SignedRequest, 'body'>, token: string, keys: AccessKeys): Caller {
  const session = keys.sessions.get(token);
  if (!session)
    throw new FluoroError(
      'MissingAuthentication',
      'the console session has ended (signed out, expired, or Fluoro restarted); sign in again',
    );
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const given = request.headers[CSRF_HEADER];
    if (typeof given !== 'string' || !sameBytes(given, session.csrf)) {
      throw new FluoroError('AccessDenied', `a console write must carry the session's CSRF token in ${CSRF_HEADER}`);
    }
  }
  return { id: `user:${session.user}`, roles: session.roles };
}

/** Throws `AccessDenied` unless the key holds one of the roles a call needs (`access`). */
export function requireAccess(key: Caller, call: { method: string; path: string }, access: readonly Role[]): void {
  if (!allows(key, access)) {
    throw new FluoroError(
      'AccessDenied',
      `key ${key.id} (roles: ${[...key.roles].join(', ')}) may not call ${call.method} ${call.path}; it needs ${access.join(' or ')}`,
    );
  }
}
