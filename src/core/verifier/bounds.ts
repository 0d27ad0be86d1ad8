/**
 * Scalar bounds: one range per domain (u64, s64, u32, s32) plus the tnum,
 * kept consistent by reg_bounds_sync (kernel/bpf/verifier.c). All values are
 * BigInt; the unsigned domains hold [0, 2^n), the signed ones two's-complement
 * values as negative BigInts.
 */
import {
  Tnum,
  TNUM_UNKNOWN,
  U32_MAX,
  U64_MAX,
  tnumConst,
  tnumIntersect,
  tnumRange,
  tnumStep,
  tnumSubreg,
  tnumWithSubreg,
} from './tnum.ts';

export const S64_MIN = -(1n << 63n);
export const S64_MAX = (1n << 63n) - 1n;
export const S32_MIN = -(1n << 31n);
export const S32_MAX = (1n << 31n) - 1n;

export interface ScalarBounds {
  varOff: Tnum;
  umin: bigint;
  umax: bigint;
  smin: bigint;
  smax: bigint;
  u32min: bigint;
  u32max: bigint;
  s32min: bigint;
  s32max: bigint;
}

// Wrapping conversions. A value already in range is returned as it is:
// BigInt.asIntN/asUintN allocate a new BigInt even then, and these run
// many times per instruction (the garbage was a large share of the time).
export const s64 = (x: bigint): bigint => (x >= S64_MIN && x <= S64_MAX ? x : BigInt.asIntN(64, x));
export const u64 = (x: bigint): bigint => (x >= 0n && x <= U64_MAX ? x : BigInt.asUintN(64, x));
export const s32 = (x: bigint): bigint => (x >= S32_MIN && x <= S32_MAX ? x : BigInt.asIntN(32, x));
export const u32 = (x: bigint): bigint => (x >= 0n && x <= U32_MAX ? x : BigInt.asUintN(32, x));
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const HIGH32 = U64_MAX ^ U32_MAX;
const SIGN64 = 1n << 63n;
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

export function unboundedBounds(): ScalarBounds {
  return {
    varOff: TNUM_UNKNOWN,
    umin: 0n,
    umax: U64_MAX,
    smin: S64_MIN,
    smax: S64_MAX,
    u32min: 0n,
    u32max: U32_MAX,
    s32min: S32_MIN,
    s32max: S32_MAX,
  };
}

/** __mark_reg_unbounded + unknown var_off. */
export function setUnbounded(b: ScalarBounds): void {
  b.varOff = TNUM_UNKNOWN;
  set64Unbounded(b);
  set32Unbounded(b);
}

export function set64Unbounded(b: ScalarBounds): void {
  b.umin = 0n;
  b.umax = U64_MAX;
  b.smin = S64_MIN;
  b.smax = S64_MAX;
}

export function set32Unbounded(b: ScalarBounds): void {
  b.u32min = 0n;
  b.u32max = U32_MAX;
  b.s32min = S32_MIN;
  b.s32max = S32_MAX;
}

/** ___mark_reg_known: the register holds exactly `v`. */
export function setKnown(b: ScalarBounds, v: bigint): void {
  b.varOff = tnumConst(v);
  b.umin = b.umax = u64(v);
  b.smin = b.smax = s64(v);
  b.u32min = b.u32max = u32(v);
  b.s32min = b.s32max = s32(v);
}

/** __mark_reg32_known: only the low 32 bits are known. */
export function set32Known(b: ScalarBounds, v: bigint): void {
  b.varOff = tnumWithSubreg(b.varOff, tnumConst(v));
  b.u32min = b.u32max = u32(v);
  b.s32min = b.s32max = s32(v);
}

/** __update_reg32_bounds: tighten the 32-bit ranges from the tnum. */
function updateReg32Bounds(b: ScalarBounds): void {
  // the low 32 bits of the tnum (tnum_subreg), without building it
  const tv = b.varOff.value & U32_MAX;
  const tm = b.varOff.mask & U32_MAX;
  b.s32min = max(b.s32min, s32(tv | (tm & 0x80000000n)));
  b.s32max = min(b.s32max, s32(tv | (tm & 0x7fffffffn)));
  b.u32min = max(b.u32min, tv);
  b.u32max = min(b.u32max, tv | tm);
}

