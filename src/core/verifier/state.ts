/**
 * Verifier states (struct bpf_func_state, struct bpf_verifier_state): the
 * registers and stack of every active call frame on one path.
 */
import { RegState, copyReg, markPointer, notInitReg } from './reg.ts';

/** Stack byte kinds (enum bpf_stack_slot_type). */
export const enum Slot {
  INVALID = 0,
  SPILL = 1,
  MISC = 2,
  ZERO = 3,
}

export interface StackSlot {
  /** kind of each byte; index 0 is the byte at the highest address (fp-1 for slot 0) */
  types: Slot[];
  /** the register spilled here (meaningful when types[7] is SPILL) */
  spilled: RegState;
}

export interface FuncState {
  regs: RegState[];
  /** slot i covers fp-8*(i+1) .. fp-8*i-1 */
  stack: StackSlot[];
  frameno: number;
  /** instruction index of the call that created this frame (-1 for main) */
  callsite: number;
  subprog: number;
  /** bpf_loop/callback frames */
  inCallback: boolean;
}

export interface VerifierState {
  frames: FuncState[];
  /** acquired references (ringbuf reservations), by id */
  refs: number[];
  /** index of the instruction that created this state when it was pushed */
  insnIdx: number;
  /** parent state in the explored tree (for loop detection: states with live branches) */
  parent: VerifierState | null;
  /** number of paths still being explored from this state (kernel: branches) */
  branches: number;
  /** insn_processed when the state was created, for states_maybe_looping heuristics */
  firstInsnProcessed: number;
  /** jumps taken since the state was pushed (jmp_history length) */
  jmpHistoryLen: number;
}

export function emptySlot(): StackSlot {
  return { types: [0, 0, 0, 0, 0, 0, 0, 0], spilled: notInitReg() };
}

export function newFuncState(frameno: number, callsite: number, subprog: number): FuncState {
  const regs: RegState[] = [];
  for (let i = 0; i < 11; i++) regs.push(notInitReg());
  markPointer(regs[10], 'stack');
  regs[10].frameno = frameno;
  return { regs, stack: [], frameno, callsite, subprog, inCallback: false };
}

export function copyFuncState(f: FuncState): FuncState {
  return {
    regs: f.regs.map(copyReg),
    stack: f.stack.map((s) => ({ types: s.types.slice(), spilled: copyReg(s.spilled) })),
    frameno: f.frameno,
    callsite: f.callsite,
    subprog: f.subprog,
    inCallback: f.inCallback,
  };
}

export function copyState(s: VerifierState): VerifierState {
  return {
    frames: s.frames.map(copyFuncState),
    refs: s.refs.slice(),
    insnIdx: s.insnIdx,
    parent: s.parent,
    branches: 0,
    firstInsnProcessed: s.firstInsnProcessed,
    jmpHistoryLen: s.jmpHistoryLen,
  };
}

export function curFrame(s: VerifierState): FuncState {
  return s.frames[s.frames.length - 1];
}

/** grow_stack_state: make sure slots down to byte offset `off` exist. */
export function growStack(f: FuncState, off: number): void {
  const need = Math.ceil(-off / 8);
  while (f.stack.length < need) f.stack.push(emptySlot());
}
