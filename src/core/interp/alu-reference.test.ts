import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { Rng } from './fuzz.ts';
import { run } from './vm.ts';

/**
 * Differential test of the interpreter's ALU and jump semantics against a
 * deliberately simple BigInt model of the ISA written here (RFC 9669 and
 * the kernel's rules, as confirmed on 6.18 in kernel-cases.test.ts). Random
 * straight-line programs exercise the hot loop's inlined 64-bit arithmetic
 * (carries, multiply, shifts, decode-time specialisations) on random values.
 */
const M64 = (1n << 64n) - 1n;
const M32 = (1n << 32n) - 1n;
const s64 = (v: bigint): bigint => BigInt.asIntN(64, v);
const s32 = (v: bigint): bigint => BigInt.asIntN(32, v);
const trunc = (a: bigint, b: bigint): bigint => a / b; // BigInt division truncates toward zero

function bswap(v: bigint, bytes: number): bigint {
  let out = 0n;
  for (let i = 0; i < bytes; i++) out = (out << 8n) | ((v >> BigInt(8 * i)) & 0xffn);
  return out;
}

/** One ALU instruction on the model's registers (unsigned 64-bit BigInts). */
function modelAlu(regs: bigint[], ins: Insn): void {
  const is64 = (ins.code & 0x07) === 0x07;
  const op = ins.code & 0xf0;
  const useX = (ins.code & 0x08) !== 0;
  const a64 = regs[ins.dst];
  const b64 = useX ? regs[ins.src] : BigInt.asUintN(64, BigInt(ins.imm));
  const mask = is64 ? M64 : M32;
  const bits = is64 ? 64 : 32;
  const a = a64 & mask;
  const b = b64 & mask;
  const sa = is64 ? s64(a) : s32(a);
  const sb = is64 ? s64(b) : s32(b);
  const signed = ins.off === 1;
  let r: bigint;
  switch (op) {
    case 0x00: r = a + b; break;
    case 0x10: r = a - b; break;
    case 0x20: r = a * b; break;
    case 0x30: r = b === 0n ? 0n : signed ? trunc(sa, sb) : a / b; break;
    case 0x40: r = a | b; break;
    case 0x50: r = a & b; break;
    case 0x60: r = a << (b & BigInt(bits - 1)); break;
    case 0x70: r = a >> (b & BigInt(bits - 1)); break;
    case 0x80: r = -a; break;
    case 0x90: r = b === 0n ? a : signed ? sa % sb : a % b; break;
    case 0xa0: r = a ^ b; break;
    case 0xb0:
      if (useX && ins.off !== 0) r = BigInt.asIntN(ins.off, b64); // movsx
      else r = b;
      break;
    case 0xc0: r = sa >> (b & BigInt(bits - 1)); break;
    default: { // 0xd0: le / be / bswap
      const width = ins.imm;
      const v = a64 & ((1n << BigInt(width)) - 1n);
      const swap = is64 || useX; // ALU64 END is bswap; ALU END with X is "to big endian"
      regs[ins.dst] = swap ? bswap(v, width / 8) : v;
      return;
    }
  }
  regs[ins.dst] = BigInt.asUintN(bits, r);
}

const ALU_OPS = [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x80, 0x90, 0xa0, 0xb0, 0xc0];
const INTERESTING = [0n, 1n, M64, 1n << 63n, (1n << 63n) - 1n, 0xffffffffn, 0x80000000n, 0x100000000n, 0x7fffffffn];

function randomValue(rng: Rng): bigint {
  if (rng.below(4) === 0) return INTERESTING[rng.below(INTERESTING.length)];
  const v = (BigInt(rng.next()) << 32n) | BigInt(rng.next());
  return rng.below(3) === 0 ? BigInt.asUintN(64, BigInt.asIntN(32, v & M32)) : v;
}

function randomImm(rng: Rng): number {
  const pick = rng.below(4);
  if (pick === 0) return rng.below(70) - 3;
  if (pick === 1) return -(rng.below(70) + 1);
  return rng.next() | 0;
}

function ldImm64(dst: number, v: bigint): Insn[] {
  return [insn(0x18, dst, 0, 0, Number(BigInt.asIntN(32, v & M32))), insn(0, 0, 0, 0, Number(BigInt.asIntN(32, v >> 32n)))];
}

