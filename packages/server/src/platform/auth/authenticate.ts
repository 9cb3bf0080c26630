import { FluoroError } from '../errors/catalog.js';
import { allows, type AccessKey, type AccessKeys } from './keys.js';
import { sameBytes } from './same-bytes.js';
import type { Role } from '../http/router.js';
import { verifySigV4, type SignedRequest } from './sigv4.js';

/**
 * Who sent a request, from its `Authorization` header: an AWS Signature Version 4 (the AWS CLI and
 * SDKs, the X-Ray daemon), `Bearer <secret>` (OTLP exporters, Zipkin reporters, scripts), or
 * `Basic` with the key ID and secret (Prometheus, Grafana). Throws a FluoroError saying what is wrong.
 */
export async function authenticate(
  request: Omit<SignedRequest, 'body'>,
  body: () => Promise<Buffer>,
  keys: AccessKeys,
): Promise<AccessKey> {
  const header = request.headers.authorization;
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

/** Throws `AccessDenied` unless the key holds one of the roles a call needs (`access`). */
export function requireAccess(key: AccessKey, call: { method: string; path: string }, access: readonly Role[]): void {
  if (!allows(key, access)) {
    throw new FluoroError(
      'AccessDenied',
      `key ${key.id} (roles: ${[...key.roles].join(', ')}) may not call ${call.method} ${call.path}; it needs ${access.join(' or ')}`,
    );
  }
}
