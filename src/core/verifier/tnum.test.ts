/**
 * tnum contracts (kernel/bpf/tnum.c): every result must contain every
 * concrete result of the operation on members of the operands. Checked
 * exhaustively on small tnums against plain arithmetic, plus a few exact
 * values that follow from the definitions.
 */
import { describe, expect, it } from 'vitest';
import {
  Tnum,
  bitLength,
  tnumAdd,
  tnumAnd,
  tnumArshift,
  tnumConst,
  tnumIn,
  tnumIntersect,
  tnumLshift,
  tnumMul,
  tnumOr,
  tnumRange,
  tnumRshift,
  tnumSub,
  tnumToString,
  tnumXor,
  U64_MAX,
} from './tnum.ts';

/** All tnums over the low 3 bits (value & mask == 0). */
function smallTnums(): Tnum[] {
  const out: Tnum[] = [];
  for (let m = 0n; m < 8n; m++) for (let v = 0n; v < 8n; v++) if ((v & m) === 0n) out.push({ value: v, mask: m });
  return out;
}

function members(t: Tnum): bigint[] {
  const out: bigint[] = [];
  for (let x = 0n; x < 8n; x++) if ((x & ~t.mask) === t.value) out.push(x);
  return out;
}

const contains = (t: Tnum, x: bigint): boolean => (BigInt.asUintN(64, x) & ~t.mask & U64_MAX) === t.value;

describe('tnum soundness on all 3-bit tnums', () => {
  const ops: [string, (a: Tnum, b: Tnum) => Tnum, (x: bigint, y: bigint) => bigint][] = [
    ['add', tnumAdd, (x, y) => x + y],
    ['sub', tnumSub, (x, y) => x - y],
    ['and', tnumAnd, (x, y) => x & y],
    ['or', tnumOr, (x, y) => x | y],
    ['xor', tnumXor, (x, y) => x ^ y],
    ['mul', tnumMul, (x, y) => x * y],
  ];
  for (const [name, op, concrete] of ops) {
    it(`${name} contains every concrete result`, () => {
      const ts = smallTnums();
      for (const a of ts) for (const b of ts) {
        const r = op(a, b);
        expect((r.value & r.mask) === 0n).toBe(true);
        for (const x of members(a)) for (const y of members(b)) expect(contains(r, concrete(x, y))).toBe(true);
      }
    });
  }
});

describe('tnum exact values', () => {
  it('tnum_range covers the range with the fewest unknown low bits', () => {
    expect(tnumRange(0n, 255n)).toEqual({ value: 0n, mask: 0xffn });
    expect(tnumRange(16n, 16n)).toEqual({ value: 16n, mask: 0n });
    expect(tnumRange(4n, 7n)).toEqual({ value: 4n, mask: 3n });
    expect(tnumRange(0n, U64_MAX)).toEqual({ value: 0n, mask: U64_MAX });
  });
  it('shifts move known bits; arshift sign-extends in 32 and 64 bits', () => {
    expect(tnumLshift(tnumConst(1n), 63)).toEqual(tnumConst(1n << 63n));
    expect(tnumRshift({ value: 0x10n, mask: 0x0fn }, 4)).toEqual({ value: 1n, mask: 0n });
    expect(tnumArshift(tnumConst(0x80000000n), 4, 32)).toEqual(tnumConst(0xf8000000n));
    expect(tnumArshift(tnumConst(1n << 63n), 63, 64)).toEqual(tnumConst(U64_MAX));
  });
  it('intersect and in', () => {
    expect(tnumIntersect({ value: 0n, mask: 0xffn }, { value: 0x10n, mask: 0x0fn })).toEqual({ value: 0x10n, mask: 0x0fn });
    expect(tnumIn({ value: 0n, mask: 0xffn }, tnumConst(7n))).toBe(true);
    expect(tnumIn(tnumConst(7n), { value: 0n, mask: 0xffn })).toBe(false);
  });
  it('prints like the kernel log (tnum_strn with the kernel printf)', () => {
    // recorded from Linux 6.18 logs: "var_off=(0x0; 0xff)"
    expect(tnumToString({ value: 0n, mask: 0xffn })).toBe('(0x0; 0xff)');
    expect(tnumToString(tnumConst(5n))).toBe('5');
  });
});

describe('bitLength', () => {
  it('counts significant bits across the 32-bit chunks', () => {
    expect([0n, 1n, 2n, 255n, 0xffffffffn, 1n << 32n, (1n << 63n) + 5n, (1n << 64n) - 1n].map(bitLength)).toEqual([0, 1, 2, 8, 32, 33, 64, 64]);
  });
});
