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
  /**
   * callback calls this frame has queued on the current path
   * (callback_depth): bpf_loop stops re-queuing its callback once it
   * reaches the iteration count
   */
  callbackDepth: number;
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
  /**
   * dropped from the explored lists while paths from it were still open
   * (the kernel's free list): it still counts towards peak_states until
   * its last path ends
   */
  evicted?: boolean;
  /** insn_processed when the state was created, for states_maybe_looping heuristics */
  firstInsnProcessed: number;
  /**
   * The struct bpf_insn_hist_entry records walked since this state's
   * checkpoint, as the range histStart..histEnd of the run's shared
   * history buffer (insn_hist_start..insn_hist_end; precision-history.ts
   * InsnHistory): jumps into jump points and stack spills/fills, which
   * precision backtracking cannot infer from straight-line order
   */
  histStart: number;
  histEnd: number;
  /** first instruction of this state's stretch (first_insn_idx): its checkpoint or the path's start */
  firstInsnIdx: number;
  /** instruction processed before the current one (last_insn_idx), kept in checkpoints */
  lastInsnIdx: number;
}

/** A linked scalar recorded at a conditional jump (struct linked_reg). */
export interface LinkedReg {
  frameno: number;
  /** register number, or stack slot index when isReg is false */
  regOrSpi: number;
  isReg: boolean;
}

/** The stack slot a fill or spill touched (INSN_F_STACK_ACCESS with its spi and frame). */
export const HIST_STACK_ACCESS = 1;
/** a conditional jump whose source operand is a stack pointer (INSN_F_SRC_REG_STACK) */
export const HIST_SRC_REG_STACK = 2;
/** a conditional jump whose destination operand is a stack pointer (INSN_F_DST_REG_STACK) */
export const HIST_DST_REG_STACK = 4;

export function emptySlot(): StackSlot {
  return { types: [0, 0, 0, 0, 0, 0, 0, 0], spilled: notInitReg() };
}

export function newFuncState(frameno: number, callsite: number, subprog: number): FuncState {
  const regs: RegState[] = [];
  for (let i = 0; i < 11; i++) regs.push(notInitReg());
  markPointer(regs[10], 'stack');
  regs[10].frameno = frameno;
  return { regs, stack: [], frameno, callsite, subprog, inCallback: false, callbackDepth: 0 };
}

/** Plain loops: state copies are the verifier's hottest allocation (every branch and checkpoint). */
function copyRegs(regs: RegState[], copy: (r: RegState) => RegState): RegState[] {
  const out: RegState[] = [];
  for (let i = 0; i < regs.length; i++) out.push(copy(regs[i]));
  return out;
}

function copyStack(stack: StackSlot[], copy: (r: RegState) => RegState): StackSlot[] {
  const out: StackSlot[] = [];
  for (let i = 0; i < stack.length; i++) {
    const s = stack[i];
    out.push({ types: s.types.slice(), spilled: copy(s.spilled) });
  }
  return out;
}

export function copyFuncState(f: FuncState, copy: (r: RegState) => RegState = copyReg): FuncState {
  return {
    regs: copyRegs(f.regs, copy),
    stack: copyStack(f.stack, copy),
    frameno: f.frameno,
    callsite: f.callsite,
    subprog: f.subprog,
    inCallback: f.inCallback,
    callbackDepth: f.callbackDepth,
  };
}

export function copyState(s: VerifierState, copy: (r: RegState) => RegState = copyReg): VerifierState {
  const frames: FuncState[] = [];
  for (let i = 0; i < s.frames.length; i++) frames.push(copyFuncState(s.frames[i], copy));
  return {
    frames,
    refs: s.refs.slice(),
    insnIdx: s.insnIdx,
    parent: s.parent,
    branches: 0,
    firstInsnProcessed: s.firstInsnProcessed,
    histStart: s.histStart,
    histEnd: s.histEnd,
    firstInsnIdx: s.firstInsnIdx,
    lastInsnIdx: s.lastInsnIdx,
  };
}

/** The not-initialised register explored states share (see copyStateForExplored). */
const SHARED_NOT_INIT: RegState = notInitReg();

/** A register exactly as notInitReg() builds it (resetReg leaves every not-init register so). */
function isPristineNotInit(r: RegState): boolean {
  const z = SHARED_NOT_INIT;
  return (
    r.type === 'not_init' && r.varOff.value === z.varOff.value && r.varOff.mask === z.varOff.mask &&
    r.umin === z.umin && r.umax === z.umax && r.smin === z.smin && r.smax === z.smax &&
    r.u32min === z.u32min && r.u32max === z.u32max && r.s32min === z.s32min && r.s32max === z.s32max &&
    !r.maybeNull && !r.rdonly && !r.ringbuf && r.off === 0 && r.id === 0 && r.refObjId === 0 && r.range === 0 &&
    r.mapIndex === -1 && r.memSize === 0 && r.frameno === 0 && !r.precise && r.subprog === 0 && !r.addConst
  );
}

const copyForExplored = (r: RegState): RegState => (isPristineNotInit(r) ? SHARED_NOT_INIT : copyReg(r));

/**
 * copyState for the explored-state lists (is_state_visited's checkpoints).
 * An explored state never becomes the current state again: it is compared,
 * printed, and precision marks are set on its scalars; nothing writes its
 * other registers. So its not-initialised registers (and the unused register
 * of non-spill stack slots) can all be one shared object, which roughly
 * halves the copying on programs with many checkpoints. Never use it for a
 * state that will be explored further (push_stack), and never write a
 * not-initialised register of an explored state in place.
 */
export function copyStateForExplored(s: VerifierState): VerifierState {
  return copyState(s, copyForExplored);
}

export function curFrame(s: VerifierState): FuncState {
  return s.frames[s.frames.length - 1];
}

/** grow_stack_state: make sure slots down to byte offset `off` exist. */
export function growStack(f: FuncState, off: number): void {
  const need = Math.ceil(-off / 8);
  while (f.stack.length < need) f.stack.push(emptySlot());
}
