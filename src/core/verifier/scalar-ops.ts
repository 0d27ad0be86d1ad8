/**
 * Range arithmetic on scalars, one function per operator and width, as
 * adjust_scalar_min_max_vals dispatches them (scalar_min_max_add,
 * scalar32_min_max_add, ..., scalar_min_max_arsh). The tnum part of each
 * operator is applied by the caller, except for shifts, which own theirs.
 */
import {
  S32_MAX,
  S32_MIN,
  S64_MAX,
  S64_MIN,
  ScalarBounds,
  s32,
  s64,
  set32Known,
  set32Unbounded,
  set64Unbounded,
  setKnown,
  updateRegBounds,
} from './bounds.ts';
import {
  U32_MAX,
  U64_MAX,
  tnumArshift,
  tnumIsConst,
  tnumLshift,
  tnumRshift,
  tnumSubreg,
  tnumSubregIsConst,
} from './tnum.ts';

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);

export function add64(d: ScalarBounds, s: ScalarBounds): void {
  const smin = d.smin + s.smin;
  const smax = d.smax + s.smax;
  if (smin < S64_MIN || smin > S64_MAX || smax < S64_MIN || smax > S64_MAX) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = smin;
    d.smax = smax;
  }
  const umin = d.umin + s.umin;
  const umax = d.umax + s.umax;
  if (umin > U64_MAX || umax > U64_MAX) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin;
    d.umax = umax;
  }
}

export function add32(d: ScalarBounds, s: ScalarBounds): void {
  const smin = d.s32min + s.s32min;
  const smax = d.s32max + s.s32max;
  if (smin < S32_MIN || smin > S32_MAX || smax < S32_MIN || smax > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = smin;
    d.s32max = smax;
  }
  const umin = d.u32min + s.u32min;
  const umax = d.u32max + s.u32max;
  if (umin > U32_MAX || umax > U32_MAX) {
    d.u32min = 0n;
    d.u32max = U32_MAX;
  } else {
    d.u32min = umin;
    d.u32max = umax;
  }
}

export function sub64(d: ScalarBounds, s: ScalarBounds): void {
  const smin = d.smin - s.smax;
  const smax = d.smax - s.smin;
  if (smin < S64_MIN || smin > S64_MAX || smax < S64_MIN || smax > S64_MAX) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = smin;
    d.smax = smax;
  }
  if (d.umin < s.umax) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin -= s.umax;
    d.umax -= s.umin;
  }
}

export function sub32(d: ScalarBounds, s: ScalarBounds): void {
  const smin = d.s32min - s.s32max;
  const smax = d.s32max - s.s32min;
  if (smin < S32_MIN || smin > S32_MAX || smax < S32_MIN || smax > S32_MAX) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = smin;
    d.s32max = smax;
  }
  if (d.u32min < s.u32max) {
    d.u32min = 0n;
    d.u32max = U32_MAX;
  } else {
    d.u32min -= s.u32max;
    d.u32max -= s.u32min;
  }
}

/** scalar_min_max_mul (6.14+): overflow-checked products of the bounds. */
export function mul64(d: ScalarBounds, s: ScalarBounds): void {
  const umax = d.umax * s.umax;
  const umin = d.umin * s.umin;
  if (umax > U64_MAX || umin > U64_MAX) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin = umin;
    d.umax = umax;
  }
  const prods = [d.smin * s.smin, d.smin * s.smax, d.smax * s.smin, d.smax * s.smax];
  if (prods.some((x) => x < S64_MIN || x > S64_MAX)) {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  } else {
    d.smin = prods.reduce(min);
    d.smax = prods.reduce(max);
  }
}

/** scalar32_min_max_mul */
export function mul32(d: ScalarBounds, s: ScalarBounds): void {
  const umax = d.u32max * s.u32max;
  const umin = d.u32min * s.u32min;
  if (umax > U32_MAX || umin > U32_MAX) {
    d.u32min = 0n;
    d.u32max = U32_MAX;
  } else {
    d.u32min = umin;
    d.u32max = umax;
  }
  const prods = [d.s32min * s.s32min, d.s32min * s.s32max, d.s32max * s.s32min, d.s32max * s.s32max];
  if (prods.some((x) => x < S32_MIN || x > S32_MAX)) {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  } else {
    d.s32min = prods.reduce(min);
    d.s32max = prods.reduce(max);
  }
}

/** Signed bounds from unsigned ones when the unsigned range does not cross the sign boundary. */
function signedFromUnsigned64(d: ScalarBounds): void {
  if (s64(d.umin) <= s64(d.umax)) {
    d.smin = s64(d.umin);
    d.smax = s64(d.umax);
  } else {
    d.smin = S64_MIN;
    d.smax = S64_MAX;
  }
}

function signedFromUnsigned32(d: ScalarBounds): void {
  if (s32(d.u32min) <= s32(d.u32max)) {
    d.s32min = s32(d.u32min);
    d.s32max = s32(d.u32max);
  } else {
    d.s32min = S32_MIN;
    d.s32max = S32_MAX;
  }
}