/**
 * A cheap sufficient test that singleSharedValue has nothing to do: umin is
 * a member of the tnum with its lowest unknown bit clear, so the next member
 * is umin plus that bit (members differ by multiples of it), and the range
 * reaches it. Saves the tnum_step search in the common case.
 */
function sharesTwoFromUmin(b: ScalarBounds): boolean {
  const t = b.varOff;
  if ((b.umin & ~t.mask) !== t.value) return false;
  const low = t.mask & -t.mask;
  return low !== 0n && (b.umin & low) === 0n && b.umax - b.umin >= low;
}

/** 6.18: when the unsigned range and the tnum share a single value, that is the value. */
function singleSharedValue(b: ScalarBounds): void {
  if (sharesTwoFromUmin(b)) return;
  const tmax = b.varOff.value | b.varOff.mask;
  const next = tnumStep(b.varOff, b.umin);
  const uminIn = (b.umin & ~b.varOff.mask) === b.varOff.value;
  if (uminIn && next > b.umax) setKnown(b, b.umin);
  else if (!uminIn && next === tmax) setKnown(b, tmax);
  else if (!uminIn && next <= b.umax && tnumStep(b.varOff, next) > b.umax) setKnown(b, next);
}

/** __update_reg64_bounds: tighten the 64-bit ranges from the tnum. */
function updateReg64Bounds(b: ScalarBounds): void {
  // (a constant tnum already pins every bound through the code below; skip the search)
  if (b.varOff.mask !== 0n) singleSharedValue(b);
  const t = b.varOff;
  b.smin = max(b.smin, s64(t.value | (t.mask & SIGN64)));
  b.smax = min(b.smax, s64(t.value | (t.mask & S64_MAX)));
  b.umin = max(b.umin, t.value);
  b.umax = min(b.umax, t.value | t.mask);
}

/** __update_reg_bounds */
export function updateRegBounds(b: ScalarBounds): void {
  updateReg32Bounds(b);
  updateReg64Bounds(b);
}

const TWO_32 = 1n << 32n;

/**
 * a >> 32 === b >> 32, without allocating shifted values when both sit in
 * [0, 2^32) or both in [-2^32, 0), the common cases.
 */
function sameUpper32(a: bigint, b: bigint): boolean {
  if (a >= 0n && a <= U32_MAX && b >= 0n && b <= U32_MAX) return true;
  if (a < 0n && a >= -TWO_32 && b < 0n && b >= -TWO_32) return true;
  return a >> 32n === b >> 32n;
}

/** (x & HIGH32) | lo, skipping the masking when x has no upper bits. */
function withLow32(x: bigint, lo: bigint): bigint {
  if (x >= 0n && x <= U32_MAX) return lo;
  return (x & HIGH32) | lo;
}

/** __reg32_deduce_bounds: learn 32-bit ranges from 64-bit ones and between u32/s32. */
function deduce32(b: ScalarBounds): void {
  if (sameUpper32(b.umin, b.umax)) {
    b.u32min = max(b.u32min, u32(b.umin));
    b.u32max = min(b.u32max, u32(b.umax));
    if (s32(b.umin) <= s32(b.umax)) {
      b.s32min = max(b.s32min, s32(b.umin));
      b.s32max = min(b.s32max, s32(b.umax));
    }
  }
  if (sameUpper32(b.smin, b.smax)) {
    if (u32(b.smin) <= u32(b.smax)) {
      b.u32min = max(b.u32min, u32(b.smin));
      b.u32max = min(b.u32max, u32(b.smax));
    }
    if (s32(b.smin) <= s32(b.smax)) {
      b.s32min = max(b.s32min, s32(b.smin));
      b.s32max = min(b.s32max, s32(b.smax));
    }
  }
  // Upper halves differ by one and the low halves cross the s32 sign boundary
  // (the cheap sign tests first: they usually settle it)
  if (s32(b.umin) < 0n && s32(b.umax) >= 0n && u32(u32(b.umin >> 32n) + 1n) === u32(b.umax >> 32n)) {
    b.s32min = max(b.s32min, s32(b.umin));
    b.s32max = min(b.s32max, s32(b.umax));
  }
  if (s32(b.smin) < 0n && s32(b.smax) >= 0n && u32(u32(b.smin >> 32n) + 1n) === u32(b.smax >> 32n)) {
    b.s32min = max(b.s32min, s32(b.smin));
    b.s32max = min(b.s32max, s32(b.smax));
  }
  if (s32(b.u32min) <= s32(b.u32max)) {
    b.s32min = max(b.s32min, s32(b.u32min));
    b.s32max = min(b.s32max, s32(b.u32max));
  }
  if (u32(b.s32min) <= u32(b.s32max)) {
    b.u32min = max(u32(b.s32min), b.u32min);
    b.u32max = min(u32(b.s32max), b.u32max);
  } else if (b.u32max < u32(b.s32min)) {
    b.s32min = s32(b.u32min);
    b.u32max = min(b.u32max, u32(b.s32max));
  } else if (u32(b.s32max) < b.u32min) {
    b.s32max = s32(b.u32max);
    b.u32min = max(b.u32min, u32(b.s32min));
  }
}

