/**
 * The decode-time stack reach and the partial zeroing it allows. Expected
 * offsets are worked out by hand: offset = 512 + the most negative r10
 * displacement the program uses.
 */
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { Memory } from './memory.ts';
import { run, type RunResult } from './vm.ts';
import { stackReach } from './stack-reach.ts';

const exit = (): Insn => insn(0x95);
const mov = (dst: number, imm: number): Insn => insn(0xb7, dst, 0, 0, imm);
const stdw = (off: number, imm: number): Insn => insn(0x7a, 10, 0, off, imm);
const ldxdw = (dst: number, off: number): Insn => insn(0x79, dst, 10, off);
/** r2 = r10; r2 += off; call helper */
const keyCall = (off: number, helper: number): Insn[] => [insn(0xbf, 2, 10), insn(0x07, 2, 0, 0, off), insn(0x85, 0, 0, 0, helper)];

function r0Of(r: RunResult): bigint {
  if (!r.ok) throw new Error(`fault at ${r.fault.pc}: ${r.fault.message}`);
  return r.r0;
}

describe('stackReach', () => {
  it('is the whole-stack size for a program that never names r10', () => {
    expect(stackReach([mov(0, 1), exit()])).toBe(512);
  });

  it('follows constant r10 offsets of loads, stores and atomics', () => {
    expect(stackReach([stdw(-8, 1), ldxdw(0, -16), exit()])).toBe(496);
    expect(stackReach([insn(0x62, 10, 0, -4, 7), exit()])).toBe(508);
    // lock *(u64 *)(r10 - 24) += r1
    expect(stackReach([insn(0xdb, 10, 1, -24, 0), exit()])).toBe(488);
    expect(stackReach([stdw(-600, 1), exit()])).toBe(0);
  });

  it('follows r10 + imm handed straight to a map key helper', () => {
    expect(stackReach([...keyCall(-4, 1), exit()])).toBe(508);
    expect(stackReach([stdw(-8, 0), ...keyCall(-40, 2), exit()])).toBe(472);
  });

  it('gives up (0) when r10 escapes', () => {
    // a copy that is not the key pattern
    expect(stackReach([insn(0xbf, 2, 10), exit()])).toBe(0);
    // the pattern, but into a helper that is not a map key helper (bpf_loop takes a callback)
    expect(stackReach([...keyCall(-4, 181), exit()])).toBe(0);
    // the pattern interrupted
    expect(stackReach([insn(0xbf, 2, 10), insn(0x07, 2, 0, 0, -4), mov(0, 0), insn(0x85, 0, 0, 0, 1), exit()])).toBe(0);
    // r10 spilled to the stack
    expect(stackReach([insn(0x7b, 10, 10, -8), exit()])).toBe(0);
    // r10 compared
    expect(stackReach([insn(0x2d, 1, 10, 0), exit()])).toBe(0);
    // callx r10
    expect(stackReach([insn(0x8d, 0, 0, 0, 10), exit()])).toBe(0);
  });

  it('is what decodeProgram records', () => {
    expect(decodeProgram([stdw(-8, 1), exit()]).stackLow).toBe(504);
  });
});

describe('partial stack zeroing', () => {
  it('a program sees zero wherever it reads, whatever a wider program left behind', () => {
    const memory = new Memory();
    // writes 0x55 at fp-8 and fp-200
    const wide = decodeProgram([stdw(-8, 0x55), stdw(-200, 0x66), mov(0, 0), exit()]);
    // reads fp-200 and fp-8 without writing them: r0 = both, or'ed
    const reader = decodeProgram([ldxdw(0, -200), ldxdw(1, -8), insn(0x4f, 0, 1), exit()]);
    // touches only fp-8
    const narrow = decodeProgram([stdw(-8, 0x77), mov(0, 0), exit()]);
    for (let i = 0; i < 3; i++) {
      expect(r0Of(run(wide, { memory }))).toBe(0n);
      expect(r0Of(run(reader, { memory }))).toBe(0n);
      expect(r0Of(run(narrow, { memory }))).toBe(0n);
      expect(r0Of(run(reader, { memory }))).toBe(0n);
      expect(r0Of(run(wide, { memory }))).toBe(0n);
      expect(r0Of(run(narrow, { memory }))).toBe(0n);
      expect(r0Of(run(reader, { memory }))).toBe(0n);
    }
  });
});
