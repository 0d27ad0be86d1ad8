import { describe, expect, it } from 'vitest';
import * as b from './testing/build.ts';
import { computeJmpPoints, storeIsSpill } from './precision-history.ts';
import { markKnown, markPointer, notInitReg } from './reg.ts';

const points = (jp: Uint8Array): number[] => [...jp.keys()].filter((i) => jp[i] === 1);

describe('jump points (check_cfg mark_jmp_point)', () => {
  it('are branch targets, the instruction after a call, callee entries and bpf_loop calls', () => {
    const insns = [
      b.mov(1, 0), //            0
      b.jmp(b.JMP.JGT, 1, 5, 2), // 1: target 4 (the fall-through 2 is not a jump point)
      b.call(7), //              2: helper: 3 follows a call
      b.ja(1), //                3: target 5
      b.callLocal(3), //         4: callee entry 8, return lands on 5
      b.call(181), //            5: bpf_loop calls back into the program: the call itself, and 6
      b.mov(0, 0), //            6
      b.exit(), //               7
      b.mov(0, 0), //            8
      b.exit(), //               9
    ];
    expect(points(computeJmpPoints(insns))).toEqual([3, 4, 5, 6, 8]);
  });
});

describe('spills recorded for backtracking (check_stack_write_fixed_off)', () => {
  it('takes aligned scalars and BPF_ST immediates and every pointer, not misaligned data', () => {
    const scalar = notInitReg();
    markKnown(scalar, 7n);
    const ptr = notInitReg();
    markPointer(ptr, 'ctx');
    expect(storeIsSpill(scalar, false, -8)).toBe(true);
    expect(storeIsSpill(scalar, false, -4)).toBe(false);
    expect(storeIsSpill(null, true, -16)).toBe(true);
    expect(storeIsSpill(null, true, -12)).toBe(false);
    expect(storeIsSpill(ptr, false, -8)).toBe(true);
  });
});