/** __reg64_deduce_bounds: learn between u64 and s64. */
function deduce64(b: ScalarBounds): void {
  if (s64(b.umin) <= s64(b.umax)) {
    b.smin = max(b.smin, s64(b.umin));
    b.smax = min(b.smax, s64(b.umax));
  }
  if (u64(b.smin) <= u64(b.smax)) {
    b.umin = max(u64(b.smin), b.umin);
    b.umax = min(u64(b.smax), b.umax);
  } else if (b.umax < u64(b.smin)) {
    b.smin = s64(b.umin);
    b.umax = min(b.umax, u64(b.smax));
  } else if (u64(b.smax) < b.umin) {
    b.smax = s64(b.umax);
    b.umin = max(b.umin, u64(b.smin));
  }
}

/** __reg_deduce_mixed_bounds: refine 64-bit ranges with the 32-bit ones. */
function deduceMixed(b: ScalarBounds): void {
  b.umin = max(b.umin, withLow32(b.umin, b.u32min));
  b.umax = min(b.umax, withLow32(b.umax, b.u32max));
  b.smin = max(b.smin, s64(withLow32(u64(b.smin), b.u32min)));
  b.smax = min(b.smax, s64(withLow32(u64(b.smax), b.u32max)));
  if (u32(b.s32min) <= u32(b.s32max)) {
    b.umin = max(b.umin, withLow32(b.umin, u32(b.s32min)));
    b.umax = min(b.umax, withLow32(b.umax, u32(b.s32max)));
    b.smin = max(b.smin, s64(withLow32(u64(b.smin), u32(b.s32min))));
    b.smax = min(b.smax, s64(withLow32(u64(b.smax), u32(b.s32max))));
  }
  if (b.s32min >= 0n && b.smin >= S32_MIN && b.smax <= S32_MAX) {
    b.smin = b.s32min;
    b.smax = b.s32max;
    b.umin = b.s32min;
    b.umax = b.s32max;
    b.varOff = tnumIntersect(b.varOff, tnumRange(b.smin, b.smax));
  }
}

/** __reg_bound_offset: tighten the tnum from the unsigned ranges. */
function boundOffset(b: ScalarBounds): void {
  // tnum_intersect(var_off, tnum_range(umin, umax)), then the same for the
  // low 32 bits, then tnum_with_subreg: written out on the two words so only
  // the result is allocated (this runs after nearly every scalar update)
  const t = b.varOff;
  const r64 = tnumRange(b.umin, b.umax);
  const m64 = t.mask & r64.mask & U64_MAX;
  const v64 = (t.value | r64.value) & U64_MAX & ~m64;
  const r32 = tnumRange(b.u32min, b.u32max);
  const m32 = m64 & U32_MAX & r32.mask;
  const v32 = ((v64 & U32_MAX) | r32.value) & U64_MAX & ~m32;
  const value = (v64 & HIGH32) | (v32 & U32_MAX);
  const mask = ((m64 & HIGH32) | (m32 & U32_MAX)) & ~value;
  b.varOff = value === t.value && mask === t.mask ? t : { value, mask };
}

