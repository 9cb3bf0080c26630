import { parseSegmentDocument, type Span } from '@fluoro/core';

const NEWLINE = 0x0a;
/** What X-Ray SDKs send; compared byte for byte before falling back to parsing the header. */
const CANONICAL_HEADER = Buffer.from('{"format":"json","version":1}');

export type DatagramResult = { readonly spans: Span[]; readonly unindexed: number } | { readonly reason: string; readonly message: string };

/**
 * One X-Ray daemon-protocol datagram (spec §2.1): a JSON header line, `\n`, one segment document.
 * Refused when there is no newline or nothing after it (`MissingHeader`), when the header is not
 * `format: json` (any case) with `version: 1` (`InvalidHeader`), or when the document is invalid
 * (its rejection code). Never throws.
 */
export function parseDatagram(msg: Buffer): DatagramResult {
  const nl = msg.indexOf(NEWLINE);
  if (nl < 0 || isBlank(msg, nl + 1))
    return { reason: 'MissingHeader', message: 'datagram has no header line or no segment document after it' };
  const canonical = nl === CANONICAL_HEADER.length && msg.compare(CANONICAL_HEADER, 0, nl, 0, nl) === 0;
  if (!canonical && !validHeader(msg.toString('utf8', 0, nl))) {
    return {
      reason: 'InvalidHeader',
      message: `datagram header ${JSON.stringify(msg.toString('utf8', 0, Math.min(nl, 80)))} is not {"format":"json","version":1}`,
    };
  }
  const result = parseSegmentDocument(msg.toString('utf8', nl + 1), msg.length - nl - 1);
  return result.ok
    ? { spans: result.spans, unindexed: result.unindexed }
    : { reason: result.rejection.code, message: result.rejection.message };
}

function isBlank(msg: Buffer, from: number): boolean {
  for (let i = from; i < msg.length; i++) {
    const c = msg[i]!;
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return false;
  }
  return true;
}

function validHeader(text: string): boolean {
  try {
    const h = JSON.parse(text) as { format?: unknown; version?: unknown };
    return typeof h.format === 'string' && h.format.toLowerCase() === 'json' && h.version === 1;
  } catch {
    return false;
  }
}
