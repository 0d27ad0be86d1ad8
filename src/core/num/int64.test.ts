import { describe, expect, it } from 'vitest';
import { OUT, bigToOut, divS64, divU64, modS64, modU64, mul64, pairToS64, pairToU64, sar64, shl64, shr64, u64Hi, u64Lo, divS32, modS32, divU32, modU32, cmpS64, cmpU64 } from './int64.ts';

/**
 * The int32-pair arithmetic is checked against BigInt, an independent
 * implementation of the same 64-bit wrap-around semantics, on edge values
 * and seeded random ones.
 */
const M64 = (1n << 64n) - 1n;
const EDGES = [0n, 1n, 2n, 3n, 7n, 0xffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 0x100000001n, 0x7fffffffffffffffn, 0x8000000000000000n, 0x8000000000000001n, M64, M64 - 1n, 0x123456789abcdef0n, 0xfedcba9876543210n];

function random64(seed: number): () => bigint {
  let s = seed >>> 0;
  const next32 = (): bigint => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return BigInt(s);
  };
  return () => {
    const v = (next32() << 32n) | next32();
    // Mix in small and sign-extended-small values, where the fast paths live.
    const pick = Number(v & 3n);
    if (pick === 0) return BigInt.asUintN(64, BigInt.asIntN(32, v & 0xffffffffn));
    if (pick === 1) return v & 0xffffn;
    return v;
  };
}

function values(): bigint[] {
  const rnd = random64(42);
  return [...EDGES, ...Array.from({ length: 60 }, rnd)];
}

const out = (): bigint => pairToU64(OUT[0], OUT[1]);
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);

describe('64-bit pair arithmetic matches BigInt', () => {
  const vs = values();
  it('round-trips through pairs', () => {
    for (const v of vs) {
      expect(pairToU64(u64Lo(v), u64Hi(v))).toBe(v);
      expect(pairToS64(u64Lo(v), u64Hi(v))).toBe(s64(v));
    }
  });

  it('splits negative and out-of-range BigInts by their 64-bit two\'s complement', () => {
    const inputs = [-1n, -2n, -(1n << 31n), -(1n << 53n), -(1n << 53n) - 1n, -(1n << 63n), (1n << 53n) - 1n, 1n << 53n, (1n << 53n) + 1n, 1n << 64n, (1n << 64n) + 5n, ...vs.map((v) => -v)];
    for (const v of inputs) {
      const want = BigInt.asUintN(64, v);
      expect(pairToU64(u64Lo(v), u64Hi(v))).toBe(want);
      bigToOut(v);
      expect(out()).toBe(want);
    }
  });

  it('mul64', () => {
    for (const a of vs)
      for (const b of vs) {
        mul64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b));
        expect(out()).toBe((a * b) & M64);
      }
  });

  it('unsigned div/mod, with the ISA rules for zero', () => {
    for (const a of vs)
      for (const b of vs) {
        divU64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b));
        expect(out()).toBe(b === 0n ? 0n : a / b);
        modU64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b));
        expect(out()).toBe(b === 0n ? a : a % b);
      }
  });

  it('signed div/mod truncate toward zero; INT64_MIN / -1 wraps', () => {
    for (const a of vs)
      for (const b of vs) {
        const sa = s64(a);
        const sb = s64(b);
        divS64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b));
        expect(out()).toBe(sb === 0n ? 0n : BigInt.asUintN(64, sa / sb));
        modS64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b));
        expect(out()).toBe(sb === 0n ? a : BigInt.asUintN(64, sa % sb));
      }
  });

  it('shifts for every count', () => {
    for (const a of vs.slice(0, 30))
      for (let n = 0; n < 64; n++) {
        shl64(u64Lo(a), u64Hi(a), n);
        expect(out()).toBe((a << BigInt(n)) & M64);
        shr64(u64Lo(a), u64Hi(a), n);
        expect(out()).toBe(a >> BigInt(n));
        sar64(u64Lo(a), u64Hi(a), n);
        expect(out()).toBe(BigInt.asUintN(64, s64(a) >> BigInt(n)));
      }
  });

  it('comparisons', () => {
    for (const a of vs)
      for (const b of vs) {
        expect(Math.sign(cmpU64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b)))).toBe(a < b ? -1 : a > b ? 1 : 0);
        expect(Math.sign(cmpS64(u64Lo(a), u64Hi(a), u64Lo(b), u64Hi(b)))).toBe(s64(a) < s64(b) ? -1 : s64(a) > s64(b) ? 1 : 0);
      }
  });

  it('32-bit div/mod', () => {
    const v32 = vs.map((v) => Number(BigInt.asIntN(32, v)));
    for (const a of v32)
      for (const b of v32) {
        const ua = BigInt(a >>> 0);
        const ub = BigInt(b >>> 0);
        expect(divU32(a, b) >>> 0).toBe(Number(ub === 0n ? 0n : ua / ub));
        expect(modU32(a, b) >>> 0).toBe(Number(ub === 0n ? ua : ua % ub));
        expect(divS32(a, b)).toBe(b === 0 ? 0 : Number(BigInt.asIntN(32, BigInt(a) / BigInt(b))));
        expect(modS32(a, b)).toBe(b === 0 ? a : Number(BigInt.asIntN(32, BigInt(a) % BigInt(b))));
      }
  });
});
