import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { FluoroError } from '../errors/catalog.js';
import type { AccessKey, AccessKeys } from './keys.js';
import { sameBytes } from './same-bytes.js';

/** How far a request's signing time may be from now, as AWS allows. */
export const MAX_CLOCK_SKEW_S = 15 * 60;

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/**
 * Verifies an AWS Signature Version 4 `Authorization` header against the configured keys, as AWS
 * does: the key must exist, the signing time be within 15 minutes, the body match its signed hash,
 * and the signature be the one the key's secret gives for the signed headers. The expected
 * signature is computed by `@smithy/signature-v4`, the signer the AWS SDKs use, over the request
 * as received. Any region and service name are accepted (clients are configured with their own).
 */
export async function verifySigV4(header: string, req: SignedRequest, keys: AccessKeys, now = Date.now()): Promise<AccessKey> {
  const m = AUTHORIZATION.exec(header.trim());
  if (!m) throw new FluoroError('IncompleteSignature', 'the Authorization header is not a valid AWS4-HMAC-SHA256 signature');
  const [, keyId, day, region, service, signedList, signature] = m as unknown as [string, string, string, string, string, string, string];
  const key = keys.byId(keyId);
  if (!key) throw new FluoroError('UnrecognizedClient', `the access key ID ${keyId} is not one of this Fluoro's keys (auth.keysFile)`);
  const stamp = String(req.headers['x-amz-date'] ?? '');
  const signedAt = parseAmzDate(stamp) ?? (req.headers.date ? Date.parse(req.headers.date) : NaN);
  if (!Number.isFinite(signedAt))
    throw new FluoroError('IncompleteSignature', 'the request has no X-Amz-Date (or Date) header to check its signature against');
  if (Math.abs(now - signedAt) > MAX_CLOCK_SKEW_S * 1000) {
    throw new FluoroError(
      'InvalidSignature',
      `Signature expired: signed at ${new Date(signedAt).toISOString()}, ${Math.round((now - signedAt) / 1000)} s from this server's clock (at most ${MAX_CLOCK_SKEW_S} s)`,
    );
  }
  if (stamp && stamp.slice(0, 8) !== day)
    throw new FluoroError('InvalidSignature', `the credential scope date ${day} is not the day of X-Amz-Date ${stamp}`);
  const signed = signedList.split(';');
  if (!signed.includes('host')) throw new FluoroError('InvalidSignature', 'the signed headers must include host');
  const declared = req.headers['x-amz-content-sha256'];
  if (declared !== undefined && declared !== sha256Hex(req.body))
    throw new FluoroError('InvalidSignature', 'the body does not match its signed X-Amz-Content-Sha256');
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const v = req.headers[name];
    if (v === undefined) throw new FluoroError('InvalidSignature', `the signed header ${name} is not in the request`);
    headers[name] = Array.isArray(v) ? v.join(',') : v;
  }
  const query: Record<string, string | string[]> = {};
  for (const k of new Set(req.query.keys())) {
    const all = req.query.getAll(k);
    query[k] = all.length === 1 ? all[0]! : all;
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: key.id,
      secretAccessKey: key.secret,
      sessionToken: String(req.headers['x-amz-security-token'] ?? '') || undefined,
    },
    region,
    service,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const expected = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: headers['host']!, path: req.path, query, headers, body: req.body },
    { signingDate: new Date(signedAt), signableHeaders: new Set(signed), signingRegion: region, signingService: service },
  );
  const want = /Signature=([0-9a-f]{64})/.exec(String(expected.headers['authorization']))?.[1] ?? '';
  if (!sameBytes(signature, want)) {
    throw new FluoroError(
      'InvalidSignature',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
  }
  return key;
}

function parseAmzDate(s: string): number | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : null;
}

function sha256Hex(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The hash the signer asks for (the `Checksum` shape of @smithy/types), on node:crypto. */
class NodeSha256 {
  #h: Hash | Hmac;
  readonly #secret: string | Uint8Array | undefined;
  constructor(secret?: SourceData) {
    this.#secret = secret === undefined ? undefined : bytes(secret);
    this.#h = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
  update(data: SourceData): void {
    this.#h.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.#h.digest());
  }
  reset(): void {
    this.#h = this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }
}

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(d: SourceData): string | Uint8Array {
  if (typeof d === 'string') return d;
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}
