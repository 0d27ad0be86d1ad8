import { describe, expect, it } from 'vitest';
import { S32_MIN, S64_MIN, regBoundsSync, setKnown, unboundedBounds } from './bounds.ts';
import { tnumRange } from './tnum.ts';

describe('reg_bounds_sync', () => {
  /** every range [lo, hi] (0 <= lo <= hi < 2^31) and the given tnum */
  const smallRange = (lo: bigint, hi: bigint, value: bigint, mask: bigint) => {
    const b = unboundedBounds();
    b.umin = b.smin = b.u32min = b.s32min = lo;
    b.umax = b.smax = b.u32max = b.s32max = hi;
    b.varOff = { value, mask };
    return b;
  };
  const ranges = (b: ReturnType<typeof unboundedBounds>) => [b.umin, b.umax, b.smin, b.smax, b.u32min, b.u32max, b.s32min, b.s32max];

  it('leaves an already consistent small range as it is (the no-change fast path)', () => {
    // [16, 48] with var_off=(0x0; 0x3f): 16 and 48 are members, nothing to tighten
    const b = smallRange(16n, 48n, 0n, 0x3fn);
    const t = b.varOff;
    regBoundsSync(b);
    expect(ranges(b)).toEqual([16n, 48n, 16n, 48n, 16n, 48n, 16n, 48n]);
    expect(b.varOff).toBe(t);
  });

  it('still tightens small ranges the tnum bounds more closely', () => {
    // var_off=(0x0; 0xf0) has no member above 0xf0: every upper bound drops from 255 to 240
    const b = smallRange(0n, 255n, 0n, 0xf0n);
    regBoundsSync(b);
    expect(ranges(b)).toEqual([0n, 240n, 0n, 240n, 0n, 240n, 0n, 240n]);
  });

  it('still learns the tnum from a small range it is wider than', () => {
    // [0, 5] with var_off unknown in the low byte: tnum_range(0, 5) = (0x0; 0x7)
    const b = smallRange(0n, 5n, 0n, 0xffn);
    regBoundsSync(b);
    expect(b.varOff).toEqual({ value: 0n, mask: 7n });
    expect(ranges(b)).toEqual([0n, 5n, 0n, 5n, 0n, 5n, 0n, 5n]);
  });

  it('learns every range from a tnum (u8 load: var_off=(0x0; 0xff))', () => {
    const b = unboundedBounds();
    b.varOff = tnumRange(0n, 255n);
    regBoundsSync(b);
    // the kernel prints this state as smin=smin32=0,smax=umax=smax32=umax32=255
    expect([b.smin, b.smax, b.umin, b.umax, b.s32min, b.s32max, b.u32min, b.u32max]).toEqual([0n, 255n, 0n, 255n, 0n, 255n, 0n, 255n]);
  });

  it('learns the tnum from ranges', () => {
    const b = unboundedBounds();
    b.umax = 15n;
    regBoundsSync(b);
    expect(b.varOff).toEqual({ value: 0n, mask: 15n });
    expect(b.smin).toBe(0n);
  });

  it('derives 32-bit bounds when the 64-bit range crosses zero by one upper half', () => {
    // smin=-4, smax=55: the low halves are a valid s32 range
    const b = unboundedBounds();
    b.smin = -4n;
    b.smax = 55n;
    regBoundsSync(b);
    expect([b.s32min, b.s32max]).toEqual([-4n, 55n]);
  });

  it('keeps a known value known in every domain', () => {
    const b = unboundedBounds();
    setKnown(b, -1n);
    regBoundsSync(b);
    expect([b.smin, b.smax, b.umin, b.s32min, b.u32max]).toEqual([-1n, -1n, (1n << 64n) - 1n, -1n, 0xffffffffn]);
    expect(S64_MIN < 0n && S32_MIN < 0n).toBe(true);
  });

  it('pins a constant tnum whose value every range admits (pointer offset after set32Unbounded)', () => {
    const b = unboundedBounds();
    setKnown(b, 14n);
    b.u32min = 0n;
    b.u32max = 0xffffffffn;
    b.s32min = S32_MIN;
    b.s32max = 0x7fffffffn;
    regBoundsSync(b);
    expect([b.umin, b.umax, b.smin, b.smax, b.u32min, b.u32max, b.s32min, b.s32max]).toEqual([14n, 14n, 14n, 14n, 14n, 14n, 14n, 14n]);
  });

  it('finds the one value a range shares with a tnum when umin has its lowest unknown bit set', () => {
    // var_off=(0x0; 0x6) holds 0, 2, 4, 6; [2, 3] shares only 2 with it
    const b = unboundedBounds();
    b.varOff = { value: 0n, mask: 6n };
    b.umin = 2n;
    b.umax = 3n;
    regBoundsSync(b);
    expect(b.varOff).toEqual({ value: 2n, mask: 0n });
    expect([b.umin, b.umax, b.smin, b.smax]).toEqual([2n, 2n, 2n, 2n]);
  });

  it('keeps a range that shares two values with the tnum', () => {
    // var_off=(0x0; 0x6): [0, 2] holds members 0 and 2
    const b = unboundedBounds();
    b.varOff = { value: 0n, mask: 6n };
    b.umax = 2n;
    regBoundsSync(b);
    expect([b.umin, b.umax]).toEqual([0n, 2n]);
    expect(b.varOff).toEqual({ value: 0n, mask: 2n });
  });
});
