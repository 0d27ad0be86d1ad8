import { describe, expect, it } from 'vitest';
import { S32_MIN, S64_MIN, regBoundsSync, setKnown, unboundedBounds } from './bounds.ts';
import { tnumRange } from './tnum.ts';

describe('reg_bounds_sync', () => {
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
});
