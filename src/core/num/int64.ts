/**
 * 64-bit integer arithmetic on (lo, hi) int32 pairs — the number policy of the
 * interpreter's hot path. BigInt is ~40x slower here, so hot code keeps two
 * int32 halves and only converts to BigInt at the edges (results, helpers).
 *
 * Functions that produce a 64-bit value write it into `OUT` (lo at 0, hi at 1)
 * instead of allocating a pair; callers copy it out immediately.
 */

/** Scratch output of the pair functions below: OUT[0] = lo, OUT[1] = hi. */
export const OUT = new Int32Array(2);

const TWO32 = 4294967296;

/** Unsigned 64-bit value of a pair as a BigInt. */
export function pairToU64(lo: number, hi: number): bigint {
  // Values below 2^53 (small numbers, pointers) take one Number -> BigInt conversion.
  if (hi >= 0 && hi < 0x200000) return BigInt(hi * TWO32 + (lo >>> 0));
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Signed 64-bit value of a pair as a BigInt. */
export function pairToS64(lo: number, hi: number): bigint {
  return BigInt.asIntN(64, pairToU64(lo, hi));
}

/**
 * Low 32 bits of a BigInt as an int32. Safe integers (|v| < 2^53, which
 * includes pointers and errno values) avoid BigInt arithmetic: ToInt32 is
 * already modulo 2^32.
 */
export function u64Lo(v: bigint): number {
  const n = Number(v);
  if (Number.isSafeInteger(n)) return n | 0;
  return Number(BigInt.asUintN(32, v)) | 0;
}

/** High 32 bits (of its 64-bit two's complement) of a BigInt as an int32. */
export function u64Hi(v: bigint): number {
  const n = Number(v);
  if (Number.isSafeInteger(n)) return Math.floor(n / TWO32) | 0;
  // For negative v the arithmetic shift keeps two's complement high bits.
  return Number(BigInt.asUintN(32, v >> 32n)) | 0;
}

/** `0x`-prefixed lowercase hex of an unsigned 64-bit value. */
export function hexU64(v: bigint): string {
  return '0x' + BigInt.asUintN(64, v).toString(16);
}

/** High half of the unsigned 32x32 -> 64-bit product, as int32. */
export function mulHighU32(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  // product = a1*b1*2^32 + (a1*b0 + a0*b1)*2^16 + a0*b0; every sum below stays under 2^53.
  const cross = a1 * b0 + a0 * b1 + Math.floor((a0 * b0) / 65536);
  return (a1 * b1 + Math.floor(cross / 65536)) | 0;
}

/** 64-bit multiply (wrapping; same bits for signed and unsigned) into OUT. */
export function mul64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  OUT[0] = Math.imul(aLo, bLo);
  OUT[1] = (mulHighU32(aLo, bLo) + Math.imul(aHi, bLo) + Math.imul(aLo, bHi)) | 0;
}

/** Writes a BigInt's 64-bit two's complement into OUT (one conversion for safe integers). */
export function bigToOut(v: bigint): void {
  const n = Number(v);
  if (Number.isSafeInteger(n)) {
    OUT[0] = n | 0;
    OUT[1] = Math.floor(n / TWO32) | 0;
  } else {
    OUT[0] = Number(BigInt.asUintN(32, v)) | 0;
    OUT[1] = Number(BigInt.asUintN(32, v >> 32n)) | 0;
  }
}

/** True when the pair is a sign-extended int32 (fits a double exactly and cheaply). */
function isSmallSigned(lo: number, hi: number): boolean {
  return hi === lo >> 31;
}

/**
 * Unsigned 64-bit division into OUT. Division by zero yields 0 (the BPF ISA's
 * rule, not a trap).
 */
export function divU64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  if (bLo === 0 && bHi === 0) {
    OUT[0] = 0;
    OUT[1] = 0;
  } else if (aHi === 0 && bHi === 0) {
    OUT[0] = Math.floor((aLo >>> 0) / (bLo >>> 0)) | 0;
    OUT[1] = 0;
  } else {
    bigToOut(pairToU64(aLo, aHi) / pairToU64(bLo, bHi));
  }
}

/** Unsigned 64-bit modulo into OUT. Modulo by zero leaves the dividend. */
export function modU64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  if (bLo === 0 && bHi === 0) {
    OUT[0] = aLo;
    OUT[1] = aHi;
  } else if (aHi === 0 && bHi === 0) {
    OUT[0] = (aLo >>> 0) % (bLo >>> 0) | 0;
    OUT[1] = 0;
  } else {
    bigToOut(pairToU64(aLo, aHi) % pairToU64(bLo, bHi));
  }
}

