/**
 * The instruction history precision backtracking walks (push_insn_history,
 * mark_jmp_point): which steps of a path were jumps into a jump point,
 * which loads and stores filled or spilled a stack slot, and which scalars
 * were linked at a conditional jump. Straight-line steps are not recorded:
 * backtracking assumes insn - 1 unless the history says otherwise.
 */
import type { Insn } from '../isa/insn.ts';
import { AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, cls, mode, op } from '../isa/opcodes.ts';
import type { Env } from './env.ts';
import { isPointer, type RegState } from './reg.ts';
import { HIST_DST_REG_STACK, HIST_SRC_REG_STACK, HIST_STACK_ACCESS, type LinkedReg, Slot, type VerifierState } from './state.ts';
import { tnumIsConst } from './tnum.ts';
import { insnHist } from './insn-history.ts';

/** LINKED_REGS_MAX: a history entry holds at most this many linked scalars */
const LINKED_REGS_MAX = 6;

/** helpers that call a callback synchronously (is_sync_callback_calling_function) */
const SYNC_CALLBACK_HELPERS = new Set([164 /* for_each_map_elem */, 180 /* find_vma */, 181 /* loop */, 209 /* user_ringbuf_drain */]);

export function isSyncCallbackCall(ins: Insn): boolean {
  return ins.code === (Cls.JMP | JmpOp.CALL) && ins.src === PseudoCall.HELPER && SYNC_CALLBACK_HELPERS.has(ins.imm);
}

export function isPseudoCall(ins: Insn | undefined): boolean {
  return ins !== undefined && ins.code === (Cls.JMP | JmpOp.CALL) && ins.src === PseudoCall.CALL;
}

/**
 * Jump points as check_cfg marks them: targets of branch edges (conditional
 * and unconditional jumps, sub-program and callback entries), the
 * instruction after every call (a return is a non-linear step), and
 * callback-calling helper calls (the callback returns to them).
 */
export function computeJmpPoints(insns: readonly Insn[]): Uint8Array {
  const n = insns.length;
  const jp = new Uint8Array(n + 1);
  const mark = (i: number): void => {
    if (i >= 0 && i < n) jp[i] = 1;
  };
  for (let t = 0; t < n; t++) {
    const ins = insns[t];
    if (ins.code === LD_IMM64_CODE) {
      if (ins.src === PseudoLd.FUNC) {
        mark(t + 2);
        mark(t + ins.imm + 1);
      }
      t++;
      continue;
    }
    const c = cls(ins.code);
    if (c !== Cls.JMP && c !== Cls.JMP32) continue;
    const o = op(ins.code);
    if (o === JmpOp.EXIT) continue;
    if (o === JmpOp.CALL) {
      mark(t + 1);
      if (ins.src === PseudoCall.CALL) mark(t + ins.imm + 1);
      if (isSyncCallbackCall(ins)) mark(t);
      continue;
    }
    if (o === JmpOp.JA) {
      mark(c === Cls.JMP32 ? t + ins.imm + 1 : t + ins.off + 1);
      continue;
    }
    mark(t + ins.off + 1);
  }
  return jp;
}

/**
 * push_insn_history: record the current step (env.insnIdx, reached from
 * env.prevInsnIdx) in the current state; a second record for the same step
 * adds its flags to the first.
 */
export function pushInsnHistory(env: Env, flags: number, spi: number, frameno: number, linked: LinkedReg[] | null): void {
  const st = env.cur;
  const h = insnHist;
  const end = st.histEnd;
  const last = end - 1;
  if (end > st.histStart && h.stamp[last] === env.insnProcessed && h.idx[last] === env.insnIdx) {
    h.flags[last] |= flags;
    if (flags & HIST_STACK_ACCESS) {
      h.spi[last] = spi;
      h.frameno[last] = frameno;
    }
    if (linked) h.linked[last] = linked;
    return;
  }
  h.reserve(end);
  h.idx[end] = env.insnIdx;
  h.prevIdx[end] = env.prevInsnIdx;
  h.flags[end] = flags;
  h.spi[end] = spi;
  h.frameno[end] = frameno;
  h.stamp[end] = env.insnProcessed;
  h.linked[end] = linked;
  st.histEnd = end + 1;
}

export interface StackAccess {
  frameno: number;
  spi: number;
  /** byte offset from the frame pointer */
  off: number;
}

