import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/index.ts';
import { maxCtxOffset } from './ctx-reach.ts';

function reach(asm: string): number {
  const a = assemble(asm);
  if (!a.ok) throw new Error(a.diagnostics[0]?.message);
  return maxCtxOffset(a.program.insns);
}

describe('maxCtxOffset (the verifier’s max_ctx_offset)', () => {
  it('is 0 for a program that never reads its ctx', () => {
    expect(reach('r0 = 1\nexit')).toBe(0);
    // a load through a register that is not the ctx pointer
    expect(reach('r2 = r10\nr2 += -8\n*(u64 *)(r10 - 8) = r1\nr1 = 0\nr0 = *(u64 *)(r2 + 0)\nexit')).toBe(0);
  });

  it('is the furthest byte of any ctx load: offset plus size', () => {
    expect(reach('r0 = *(u64 *)(r1 + 0)\nexit')).toBe(8);
    expect(reach('r0 = *(u8 *)(r1 + 13)\nr2 = *(u16 *)(r1 + 6)\nexit')).toBe(14);
    expect(reach('r0 = *(u32 *)(r1 + 44)\nexit')).toBe(48);
  });

  it('counts loads on every branch', () => {
    expect(reach('r0 = 0\nr2 = *(u64 *)(r1 + 0)\nif r2 != 7 goto +1\nr0 = *(u64 *)(r1 + 40)\nexit')).toBe(48);
  });

  it('follows copies, stack spills and bpf-to-bpf calls', () => {
    expect(reach('r6 = r1\nr1 = 0\nr0 = *(u64 *)(r6 + 16)\nexit')).toBe(24);
    expect(reach('*(u64 *)(r10 - 8) = r1\nr1 = 0\nr2 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r2 + 24)\nexit')).toBe(32);
    expect(reach('call sub\nexit\nsub:\nr0 = *(u64 *)(r1 + 56)\nexit')).toBe(64);
    expect(reach('r3 = r1\ncall sub\nexit\nsub:\nr0 = *(u64 *)(r3 + 56)\nexit')).toBe(64);
  });

  it('forgets the pointer where the kernel would no longer treat it as the ctx', () => {
    // a helper call clobbers r1..r5; r6..r9 survive it
    expect(reach('r6 = r1\ncall 8\nr0 = *(u64 *)(r1 + 80)\nexit')).toBe(0);
    expect(reach('r6 = r1\ncall 8\nr0 = *(u64 *)(r6 + 80)\nexit')).toBe(88);
    // a 32-bit move, or overwriting the spill slot
    expect(reach('w2 = w1\nr0 = *(u64 *)(r2 + 8)\nexit')).toBe(0);
    expect(reach('*(u64 *)(r10 - 8) = r1\n*(u32 *)(r10 - 4) = 0\nr2 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r2 + 8)\nexit')).toBe(0);
    // the callee has its own stack: the caller's spill slot is not there
    expect(reach('*(u64 *)(r10 - 8) = r1\ncall sub\nexit\nsub:\nr2 = *(u64 *)(r10 - 8)\nr0 = *(u64 *)(r2 + 8)\nexit')).toBe(0);
  });

  it('terminates on loops', () => {
    expect(reach('r2 = 10\nl:\nr6 = r1\nr0 = *(u64 *)(r6 + 88)\nr2 += -1\nif r2 != 0 goto l\nexit')).toBe(96);
  });
});
