/**
 * tnumStep (the next member of a tnum above a value), checked exhaustively on
 * 6-bit tnums against enumerating their members.
 */
import { describe, expect, it } from 'vitest';
import { tnumStep } from './tnum.ts';

const NONE = 1n << 64n;

describe('tnumStep', () => {
  it('returns the smallest member strictly greater than z, or 2^64 when none', () => {
    const wrong: string[] = [];
    for (let v = 0n; v < 64n; v++) {
      for (let m = 0n; m < 64n; m++) {
        if (v & m) continue;
        const members: bigint[] = [];
        for (let x = 0n; x < 64n; x++) if ((x & ~m) === v) members.push(x);
        for (let z = 0n; z < 70n; z++) {
          const want = members.find((x) => x > z) ?? NONE;
          const got = tnumStep({ value: v, mask: m }, z);
          if (got !== want) wrong.push(`(${v};${m}) after ${z}: got ${got}, want ${want}`);
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it('handles the top of the 64-bit range', () => {
    const all = { value: 0n, mask: (1n << 64n) - 1n };
    expect(tnumStep(all, (1n << 64n) - 2n)).toBe((1n << 64n) - 1n);
    expect(tnumStep(all, (1n << 64n) - 1n)).toBe(NONE);
    expect(tnumStep({ value: 0n, mask: 0x10000000n }, 255n)).toBe(0x10000000n);
  });
});