/** The fixed-offset stack slot a load or store through `ptr` touches, or null. */
export function fixedStackAccess(ptr: RegState, insnOff: number): StackAccess | null {
  if (ptr.type !== 'stack' || !tnumIsConst(ptr.varOff)) return null;
  const off = Number(BigInt.asIntN(64, ptr.varOff.value)) + ptr.off + insnOff;
  if (off >= 0 || off < -512) return null;
  return { frameno: ptr.frameno, spi: Math.floor((-off - 1) / 8), off };
}

/**
 * Does check_stack_write_fixed_off record this store as a spill? Scalars
 * at 8-byte-aligned offsets, BPF_ST immediates there, and pointers are
 * spills; any other write is plain data.
 */
export function storeIsSpill(value: RegState | null, isSt: boolean, off: number): boolean {
  const aligned = off % 8 === 0;
  if (value && value.type === 'scalar') return aligned;
  if (!value) return isSt && aligned;
  return isPointer(value);
}

/**
 * Does check_stack_read_fixed_off record this load as a fill (the register
 * gets the spilled register's state back)? `hasDst` is false for the
 * check-only reads of atomics.
 */
export function loadIsFill(env: Env, acc: StackAccess, size: number, hasDst: boolean): boolean {
  const f = env.cur.frames[acc.frameno];
  const s = f?.stack[acc.spi];
  if (!s || s.types[7] !== Slot.SPILL) return false;
  let spillSize = 1;
  for (let i = 7; i > 0 && s.types[i - 1] === Slot.SPILL; i--) spillSize++;
  if (size === 8 && spillSize === 8) return true;
  if (!hasDst || s.spilled.type !== 'scalar') return false;
  if (size <= spillSize && acc.off % 8 === 0) return true;
  const slot = -acc.off - 1;
  let spillCnt = 0;
  for (let i = 0; i < size; i++) if (s.types[(slot - i) % 8] === Slot.SPILL) spillCnt++;
  return spillCnt === size && tnumIsConst(s.spilled.varOff) && s.spilled.varOff.value === 0n;
}

/** The history flags check_cond_jmp_op records for stack-pointer operands. */
export function condJmpFlags(dst: RegState, src: RegState | null): number {
  return (src && src.type === 'stack' ? HIST_SRC_REG_STACK : 0) | (dst.type === 'stack' ? HIST_DST_REG_STACK : 0);
}

/**
 * collect_linked_regs: the live scalars (registers and spilled slots, every
 * frame, innermost first) sharing the id of a jump operand; `ids` are the
 * source's then the destination's id (0 for none).
 */
export function collectLinkedRegs(env: Env, vs: VerifierState, ids: readonly number[]): LinkedReg[] {
  const out: LinkedReg[] = [];
  const live = env.liveRegs[env.insnIdx] ?? 0x3ff;
  const top = vs.frames.length - 1;
  for (const id of ids) {
    if (!id) continue;
    for (let fr = top; fr >= 0; fr--) {
      const f = vs.frames[fr];
      for (let r = 0; r < 10; r++) {
        const reg = f.regs[r];
        if (reg.type !== 'scalar' || reg.id !== id) continue;
        // sync_linked_regs leaves dead registers of the current frame alone
        if (fr === top && !(live & (1 << r))) continue;
        if (out.length < LINKED_REGS_MAX) out.push({ frameno: fr, regOrSpi: r, isReg: true });
      }
      for (let spi = 0; spi < f.stack.length; spi++) {
        const s = f.stack[spi];
        if (s.types[7] !== Slot.SPILL || s.spilled.type !== 'scalar' || s.spilled.id !== id) continue;
        if (out.length < LINKED_REGS_MAX) out.push({ frameno: fr, regOrSpi: spi, isReg: false });
      }
    }
  }
  return out;
}

/** is_atomic_fetch_insn */
export function isAtomicFetch(ins: Insn): boolean {
  return cls(ins.code) === Cls.STX && mode(ins.code) === Mode.ATOMIC && (ins.imm & AtomicOp.FETCH) !== 0;
}

/** is_atomic_load_insn (load-acquire) */
export function isAtomicLoad(ins: Insn): boolean {
  return cls(ins.code) === Cls.STX && mode(ins.code) === Mode.ATOMIC && ins.imm === AtomicOp.LOAD_ACQ;
}
