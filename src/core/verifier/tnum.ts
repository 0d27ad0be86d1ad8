/**
 * Tristate numbers (kernel/bpf/tnum.c): a 64-bit value where each bit is
 * known 0, known 1 or unknown. `mask` has a 1 for every unknown bit; `value`
 * holds the known bits and is 0 wherever `mask` is 1 (the invariant every
 * constructor here keeps). Immutable; all arithmetic is modulo 2^64.
 */
export interface Tnum {
  readonly value: bigint;
  readonly mask: bigint;
}

export const U64_MAX = (1n << 64n) - 1n;
export const U32_MAX = (1n << 32n) - 1n;

/** x mod 2^64 (a value already in range is returned as it is: no new BigInt) */
const wrap = (x: bigint): bigint => (x >= 0n && x <= U64_MAX ? x : x & U64_MAX);

function make(value: bigint, mask: bigint): Tnum {
  const m = wrap(mask);
  return { value: wrap(value) & ~m, mask: m };
}

export const TNUM_UNKNOWN: Tnum = { value: 0n, mask: U64_MAX };

/** tnum_const: every bit known. */
export function tnumConst(v: bigint): Tnum {
  return { value: wrap(v), mask: 0n };
}

/**
 * Number of significant bits of a non-negative value (0 for 0), counted
 * 32 bits at a time: printing the value in binary to measure it allocated
 * a string on every call.
 */
export function bitLength(x: bigint): number {
  let n = 0;
  while (x > 0xffffffffn) {
    x >>= 32n;
    n += 32;
  }
  return n + 32 - Math.clz32(Number(x));
}

/** Number of significant bits (fls64). */
function fls64(x: bigint): number {
  return bitLength(x);
}

/** tnum_range: the tightest tnum that contains every value in [min, max] (unsigned). */
export function tnumRange(min: bigint, max: bigint): Tnum {
  const lo = wrap(min);
  const chi = lo ^ wrap(max);
  if (chi === 0n) return { value: lo, mask: 0n };
  const bits = fls64(chi);
  if (bits > 63) return TNUM_UNKNOWN;
  const delta = LOW_BITS[bits];
  return make(lo & ~delta, delta);
}

/** LOW_BITS[n] = 2^n - 1: masks built once instead of per call. */
const LOW_BITS: readonly bigint[] = Array.from({ length: 65 }, (_, n) => (1n << BigInt(n)) - 1n);

export function tnumLshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return { value: wrap(a.value << s), mask: wrap(a.mask << s) };
}

export function tnumRshift(a: Tnum, shift: number): Tnum {
  const s = BigInt(shift);
  return { value: a.value >> s, mask: a.mask >> s };
}

/** tnum_arshift: arithmetic shift in a 32- or 64-bit register (a 32-bit result is zero-extended). */
export function tnumArshift(a: Tnum, shift: number, bitness: 32 | 64): Tnum {
  const s = BigInt(shift);
  if (bitness === 32) {
    const v = BigInt.asIntN(32, a.value) >> s;
    const m = BigInt.asIntN(32, a.mask) >> s;
    return { value: BigInt.asUintN(32, v), mask: BigInt.asUintN(32, m) };
  }
  const v = BigInt.asIntN(64, a.value) >> s;
  const m = BigInt.asIntN(64, a.mask) >> s;
  return { value: wrap(v), mask: wrap(m) };
}

export function tnumAdd(a: Tnum, b: Tnum): Tnum {
  const sm = wrap(a.mask + b.mask);
  const sv = wrap(a.value + b.value);
  const sigma = wrap(sm + sv);
  const chi = sigma ^ sv;
  const mu = chi | a.mask | b.mask;
  return make(sv, mu);
}

export function tnumSub(a: Tnum, b: Tnum): Tnum {
  const dv = wrap(a.value - b.value);
  const alpha = wrap(dv + a.mask);
  const beta = wrap(dv - b.mask);
  const chi = alpha ^ beta;
  const mu = chi | a.mask | b.mask;
  return make(dv, mu);
}

export function tnumAnd(a: Tnum, b: Tnum): Tnum {
  const alpha = a.value | a.mask;
  const beta = b.value | b.mask;
  const v = a.value & b.value;
  return { value: v, mask: alpha & beta & ~v };
}

export function tnumOr(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask | b.mask;
  return { value: v, mask: mu & ~v };
}

export function tnumXor(a: Tnum, b: Tnum): Tnum {
  const v = a.value ^ b.value;
  const mu = a.mask | b.mask;
  return make(v, mu);
}

