import { timingSafeEqual } from 'node:crypto';

/**
 * Whether two secrets (or signatures) are the same, in time that does not depend on where they
 * first differ; strings are compared as their UTF-8 bytes.
 */
export function sameBytes(given: Buffer | string, expected: Buffer | string): boolean {
  const a = typeof given === 'string' ? Buffer.from(given) : given;
  const b = typeof expected === 'string' ? Buffer.from(expected) : expected;
  return a.length === b.length && timingSafeEqual(a, b);
}