export type BitOp = 'and' | 'or' | 'xor';

/** scalar_min_max_{and,or,xor}; d.varOff already holds the tnum result. */
export function bitop64(op: BitOp, d: ScalarBounds, s: ScalarBounds, srcKnown: boolean, dstKnownBefore: boolean): void {
  if (srcKnown && dstKnownBefore) {
    setKnown(d, d.varOff.value);
    return;
  }
  if (op === 'and') {
    d.umin = d.varOff.value;
    d.umax = min(d.umax, s.umax);
  } else if (op === 'or') {
    d.umin = max(d.umin, s.umin);
    d.umax = d.varOff.value | d.varOff.mask;
  } else {
    d.umin = d.varOff.value;
    d.umax = d.varOff.value | d.varOff.mask;
  }
  signedFromUnsigned64(d);
  updateRegBounds(d);
}

/** scalar32_min_max_{and,or,xor}. */
export function bitop32(op: BitOp, d: ScalarBounds, s: ScalarBounds, srcKnown: boolean, dstKnownBefore: boolean): void {
  const t = tnumSubreg(d.varOff);
  if (srcKnown && dstKnownBefore) {
    set32Known(d, t.value);
    return;
  }
  if (op === 'and') {
    d.u32min = t.value;
    d.u32max = min(d.u32max, s.u32max);
  } else if (op === 'or') {
    d.u32min = max(d.u32min, s.u32min);
    d.u32max = t.value | t.mask;
  } else {
    d.u32min = t.value;
    d.u32max = t.value | t.mask;
  }
  signedFromUnsigned32(d);
}

export const isKnown64 = (b: ScalarBounds): boolean => tnumIsConst(b.varOff);
export const isKnown32 = (b: ScalarBounds): boolean => tnumSubregIsConst(b.varOff);

function lsh32Bounds(d: ScalarBounds, umin: bigint, umax: bigint): void {
  d.s32min = S32_MIN;
  d.s32max = S32_MAX;
  if (umax > 31n || d.u32max > 1n << (31n - umax)) {
    d.u32min = 0n;
    d.u32max = U32_MAX;
  } else {
    d.u32min <<= umin;
    d.u32max <<= umax;
  }
}

/** scalar_min_max_lsh (64-bit shift; the 32-bit bounds are recomputed too). */
export function lsh64(d: ScalarBounds, s: ScalarBounds): void {
  const umin = s.umin;
  const umax = s.umax;
  d.smax = umin === 32n && umax === 32n && d.s32max >= 0n ? d.s32max << 32n : S64_MAX;
  d.smin = umin === 32n && umax === 32n && d.s32min >= 0n ? d.s32min << 32n : S64_MIN;
  if (d.umax > 1n << (63n - umax)) {
    d.umin = 0n;
    d.umax = U64_MAX;
  } else {
    d.umin <<= umin;
    d.umax <<= umax;
  }
  lsh32Bounds(d, umin, umax);
  d.varOff = tnumLshift(d.varOff, Number(umin));
  updateRegBounds(d);
}

export function lsh32(d: ScalarBounds, s: ScalarBounds): void {
  const umin = s.u32min;
  const umax = s.u32max;
  const sub = tnumSubreg(d.varOff);
  lsh32Bounds(d, umin, umax);
  set64Unbounded(d);
  d.varOff = tnumSubreg(tnumLshift(sub, Number(umin)));
  updateRegBounds(d);
}

export function rsh64(d: ScalarBounds, s: ScalarBounds): void {
  const umin = s.umin;
  const umax = s.umax;
  d.smin = S64_MIN;
  d.smax = S64_MAX;
  d.varOff = tnumRshift(d.varOff, Number(umin));
  d.umin >>= umax;
  d.umax >>= umin;
  set32Unbounded(d);
  updateRegBounds(d);
}

export function rsh32(d: ScalarBounds, s: ScalarBounds): void {
  const umin = s.u32min;
  const umax = s.u32max;
  const sub = tnumSubreg(d.varOff);
  d.s32min = S32_MIN;
  d.s32max = S32_MAX;
  d.varOff = tnumRshift(sub, Number(umin));
  d.u32min >>= umax;
  d.u32max >>= umin;
  set64Unbounded(d);
  updateRegBounds(d);
}

export function arsh64(d: ScalarBounds, s: ScalarBounds): void {
  const sh = s.umin;
  d.smin >>= sh;
  d.smax >>= sh;
  d.varOff = tnumArshift(d.varOff, Number(sh), 64);
  d.umin = 0n;
  d.umax = U64_MAX;
  set32Unbounded(d);
  updateRegBounds(d);
}

export function arsh32(d: ScalarBounds, s: ScalarBounds): void {
  const sh = s.u32min;
  d.s32min >>= sh;
  d.s32max >>= sh;
  d.varOff = tnumArshift(tnumSubreg(d.varOff), Number(sh), 32);
  d.u32min = 0n;
  d.u32max = U32_MAX;
  set64Unbounded(d);
  updateRegBounds(d);
}
