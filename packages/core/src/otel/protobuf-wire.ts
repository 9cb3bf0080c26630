/**
 * Protobuf's wire format, read without generated code: varints, fixed-width numbers, length-
 * delimited fields and embedded messages, every length checked against its message's end. The
 * OTLP decoder (`otlp-protobuf.ts`) reads its schema with it; encoding of the few answers Fluoro
 * sends is at the end.
 */
export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;
const MAX_DEPTH = 32;

export class WireError extends Error {}

/**
 * `hi * 2^32 + lo` nanoseconds as epoch seconds: whole seconds and nanoseconds worked out exactly
 * (in steps that stay below 2^53), then added, as the JSON decoder does. A double cannot hold the
 * nanoseconds themselves.
 */
function nanosToSeconds(hi: number, lo: number): number {
  const hiQ = Math.floor(hi / 1e9);
  const hiR = hi - hiQ * 1e9;
  const a = hiR * 65536;
  const a1 = Math.floor(a / 1e9);
  const a0 = a - a1 * 1e9;
  const b = a0 * 65536;
  const b1 = Math.floor(b / 1e9);
  const b0 = b - b1 * 1e9 + lo;
  const c1 = Math.floor(b0 / 1e9);
  const seconds = hiQ * 4294967296 + a1 * 65536 + b1 + c1;
  return seconds + (b0 - c1 * 1e9) / 1e9;
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const utf8 = new TextDecoder('utf-8', { fatal: false });
export const textDecoderUtf8 = (b: Uint8Array, start: number, end: number): string => utf8.decode(b.subarray(start, end));
const KEY_CACHE_SIZE = 1021;
const keyCache: Array<{ bytes: Uint8Array; text: string } | undefined> = new Array(KEY_CACHE_SIZE);

export class Reader {
  pos = 0;
  end: number;
  depth = 0;
  readonly view: DataView;

  constructor(
    readonly buf: Uint8Array,
    readonly utf8: (bytes: Uint8Array, start: number, end: number) => string,
  ) {
    this.end = buf.length;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  fail(what: string): never {
    throw new WireError(`${what} at byte ${this.pos}`);
  }

  /** A varint that fits 32 bits (tags, lengths, enums, counts). */
  varint32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      if (shift < 28) result |= (b & 0x7f) << shift;
      else if (shift === 28) result += (b & 0x7f) * 2 ** 28;
      else if (shift > 63) this.fail('varint longer than 10 bytes');
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }

  /** An int64 varint: a number when it is a safe integer, else its decimal text. */
  int64(): number | string {
    const start = this.pos;
    let n = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) this.fail('truncated varint');
      const b = this.buf[this.pos++]!;
      if (shift > 63) this.fail('varint longer than 10 bytes');
      if (shift < 49) {
        n += (b & 0x7f) * 2 ** shift;
        if ((b & 0x80) === 0) return n;
      } else break;
      shift += 7;
    }
    // Large or negative: redo it exactly.
    this.pos = start;
    let big = 0n;
    let bshift = 0n;
    for (;;) {
      const b = this.buf[this.pos++]!;
      big |= BigInt(b & 0x7f) << bshift;
      if ((b & 0x80) === 0) break;
      bshift += 7n;
    }
    const v = BigInt.asIntN(64, big);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  }

  /** A fixed64 nanosecond timestamp, as epoch seconds. */
  nanosAsSeconds(): number {
    if (this.pos + 8 > this.end) this.fail('truncated fixed64');
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return nanosToSeconds(hi, lo);
  }

  double(): number {
    if (this.pos + 8 > this.end) this.fail('truncated double');
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  fixed32(): number {
    if (this.pos + 4 > this.end) this.fail('truncated fixed32');
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** The bounds of a length-delimited field's content. */
  length(): number {
    const n = this.varint32();
    if (n < 0 || this.pos + n > this.end) this.fail(`length ${n} runs past the end of its message`);
    return n;
  }

  string(): string {
    const n = this.length();
    const start = this.pos;
    this.pos += n;
    return n === 0 ? '' : this.utf8(this.buf, start, start + n);
  }

  /**
   * An attribute key. The same few keys come in every span, so they are decoded once and found
   * again by their bytes (a small cache, by length and a rolling hash).
   */
  key(): string {
    const n = this.length();
    const start = this.pos;
    this.pos += n;
    if (n > 48) return this.utf8(this.buf, start, start + n);
    let h = n;
    for (let i = start; i < start + n; i++) h = (Math.imul(h, 31) + this.buf[i]!) | 0;
    const slot = (h >>> 0) % KEY_CACHE_SIZE;
    const cached = keyCache[slot];
    if (cached !== undefined && cached.bytes.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) {
        if (cached.bytes[i] !== this.buf[start + i]) {
          same = false;
          break;
        }
      }
      if (same) return cached.text;
    }
    const text = this.utf8(this.buf, start, start + n);
    keyCache[slot] = { bytes: this.buf.slice(start, start + n), text };
    return text;
  }

  hex(): string {
    const n = this.length();
    let s = '';
    for (let i = this.pos; i < this.pos + n; i++) s += HEX[this.buf[i]!];
    this.pos += n;
    return s;
  }

  base64(): string {
    const n = this.length();
    const part = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    let bin = '';
    for (const b of part) bin += String.fromCharCode(b);
    return btoa(bin);
  }

  /** Enters an embedded message: its fields are read until `pos === end`. Returns the outer end, for `leave`. */
  enter(): number {
    const n = this.length();
    const outer = this.end;
    this.end = this.pos + n;
    if (++this.depth > MAX_DEPTH) this.fail(`messages nested deeper than ${MAX_DEPTH}`);
    return outer;
  }

  leave(outer: number): void {
    if (this.pos !== this.end) this.fail('message overran its length');
    this.depth--;
    this.end = outer;
  }

  /** Reads an embedded message with `read`, confined to its length. */
  nested<T>(read: (r: Reader) => T): T {
    const n = this.length();
    const outer = this.end;
    this.end = this.pos + n;
    if (++this.depth > MAX_DEPTH) this.fail(`messages nested deeper than ${MAX_DEPTH}`);
    const value = read(this);
    if (this.pos !== this.end) this.fail('message overran its length');
    this.depth--;
    this.end = outer;
    return value;
  }

  skip(tag: number): void {
    switch (tag & 7) {
      case VARINT:
        this.int64();
        return;
      case I64:
        if (this.pos + 8 > this.end) this.fail('truncated fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.pos += this.length();
        return;
      case I32:
        if (this.pos + 4 > this.end) this.fail('truncated fixed32');
        this.pos += 4;
        return;
      default:
        this.fail(`wire type ${tag & 7} (field ${tag >>> 3}) is not valid`);
    }
  }

  /** Checks a field's wire type before reading it as expected. */
  expect(tag: number, wire: number): void {
    if ((tag & 7) !== wire) this.fail(`field ${tag >>> 3} has wire type ${tag & 7}, expected ${wire}`);
  }
}

/** Protobuf encoding of the few messages Fluoro answers with. */
export class Writer {
  readonly bytes: number[] = [];
  varint(n: number): this {
    let v = n;
    while (v > 0x7f) {
      this.bytes.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.bytes.push(v);
    return this;
  }
  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }
  string(field: number, s: string): this {
    const b = new TextEncoder().encode(s);
    this.tag(field, LEN).varint(b.length);
    for (const x of b) this.bytes.push(x);
    return this;
  }
  message(field: number, m: Writer): this {
    this.tag(field, LEN).varint(m.bytes.length);
    for (const x of m.bytes) this.bytes.push(x);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
