/**
 * The fused loop tail (`rX += imm; if rX != 0 / != K / < K goto`, decode.ts
 * OP_ADD_JNE_ZERO and friends) must behave exactly like the two
 * instructions. Expected values come from BigInt arithmetic on the test's
 * own inputs, and from the debug stepper, which runs the pair unfused.
 */
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { OP_ADD_JLT_K, OP_ADD_JNE_K, OP_ADD_JNE_ZERO, decodeProgram } from './decode.ts';
import { traceRun } from './trace.ts';
import { run, type RunResult } from './vm.ts';

const ldImm64 = (dst: number, v: bigint): Insn[] => [insn(0x18, dst, 0, 0, Number(BigInt.asIntN(32, v))), insn(0x00, 0, 0, 0, Number(BigInt.asIntN(32, v >> 32n)))];
const addK = (dst: number, imm: number): Insn => insn(0x07, dst, 0, 0, imm);
const jneK = (dst: number, imm: number, off: number): Insn => insn(0x55, dst, 0, off, imm);
const jltK = (dst: number, imm: number, off: number): Insn => insn(0xa5, dst, 0, off, imm);
const addX = (dst: number, src: number): Insn => insn(0x0f, dst, src);
const mov = (dst: number, imm: number): Insn => insn(0xb7, dst, 0, 0, imm);
const exit = insn(0x95);
const M64 = (1n << 64n) - 1n;

function r0Of(r: RunResult): bigint {
  if (!r.ok) throw new Error(`fault at ${r.fault.pc}: ${r.fault.message}`);
  return r.r0;
}

/**
 * `r1 = start; do { r2 += 1; r1 += step } while (r1 <cmp> K)`; returns
 * r1 ^ (r2 << 48) so both the final counter and the iteration count show.
 */
function loop(start: bigint, step: number, jump: (k: number) => Insn): Insn[] {
  // 0-1: r1 = start; 2: r2 = 0; 3: r2 += 1; 4: r1 += step; 5: jump back to 3; 6: r0 = r2; 7: r0 <<= 48; 8: r0 ^= r1; 9: exit
  return [...ldImm64(1, start), mov(2, 0), insn(0x07, 2, 0, 0, 1), addK(1, step), jump(-3), insn(0xbf, 0, 2), insn(0x67, 0, 0, 0, 48), insn(0xaf, 0, 1), exit];
}

function reference(start: bigint, step: number, taken: (r1: bigint) => boolean): bigint {
  let r1 = start;
  let iterations = 0n;
  for (;;) {
    iterations++;
    r1 = (r1 + BigInt(step)) & M64;
    if (!taken(r1)) return ((iterations << 48n) ^ r1) & M64;
  }
}

describe('fused loop tail', () => {
  it('is packed for add K followed by a jump on the same register', () => {
    const code = (insns: Insn[], slot: number) => decodeProgram(insns).words[slot * 4]! & 0xffff;
    expect(code([addK(1, -1), jneK(1, 0, -2), exit], 0)).toBe(OP_ADD_JNE_ZERO);
    expect(code([addK(1, 1), jneK(1, 9, -2), exit], 0)).toBe(OP_ADD_JNE_K);
    expect(code([addK(1, 1), jltK(1, 9, -2), exit], 0)).toBe(OP_ADD_JLT_K);
    // another register, another jump, a register operand
    expect(code([addK(1, 1), jneK(2, 0, -2), exit], 0)).toBe(0x07);
    expect(code([addK(1, 1), insn(0x25, 1, 0, -2, 9), exit], 0)).toBe(0x07);
    expect(code([addX(1, 2), jneK(1, 0, -2), exit], 0)).toBe(0x0f);
  });

  it('borrows from and carries into the high word like the two instructions', () => {
    const cases: [bigint, number, (off: number) => Insn, (r1: bigint) => boolean][] = [
      // down from just above 2^32 in steps of 2^30: the first one borrows from the high word
      [0x1_0000_0003n, -0x40000000, (off) => jneK(1, 3, off), (r1) => r1 !== 3n],
      // up past 2^32: a carry into the high word
      [0xffff_fff0n, 0x20, (off) => jltK(1, 0x7fffffff, off), (r1) => r1 < 0x7fffffffn],
      // K = -0x20 is 2^64 - 0x20; on the way, K - 2^32 has K's low word with another high word: not equal
      [(1n << 64n) - 0x20n - 0x1_4000_0000n, 0x4000_0000, (off) => jneK(1, -0x20, off), (r1) => r1 !== (1n << 64n) - 0x20n],
      [(1n << 64n) - 40n, 3, (off) => jneK(1, 2, off), (r1) => r1 !== 2n],
      [7n, -1, (off) => jneK(1, 0, off), (r1) => r1 !== 0n],
      [5n, 7, (off) => jltK(1, 200, off), (r1) => r1 < 200n],
      // K = -1 sign-extends to 2^64 - 1: every other value is below it
      [(1n << 64n) - 10n, 1, (off) => jltK(1, -1, off), (r1) => r1 < M64],
    ];
    for (const [start, step, jump, taken] of cases) {
      const p = decodeProgram(loop(start, step, jump));
      expect([start, step, r0Of(run(p, { budget: 1e8 }))]).toEqual([start, step, reference(start, step, taken)]);
    }
  });

  it('agrees with the unfused pair as the debug stepper runs it, jumps into the jump slot included', () => {
    // 0: r1 = 10; 1: if r1 == 10 goto 3 (the jump slot); 2: r1 += -1; 3: if r1 != 0 goto 2; 4: r0 = r1 + 100; 5: exit
    const insns = [mov(1, 10), insn(0x15, 1, 0, 1, 10), addK(1, -1), jneK(1, 0, -2), mov(0, 100), addX(0, 1), exit];
    const p = decodeProgram(insns);
    const ran = run(p);
    const traced = traceRun(p);
    expect(ran).toMatchObject({ ok: true, r0: 100n });
    expect(traced.end).toEqual({ kind: 'exit', r0: 100n });
    expect(ran.insnsExecuted).toBe(traced.pcs.length - 1);
  });

  it('runs out of budget at the jump, with the same count as the two instructions', () => {
    // 0: r1 = 0; 1: r1 += 1; 2: if r1 != 0 goto 1 — forever (within any budget)
    const p = decodeProgram([mov(1, 0), addK(1, 1), jneK(1, 0, -2), exit]);
    for (const budget of [100, 101, 5000, 9000]) {
      const r = run(p, { budget });
      // the first count at a taken jump that reaches the budget: 1 + 2k >= budget
      const expected = budget % 2 === 1 ? budget : budget + 1;
      expect(r).toMatchObject({ ok: false, fault: { pc: 2, kind: 'budget' }, insnsExecuted: expected });
    }
  });
});