/**
 * A constant tnum whose value lies in all four ranges: the first
 * __update_reg_bounds pins every range to it, and from there the rest of
 * reg_bounds_sync changes nothing. Returns false (and touches nothing)
 * otherwise.
 */
function syncConst(b: ScalarBounds): boolean {
  if (b.varOff.mask !== 0n) return false;
  const v = b.varOff.value;
  const sv = s64(v);
  const lo = u32(v);
  const slo = s32(v);
  if (!(b.umin <= v && v <= b.umax && b.smin <= sv && sv <= b.smax)) return false;
  if (!(b.u32min <= lo && lo <= b.u32max && b.s32min <= slo && slo <= b.s32max)) return false;
  b.umin = b.umax = v;
  b.smin = b.smax = sv;
  b.u32min = b.u32max = lo;
  b.s32min = b.s32max = slo;
  return true;
}

/**
 * A sufficient test that reg_bounds_sync would change nothing, for the most
 * common non-constant scalar: a zero-extended load or a masked value, whose
 * four ranges are one range [L, H] with 0 <= L < H < 2^31 and whose tnum
 * (below 2^31 too) already has every bound: L and H lie in the tnum's span
 * (the __update_reg*_bounds steps keep them), L is a member whose next member
 * is in range (6.18's single-shared-value step does nothing, see
 * sharesTwoFromUmin), and the tnum lies within tnum_range(L, H) (the
 * intersections keep it). Every deduction step then takes its no-change
 * branch. All numbers fit in 31 bits, so the test runs on plain numbers
 * without allocating BigInts. Returns false (and touches nothing) otherwise.
 */
function syncedSmallRange(b: ScalarBounds): boolean {
  const L = b.umin;
  const H = b.umax;
  if (H > S32_MAX || b.smin !== L || b.smax !== H || b.u32min !== L || b.u32max !== H || b.s32min !== L || b.s32max !== H) return false;
  const t = b.varOff;
  if (t.value > S32_MAX || t.mask > S32_MAX || t.mask === 0n) return false;
  const l = Number(L);
  const h = Number(H);
  const v = Number(t.value);
  const m = Number(t.mask);
  if (l < v || h > (v | m)) return false;
  // sharesTwoFromUmin
  if ((l & ~m) !== v) return false;
  const low = m & -m;
  if ((l & low) !== 0 || h - l < low) return false;
  // tnum_range(l, h) has the bits below the highest differing bit unknown, the rest as in l
  const unknown = 0xffffffff >>> Math.clz32(l ^ h);
  return (m & ~unknown) === 0 && ((v ^ l) & ~unknown) === 0;
}

/**
 * reg_bounds_sync: the fixed-point step run after every change to a scalar.
 * The kernel runs deduction once (it proved more rounds add nothing); so do we.
 */
export function regBoundsSync(b: ScalarBounds): void {
  if (syncConst(b)) return;
  if (syncedSmallRange(b)) return;
  updateRegBounds(b);
  deduce32(b);
  deduce64(b);
  deduceMixed(b);
  boundOffset(b);
  updateRegBounds(b);
}

/** reg_bounds_sanity_check (subset): are the ranges non-empty? */
export function boundsAreSane(b: ScalarBounds): boolean {
  return b.umin <= b.umax && b.smin <= b.smax && b.u32min <= b.u32max && b.s32min <= b.s32max;
}

/** The 32-bit bounds after a 32-bit write: zero-extend into the 64-bit view (zext_32_to_64 + __reg_assign_32_into_64). */
export function zext32To64(b: ScalarBounds): void {
  b.varOff = tnumSubreg(b.varOff);
  if (b.s32min >= 0n) {
    // __reg_assign_32_into_64: a non-negative s32 range is also the s64 range
    b.smin = b.s32min;
    b.smax = b.s32max;
  } else {
    b.smin = 0n;
    b.smax = U32_MAX;
  }
  b.umin = b.u32min;
  b.umax = b.u32max;
}