/**
 * Signed 64-bit division (truncating toward zero) into OUT. By zero: 0.
 * INT64_MIN / -1 overflows to INT64_MIN, as the ISA specifies.
 */
export function divS64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  if (bLo === 0 && bHi === 0) {
    OUT[0] = 0;
    OUT[1] = 0;
  } else if (isSmallSigned(aLo, aHi) && isSmallSigned(bLo, bHi)) {
    // |quotient| <= 2^31: exact in a double; 2^31 itself (INT32_MIN / -1) is positive in 64 bits.
    const q = Math.trunc(aLo / bLo);
    OUT[0] = q | 0;
    OUT[1] = q < 0 ? -1 : 0;
  } else {
    bigToOut(BigInt.asUintN(64, pairToS64(aLo, aHi) / pairToS64(bLo, bHi)));
  }
}

/** Signed 64-bit modulo (sign of the dividend) into OUT. By zero: the dividend. */
export function modS64(aLo: number, aHi: number, bLo: number, bHi: number): void {
  if (bLo === 0 && bHi === 0) {
    OUT[0] = aLo;
    OUT[1] = aHi;
  } else if (isSmallSigned(aLo, aHi) && isSmallSigned(bLo, bHi)) {
    const r = (aLo % bLo) | 0; // -0 from INT32_MIN % -1 becomes 0
    OUT[0] = r;
    OUT[1] = r >> 31;
  } else {
    bigToOut(BigInt.asUintN(64, pairToS64(aLo, aHi) % pairToS64(bLo, bHi)));
  }
}

/** Unsigned 32-bit division: by zero gives 0. */
export function divU32(a: number, b: number): number {
  return b === 0 ? 0 : Math.floor((a >>> 0) / (b >>> 0)) | 0;
}

/** Unsigned 32-bit modulo: by zero leaves the dividend. */
export function modU32(a: number, b: number): number {
  return b === 0 ? a : (a >>> 0) % (b >>> 0) | 0;
}

/** Signed 32-bit division: by zero 0; INT32_MIN / -1 wraps to INT32_MIN. */
export function divS32(a: number, b: number): number {
  return b === 0 ? 0 : Math.trunc((a | 0) / (b | 0)) | 0;
}

/** Signed 32-bit modulo: by zero leaves the dividend; INT32_MIN % -1 is 0. */
export function modS32(a: number, b: number): number {
  return b === 0 ? a : ((a | 0) % (b | 0)) | 0;
}

/** Left shift by n (0..63) into OUT. */
export function shl64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    OUT[0] = lo;
    OUT[1] = hi;
  } else if (n < 32) {
    OUT[1] = (hi << n) | (lo >>> (32 - n));
    OUT[0] = lo << n;
  } else {
    OUT[1] = lo << (n - 32);
    OUT[0] = 0;
  }
}

/** Logical right shift by n (0..63) into OUT. */
export function shr64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    OUT[0] = lo;
    OUT[1] = hi;
  } else if (n < 32) {
    OUT[0] = (lo >>> n) | (hi << (32 - n));
    OUT[1] = hi >>> n;
  } else {
    OUT[0] = hi >>> (n - 32);
    OUT[1] = 0;
  }
}

/** Arithmetic right shift by n (0..63) into OUT. */
export function sar64(lo: number, hi: number, n: number): void {
  if (n === 0) {
    OUT[0] = lo;
    OUT[1] = hi;
  } else if (n < 32) {
    OUT[0] = (lo >>> n) | (hi << (32 - n));
    OUT[1] = hi >> n;
  } else {
    OUT[0] = hi >> (n - 32);
    OUT[1] = hi >> 31;
  }
}

/** Byte-swap of a 32-bit value. */
export function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** Byte-swap of the low 16 bits, zero-extended. */
export function bswap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
}

/** Unsigned comparison of two pairs: negative, zero or positive. */
export function cmpU64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  if (aHi !== bHi) return (aHi >>> 0) < (bHi >>> 0) ? -1 : 1;
  if (aLo !== bLo) return (aLo >>> 0) < (bLo >>> 0) ? -1 : 1;
  return 0;
}

/** Signed comparison of two pairs: negative, zero or positive. */
export function cmpS64(aLo: number, aHi: number, bLo: number, bHi: number): number {
  if (aHi !== bHi) return aHi < bHi ? -1 : 1;
  if (aLo !== bLo) return (aLo >>> 0) < (bLo >>> 0) ? -1 : 1;
  return 0;
}