/** tnum_mul: shift-and-add over the bits of `a`, accumulating uncertainty separately. */
export function tnumMul(a: Tnum, b: Tnum): Tnum {
  const accV = wrap(a.value * b.value);
  let accM: Tnum = { value: 0n, mask: 0n };
  let x = a;
  let y = b;
  while (x.value !== 0n || x.mask !== 0n) {
    if ((x.value & 1n) !== 0n) accM = tnumAdd(accM, { value: 0n, mask: y.mask });
    else if ((x.mask & 1n) !== 0n) accM = tnumAdd(accM, { value: 0n, mask: y.value | y.mask });
    x = tnumRshift(x, 1);
    y = tnumLshift(y, 1);
  }
  return tnumAdd(tnumConst(accV), accM);
}

/** tnum_intersect: bits known in either operand (the operands must be compatible). */
export function tnumIntersect(a: Tnum, b: Tnum): Tnum {
  const v = a.value | b.value;
  const mu = a.mask & b.mask;
  // mostly the range adds nothing the tnum did not know: keep the tnum itself (no allocation)
  if (v === a.value && mu === a.mask) return a;
  return make(v, mu);
}

/** tnum_cast: keep the low `size` bytes. */
export function tnumCast(a: Tnum, size: number): Tnum {
  const m = size >= 0 && size <= 8 ? LOW_BITS[size * 8] : (1n << BigInt(size * 8)) - 1n;
  return { value: a.value & m, mask: a.mask & m };
}

export function tnumIsAligned(a: Tnum, size: number): boolean {
  if (size === 0) return true;
  return ((a.value | a.mask) & BigInt(size - 1)) === 0n;
}

/** tnum_in: is every value of `b` a value of `a`? */
export function tnumIn(a: Tnum, b: Tnum): boolean {
  if ((b.mask & ~a.mask) !== 0n) return false;
  return a.value === (b.value & ~a.mask);
}

export const tnumIsConst = (a: Tnum): boolean => a.mask === 0n;
export const tnumIsUnknown = (a: Tnum): boolean => a.mask === U64_MAX;
export const tnumEquals = (a: Tnum, b: Tnum): boolean => a.value === b.value && a.mask === b.mask;
export const tnumEqualsConst = (a: Tnum, v: bigint): boolean => a.mask === 0n && a.value === v;

export const tnumSubreg = (a: Tnum): Tnum => tnumCast(a, 4);
export const tnumClearSubreg = (a: Tnum): Tnum => tnumLshift(tnumRshift(a, 32), 32);
export function tnumWithSubreg(reg: Tnum, subreg: Tnum): Tnum {
  return tnumOr(tnumClearSubreg(reg), tnumSubreg(subreg));
}
export const tnumConstSubreg = (a: Tnum, v: bigint): Tnum => tnumWithSubreg(a, tnumConst(v));
export const tnumSubregIsConst = (a: Tnum): boolean => (a.mask & U32_MAX) === 0n;

/** tnum_strn: a constant prints as its value, otherwise "(value; mask)" in hex. */
export function tnumToString(a: Tnum): string {
  if (a.mask === 0n) return a.value <= 0xffffn ? a.value.toString() : `0x${a.value.toString(16)}`;
  return `(${hexOrZero(a.value)}; ${hexOrZero(a.mask)})`;
}

/** The kernel's "%#llx" (its vsprintf prints 0 as "0x0", unlike glibc). */
export function hexOrZero(v: bigint): string {
  return `0x${v.toString(16)}`;
}

const TWO_64 = 1n << 64n;

/**
 * The smallest value of `t` strictly greater than `z`, or 2^64 when there is
 * none (tnum_step). Used to notice when a range and a tnum share one value.
 */
export function tnumStep(t: Tnum, z: bigint): bigint {
  const NONE = TWO_64;
  const fixed = ~t.mask & U64_MAX;
  const diff = (z ^ t.value) & fixed;
  if (diff === 0n) {
    // z matches every known bit: step its unknown bits to the next subset of the mask
    const next = ((z & t.mask) | fixed) + 1n;
    return next > U64_MAX ? NONE : t.value | (next & t.mask);
  }
  const topBit = bitLength(diff) - 1; // highest known bit where z and t disagree
  const top = BigInt(topBit);
  const above = U64_MAX ^ LOW_BITS[topBit + 1]; // the bits above it
  if ((t.value >> top) & 1n) {
    // t has a 1 where z has a 0: keep z's unknown bits above, clear the rest
    return t.value | (z & t.mask & above);
  }
  // t has a 0 where z has a 1: the unknown bits above must count up by one
  const freeAbove = t.mask & above;
  const next = ((z & freeAbove) | (~freeAbove & U64_MAX)) + 1n;
  if (next > U64_MAX) return NONE;
  return t.value | (next & freeAbove);
}
