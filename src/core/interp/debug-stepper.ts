/**
 * Single-stepping through the interpreter's own instruction implementations,
 * for the debugger. The fast path (vm.ts `run`) is untouched: stepping runs
 * on a private copy of the program whose packed words are all traps
 * (OP_INVALID), except the one instruction about to run. The hot loop then
 * executes exactly that instruction and stops at whatever comes next — a
 * trap — wherever control went (fall-through, jump, call, return).
 *
 * The instruction budget makes the stop: it is set to two instructions per
 * step, so the loop hands over at the trap (or, for a jump to itself, the
 * only successor that is not trapped, at the jump again) with a budget
 * fault whose pc is the next instruction. The trap itself never executes.
 *
 * The decoder fuses `rX = rY; rX += imm` into one packed instruction; the
 * stepper's words split it again, so each source instruction is a step.
 *
 * Helper calls are stepped by calling the cold path directly with the real
 * words in place: a helper may run a BPF callback (bpf_loop), which must not
 * hit the traps. The callback runs untraced, as part of the call's step.
 */
import { FUSED_BRANCH_OPS, OP_CALL_HELPER, OP_INVALID, OP_MOV_ADD_K, type DecodedProgram } from './decode.ts';
import { coldStep } from './cold-ops.ts';
import type { Fault } from './helpers.ts';
import { execute } from './loop.ts';
import { DONE, FAULTED, HALT, SWITCH, Vm, type RunOptions } from './vm-state.ts';
import { pairToU64, u64Hi, u64Lo } from '../num/int64.ts';

/** Words per instruction slot in DecodedProgram.words. */
const SLOT_WORDS = 4;
/** Budget left to a helper call's step (callbacks run inside it). */
const HELPER_STEP_BUDGET = 10_000_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A program copy whose words are traps; `real` holds the original words. */
interface TrappedProgram extends Mutable<DecodedProgram> {
  readonly real: Int32Array;
  readonly traps: Int32Array;
}

export type StepResult =
  | { kind: 'stepped' }
  | { kind: 'exited'; r0: bigint }
  | { kind: 'fault'; fault: Fault };

export class DebugStepper {
  readonly vm = new Vm();
  private readonly trapped = new Map<DecodedProgram, TrappedProgram>();
  private finished: StepResult | null = null;

  constructor(prog: DecodedProgram, opts: RunOptions) {
    const vm = this.vm;
    vm.reset(prog, opts);
    const args = opts.args ?? [];
    for (let i = 0; i < 5 && i < args.length; i++) {
      vm.regs[2 * (i + 1)] = u64Lo(args[i]!);
      vm.regs[2 * (i + 1) + 1] = u64Hi(args[i]!);
    }
    vm.ctxArg = args[0] ?? 0n;
    vm.enterStack(0);
    vm.prog = this.trap(prog);
    vm.frameProg[0] = vm.prog;
  }

  /** pc of the next instruction (of `program`, which changes on tail calls). */
  get pc(): number {
    return this.vm.pc;
  }

  get done(): StepResult | null {
    return this.finished;
  }

  /** Execute one instruction. After an exit or a fault, repeats that result. */
  step(): StepResult {
    if (this.finished) return this.finished;
    let result: StepResult;
    try {
      result = this.stepOnce();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      result = { kind: 'fault', fault: { pc: this.vm.pc, kind: 'internal', message: `internal interpreter error: ${message}` } };
    }
    if (result.kind !== 'stepped') this.finished = result;
    return result;
  }

  /** Let go of run data (helpers, maps), as `run` does. */
  release(): void {
    this.vm.release();
  }

  private stepOnce(): StepResult {
    const vm = this.vm;
    const prog = vm.prog as TrappedProgram;
    const pc = vm.pc;
    if (pc < 0 || pc > prog.length) return { kind: 'fault', fault: { pc, kind: 'internal', message: `pc ${pc} is outside the program` } };
    let status: number;
    const helperCall = prog.op[pc] === OP_CALL_HELPER;
    if (helperCall) {
      prog.words = prog.real;
      vm.budget = vm.n + HELPER_STEP_BUDGET;
      try {
        const next = coldStep(vm, pc, 0);
        status = next < 0 ? -next - 1 : SWITCH;
        if (next >= 0) vm.pc = next;
      } finally {
        prog.words = prog.traps;
      }
    } else {
      const q = pc * SLOT_WORDS;
      prog.traps.set(prog.real.subarray(q, q + SLOT_WORDS), q);
      vm.budget = vm.n + 2;
      try {
        status = execute(vm, pc, 0);
      } finally {
        prog.traps.fill(0, q, q + SLOT_WORDS);
        prog.traps[q] = OP_INVALID;
      }
    }
    if (status === FAULTED) {
      const fault = vm.fault;
      if (fault === null) return { kind: 'fault', fault: { pc, kind: 'internal', message: 'the interpreter stopped without a fault' } };
      // The budget is two per step, so every trap (and a jump to itself) stops as a budget fault.
      if (fault.kind === 'budget' && !helperCall) {
        vm.fault = null;
        vm.pc = fault.pc;
        return this.continueIn();
      }
      return { kind: 'fault', fault };
    }
    if (status === DONE || status === HALT) return { kind: 'exited', r0: pairToU64(vm.regs[0], vm.regs[1]) };
    return this.continueIn();
  }

  /** After a step: the program to continue in (a tail call switches) must be trapped too. */
  private continueIn(): StepResult {
    const vm = this.vm;
    if (!this.isTrapped(vm.prog)) vm.prog = this.trap(vm.prog);
    return { kind: 'stepped' };
  }

  private isTrapped(p: DecodedProgram): boolean {
    return (p as Partial<TrappedProgram>).traps !== undefined;
  }

  private trap(prog: DecodedProgram): TrappedProgram {
    let t = this.trapped.get(prog);
    if (t === undefined) {
      const traps = new Int32Array(prog.words.length);
      for (let q = 0; q < traps.length; q += SLOT_WORDS) traps[q] = OP_INVALID;
      t = { ...prog, words: traps, real: unfused(prog), traps };
      this.trapped.set(prog, t);
    }
    return t;
  }
}

/** The program's packed words with fused pairs split back into their first instruction. */
function unfused(prog: DecodedProgram): Int32Array {
  const words = prog.words.slice();
  for (let pc = 0; pc < prog.length; pc++) {
    const q = pc * SLOT_WORDS;
    const code = words[q]! & 0xffff;
    if (code !== OP_MOV_ADD_K && !FUSED_BRANCH_OPS.includes(code)) continue;
    words[q] = (words[q]! & ~0xffff) | prog.op[pc]!;
    words[q + 1] = prog.off[pc]!;
    words[q + 2] = prog.imm[pc]!;
    words[q + 3] = prog.immHi[pc]!;
  }
  return words;
}
