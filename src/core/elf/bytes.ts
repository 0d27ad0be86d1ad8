/**
 * Bounds-checked little-endian reads over untrusted bytes. Every read names
 * what it was reading, so a corrupt file yields "section header 7 at 0x1c40:
 * needs 64 bytes, file has 100" instead of a RangeError from a DataView.
 */
import { LoadError } from './errors.ts';

export class ByteView {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws unless [offset, offset+size) lies inside the buffer. */
  need(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
      throw new LoadError(`${what} at 0x${hexNum(offset)}: needs ${size} bytes, only ${Math.max(0, this.bytes.length - Math.max(0, offset))} available`);
    }
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.view.getUint16(offset, true);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, true);
  }

  i32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getInt32(offset, true);
  }

  /**
   * A 64-bit size or offset. Values that do not fit a JS number exactly are
   * corrupt for our purposes (no real object is 2^53 bytes), so they fail here.
   */
  u64(offset: number, what: string): number {
    this.need(offset, 8, what);
    const lo = this.view.getUint32(offset, true);
    const hi = this.view.getUint32(offset + 4, true);
    if (hi >= 0x200000) throw new LoadError(`${what} at 0x${hexNum(offset)}: value 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')} is too large`);
    return hi * 0x1_0000_0000 + lo;
  }

  slice(offset: number, size: number, what: string): Uint8Array {
    this.need(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }

  /** NUL-terminated string starting at offset; must end inside the buffer. */
  cstring(offset: number, what: string, decode: (b: Uint8Array) => string = latin1): string {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset >= this.bytes.length) {
      throw new LoadError(`${what}: string offset ${offset} is outside the string table (${this.bytes.length} bytes)`);
    }
    const end = this.bytes.indexOf(0, offset);
    if (end < 0) throw new LoadError(`${what}: string at offset ${offset} is not NUL-terminated`);
    return decode(this.bytes.subarray(offset, end));
  }
}

/** Bytes to a string without a TextDecoder (names are ASCII; keep odd bytes visible). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  }
  return s;
}

/** Decode UTF-8 text such as C source lines in BTF, tolerating bad sequences. */
export function utf8(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

export function hexNum(n: number): string {
  return Number.isFinite(n) ? Math.max(0, n).toString(16) : String(n);
}