describe('fused packet bounds check (rX = rY; rX += imm; if rX > rZ goto)', () => {
  const movX = (dst: number, src: number): Insn => insn(0xbf, dst, src);
  const jgtX = (dst: number, src: number, off: number): Insn => insn(0x2d, dst, src, off);
  /** r0 = 1 when y + imm > z (unsigned 64-bit), else 2; then r0 += r4 << 8 (r4 = y + imm, low byte) */
  const check = (y: bigint, imm: number, z: bigint): Insn[] => [
    ...ldImm64(2, y),
    ...ldImm64(3, z),
    movX(4, 2),
    addK(4, imm),
    jgtX(4, 3, 2),
    mov(0, 2),
    insn(0x05, 0, 0, 1, 0), // goto +1
    mov(0, 1),
    insn(0x57, 4, 0, 0, 0xff), // r4 &= 0xff
    insn(0x67, 4, 0, 0, 8),
    addX(0, 4),
    exit,
  ];
  const expected = (y: bigint, imm: number, z: bigint): bigint => {
    const sum = (y + BigInt(imm)) & M64;
    return (sum > z ? 1n : 2n) + ((sum & 0xffn) << 8n);
  };

  it('is packed on the mov when the sum is the jump’s dst', () => {
    expect(decodeProgram(check(1n, 2, 3n)).words[4 * 4]! & 0xffff).toBe(0x12d);
    expect(decodeProgram([movX(4, 2), addK(4, 8), jgtX(3, 4, 1), exit, exit]).words[0]! & 0xffff).toBe(0x123); // compared the other way round: mov + add only
  });

  it('compares like the three instructions, carries and high words included', () => {
    const cases: [bigint, number, bigint][] = [
      [100n, 42, 142n],
      [100n, 42, 141n],
      [0xffff_fff0n, 0x20, 0x1_0000_000fn],
      [0xffff_fff0n, 0x20, 0x1_0000_0010n],
      [0x5_0000_0010n, -0x20, 0x4_ffff_fff0n],
      [0x5_0000_0010n, -0x20, 0x4_ffff_ffefn],
      [M64, 1, 0n],
      [3n, 0, 0x1_0000_0000n],
    ];
    for (const [y, imm, z] of cases) expect([y, imm, z, r0Of(run(decodeProgram(check(y, imm, z))))]).toEqual([y, imm, z, expected(y, imm, z)]);
  });

  it('agrees with the debug stepper’s unfused run, and jumps into its second and third slots work', () => {
    // 0-1: r2 = 100; 2-3: r3 = 150; 4: if r2 == 100 goto 6 (the add); 5: r4 = r2; 6: r4 += 60; 7: if r4 > r3 goto 9; 8: r0 = 2, exit; 9: r0 = r4
    const insns = [...ldImm64(2, 100n), ...ldImm64(3, 150n), insn(0x15, 2, 0, 1, 100), movX(4, 2), addK(4, 60), jgtX(4, 3, 2), mov(0, 2), exit, movX(0, 4), exit];
    const p = decodeProgram(insns);
    expect(p.words[5 * 4]! & 0xffff).toBe(0x12d);
    // r4 was 0 when the jump skipped the mov: 0 + 60 > 150 is false
    expect(run(p)).toMatchObject({ ok: true, r0: 2n });
    expect(traceRun(p).end).toEqual({ kind: 'exit', r0: 2n });
    const straight = decodeProgram([...ldImm64(2, 100n), ...ldImm64(3, 150n), movX(4, 2), addK(4, 60), jgtX(4, 3, 2), mov(0, 2), exit, movX(0, 4), exit]);
    const ran = run(straight);
    expect(ran).toMatchObject({ ok: true, r0: 160n });
    expect(traceRun(straight).end).toEqual({ kind: 'exit', r0: 160n });
    expect(ran.insnsExecuted).toBe(traceRun(straight).pcs.length - 1);
  });

  it('runs out of budget at the jump, with the same count as the three instructions', () => {
    // 0: r3 = 0; 1: r4 = r2; 2: r4 += 1; 3: if r4 > r3 goto 1 — forever
    const p = decodeProgram([mov(3, 0), movX(4, 2), addK(4, 1), jgtX(4, 3, -3), exit]);
    for (const budget of [100, 101, 102, 5000]) {
      // the first count at a taken jump that reaches the budget: 1 + 3k >= budget
      const expected = 1 + 3 * Math.ceil((budget - 1) / 3);
      expect(run(p, { budget })).toMatchObject({ ok: false, fault: { pc: 3, kind: 'budget' }, insnsExecuted: expected });
    }
  });
});
