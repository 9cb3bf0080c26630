/** A stable 16-hex-digit ID derived from a string (FNV-1a, two 32-bit halves). */
export function derivedSpanId(from: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < from.length; i++) {
    const c = from.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ (c + 7), 0x01000193) >>> 0;
  }
  const id = a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  return id === '0000000000000000' ? '0000000000000001' : id;
}