function randomAluInsn(rng: Rng): Insn {
  const cls = rng.below(2) === 0 ? 0x07 : 0x04;
  if (rng.below(12) === 0) {
    const widths = cls === 0x07 ? [16, 32, 64] : [16, 32, 64];
    const code = cls === 0x07 ? 0xd7 : rng.below(2) === 0 ? 0xd4 : 0xdc;
    return insn(code, rng.below(10), 0, 0, widths[rng.below(widths.length)]);
  }
  const op = ALU_OPS[rng.below(ALU_OPS.length)];
  const useX = op !== 0x80 && rng.below(2) === 0;
  let off = 0;
  if ((op === 0x30 || op === 0x90) && rng.below(2) === 0) off = 1;
  if (op === 0xb0 && useX && rng.below(3) === 0) off = cls === 0x07 ? [8, 16, 32][rng.below(3)] : [8, 16][rng.below(2)];
  return insn(cls | op | (useX ? 0x08 : 0), rng.below(10), useX ? rng.below(10) : 0, off, useX ? 0 : randomImm(rng));
}

describe('ALU semantics agree with a BigInt model', () => {
  it('on 400 random straight-line programs, every register', () => {
    const rng = new Rng(0xa1b2c3);
    let compared = 0;
    for (let t = 0; t < 400; t++) {
      const init = Array.from({ length: 10 }, () => randomValue(rng));
      const body = Array.from({ length: 1 + rng.below(12) }, () => randomAluInsn(rng));
      const regs = [...init];
      for (const ins of body) modelAlu(regs, ins);
      const prologue = init.flatMap((v, r) => ldImm64(r, v));
      for (let r = 0; r < 10; r++) {
        const prog = [...prologue, ...body, insn(0xbf, 0, r), insn(0x95)];
        const result = run(decodeProgram(prog));
        if (!result.ok) throw new Error(result.fault.message);
        if (result.r0 !== regs[r]) {
          expect.fail(`program ${t}, r${r}: got 0x${result.r0.toString(16)}, model 0x${regs[r].toString(16)}; body ${JSON.stringify(body)} init ${init.map((v) => v.toString(16))}`);
        }
        compared++;
      }
    }
    expect(compared).toBe(4000);
  });
});

const JUMPS: [number, (a: bigint, b: bigint, bits: number) => boolean][] = [
  [0x10, (a, b) => a === b],
  [0x50, (a, b) => a !== b],
  [0x40, (a, b) => (a & b) !== 0n],
  [0x20, (a, b) => a > b],
  [0x30, (a, b) => a >= b],
  [0xa0, (a, b) => a < b],
  [0xb0, (a, b) => a <= b],
  [0x60, (a, b, n) => BigInt.asIntN(n, a) > BigInt.asIntN(n, b)],
  [0x70, (a, b, n) => BigInt.asIntN(n, a) >= BigInt.asIntN(n, b)],
  [0xc0, (a, b, n) => BigInt.asIntN(n, a) < BigInt.asIntN(n, b)],
  [0xd0, (a, b, n) => BigInt.asIntN(n, a) <= BigInt.asIntN(n, b)],
];

describe('conditional jumps agree with a BigInt model', () => {
  it('for every condition, 64 and 32-bit, register and immediate', () => {
    const rng = new Rng(77);
    let checked = 0;
    for (const [op, holds] of JUMPS) {
      for (const cls of [0x05, 0x06]) {
        for (let t = 0; t < 60; t++) {
          const useX = t % 2 === 0;
          const imm = t % 7 === 0 ? 0 : randomImm(rng);
          const b = useX ? randomValue(rng) : 0n;
          const bits = cls === 0x05 ? 64 : 32;
          const mask = bits === 64 ? M64 : M32;
          const bVal = useX ? b : BigInt.asUintN(64, BigInt(imm));
          // Many cases compare equal values or values with equal high words, where the low-word logic decides.
          const a = t % 5 === 0 ? bVal : t % 5 === 1 ? (bVal & ~M32) | (randomValue(rng) & M32) : t % 5 === 2 ? (randomValue(rng) & ~M32) | (bVal & M32) : randomValue(rng);
          const expected = holds(a & mask, bVal & mask, bits) ? 1n : 0n;
          const prog = [...ldImm64(1, a), ...ldImm64(2, b), insn(0xb7, 0, 0, 0, 1), insn(cls | op | (useX ? 0x08 : 0), 1, useX ? 2 : 0, 1, useX ? 0 : imm), insn(0xb7, 0, 0, 0, 0), insn(0x95)];
          const result = run(decodeProgram(prog));
          expect({ op, cls, a: a.toString(16), b: bVal.toString(16), r0: result.ok ? result.r0 : -1n }).toEqual({ op, cls, a: a.toString(16), b: bVal.toString(16), r0: expected });
          checked++;
        }
      }
    }
    expect(checked).toBe(JUMPS.length * 2 * 60);
  });
});
