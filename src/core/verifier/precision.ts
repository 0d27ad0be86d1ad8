/**
 * Precision tracking (mark_chain_precision, __mark_chain_precision,
 * backtrack_insn, propagate_precision, mark_all_scalars_precise /
 * _imprecise). Scalars start imprecise; when a verification decision
 * depends on a scalar's exact range (a decided branch, a helper's size
 * argument, pointer arithmetic, ...), the instructions that produced it are
 * walked backwards through the state's history and its parent checkpoints,
 * and every register or spilled slot they read is marked precise in those
 * checkpoints. Pruning then compares only precise scalars (regsafe), so
 * paths that differ in values nothing depends on are pruned, as in Linux.
 *
 * As in the kernel, the current state never carries marks: only
 * checkpoints (explored states) do.
 */
import { AluOp, AtomicOp, Cls, JmpOp, Mode, PseudoCall, Src, cls, mode, op, srcBit } from '../isa/opcodes.ts';
import { type Env, verbose } from './env.ts';
import { formatFrame } from './format.ts';
import { type InsnFormatter, kernelInsnText } from './insn-text.ts';
import { computeJmpPoints, isAtomicFetch, isAtomicLoad, isPseudoCall, isSyncCallbackCall } from './precision-history.ts';
import { insnHist } from './insn-history.ts';
import { HIST_DST_REG_STACK, HIST_SRC_REG_STACK, HIST_STACK_ACCESS, Slot, type VerifierState } from './state.ts';

const MAX_FRAMES = 8;
const ARGS_MASK = 0b111110; // r1-r5

/** What the backtracking of one verifier run needs besides the Env: the log's instruction printer and the jump points. */
export interface PrecisionContext {
  insnText: InsnFormatter;
  jmpPoint: Uint8Array;
  /** per bpf_loop call insn: update_loop_inline_state (is the flags argument always 0 with one callback?) */
  loopInline: Map<number, { fit: boolean; subprog: number }>;
}

const contexts = new WeakMap<Env, PrecisionContext>();

export function initPrecision(env: Env, insnText: InsnFormatter): PrecisionContext {
  const ctx: PrecisionContext = { insnText, jmpPoint: computeJmpPoints(env.insns), loopInline: new Map() };
  contexts.set(env, ctx);
  return ctx;
}

function contextOf(env: Env): PrecisionContext {
  return contexts.get(env) ?? initPrecision(env, kernelInsnText);
}

/** struct backtrack_state: registers and stack slots still to explain, per frame. */
class Backtrack {
  frame = 0;
  readonly regs = new Int32Array(MAX_FRAMES);
  /** stack slot masks: bits 0-31 and 32-63 */
  readonly lo = new Int32Array(MAX_FRAMES);
  readonly hi = new Int32Array(MAX_FRAMES);
  /** highest frame whose masks may be non-zero, so reset and empty stay short */
  private top = MAX_FRAMES - 1;

  reset(frame: number): void {
    for (let i = 0; i <= this.top; i++) this.regs[i] = this.lo[i] = this.hi[i] = 0;
    this.frame = frame;
    this.top = frame;
  }
  empty(): boolean {
    for (let i = 0; i <= this.frame; i++) if (this.regs[i] | this.lo[i] | this.hi[i]) return false;
    return true;
  }
  private touch(fr: number): void {
    if (fr > this.top) this.top = fr;
  }
  setReg(fr: number, r: number): void {
    this.touch(fr);
    this.regs[fr] |= 1 << r;
  }
  clearReg(fr: number, r: number): void {
    this.regs[fr] &= ~(1 << r);
  }
  isReg(fr: number, r: number): boolean {
    return (this.regs[fr] & (1 << r)) !== 0;
  }
  setSlot(fr: number, spi: number): void {
    this.touch(fr);
    if (spi < 32) this.lo[fr] |= 1 << spi;
    else this.hi[fr] |= 1 << (spi - 32);
  }
  clearSlot(fr: number, spi: number): void {
    if (spi < 32) this.lo[fr] &= ~(1 << spi);
    else this.hi[fr] &= ~(1 << (spi - 32));
  }
  isSlot(fr: number, spi: number): boolean {
    return spi < 32 ? (this.lo[fr] & (1 << spi)) !== 0 : (this.hi[fr] & (1 << (spi - 32))) !== 0;
  }
  hasSlots(fr: number): boolean {
    return (this.lo[fr] | this.hi[fr]) !== 0;
  }
  slots(fr: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < 64; i++) if (this.isSlot(fr, i)) out.push(i);
    return out;
  }
  regList(fr: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < 32; i++) if (this.regs[fr] & (1 << i)) out.push(i);
    return out;
  }
  /** set bits of frame `fr`'s register mask, lowest first, without allocating */
  nextReg(fr: number, from: number): number {
    const m = this.regs[fr] >>> from;
    return m === 0 ? -1 : from + (31 - Math.clz32(m & -m));
  }
  nextSlot(fr: number, from: number): number {
    if (from < 32) {
      const m = this.lo[fr] >>> from;
      if (from < 32 && m !== 0) return from + (31 - Math.clz32(m & -m));
      from = 32;
    }
    const m = this.hi[fr] >>> (from - 32);
    return m === 0 || from >= 64 ? -1 : from + (31 - Math.clz32(m & -m));
  }
}

/** fmt_reg_mask / fmt_stack_mask */
const fmtRegs = (bt: Backtrack, fr: number): string => bt.regList(fr).map((r) => `r${r}`).join(',');
const fmtSlots = (bt: Backtrack, fr: number): string => bt.slots(fr).map((s) => String(-(s + 1) * 8)).join(',');

/** level-2 text is wanted (and the log still keeps text: see LogBuffer.saturated) */
const level2 = (env: Env): boolean => env.logLevel === 2 && !env.log.saturated;

/** Why backtracking stopped early: an instruction it cannot see through, or an inconsistency (our bug; the kernel would fail verification). */
type BacktrackStop = 'notsupp' | 'bug' | null;

/** bt_sync_linked_regs: if one scalar of a linked set needs precision, all do (`hist`: the step's history record, -1 for none). */
function syncLinked(bt: Backtrack, hist: number): void {
  const linked = hist < 0 ? null : insnHist.linked[hist];
  if (!linked) return;
  const some = linked.some((e) => (e.isReg ? bt.isReg(e.frameno, e.regOrSpi) : bt.isSlot(e.frameno, e.regOrSpi)));
  if (!some) return;
  for (const e of linked) {
    if (e.isReg) bt.setReg(e.frameno, e.regOrSpi);
    else bt.setSlot(e.frameno, e.regOrSpi);
  }
}

/**
 * backtrack_insn: given what must be precise after instruction `idx`,
 * compute what must be precise before it. `hist` is the position of the
 * step's record in the history buffer, -1 when it has none.
 */
function backtrackInsn(env: Env, ctx: PrecisionContext, idx: number, subseqIdx: number, hist: number, bt: Backtrack): BacktrackStop {
  const insns = env.insns;
  const ins = insns[idx];
  if (!ins || ins.code === 0) return null;
  if (level2(env)) {
    verbose(env, `mark_precise: frame${bt.frame}: regs=${fmtRegs(bt, bt.frame)} stack=${fmtSlots(bt, bt.frame)} before ${idx}: ${ctx.insnText(insns, idx)}\n`);
  }
  syncLinked(bt, hist);
  const fr = bt.frame;
  const c = cls(ins.code);
  const o = op(ins.code);
  const dreg = ins.dst;
  const sreg = ins.src;
  const H = insnHist;
  const histFlags = hist < 0 ? 0 : H.flags[hist];
  if (c === Cls.ALU || c === Cls.ALU64) {
    if (!bt.isReg(fr, dreg)) return null;
    if (o === AluOp.END || o === AluOp.NEG) return null;
    if (o === AluOp.MOV) {
      bt.clearReg(fr, dreg);
      if (srcBit(ins.code) === Src.X && sreg !== 10) bt.setReg(fr, sreg);
    } else if (srcBit(ins.code) === Src.X && sreg !== 10) {
      bt.setReg(fr, sreg);
    }
  } else if (c === Cls.LDX || (c === Cls.STX && (isAtomicFetch(ins) || isAtomicLoad(ins)))) {
    const loadReg = isAtomicFetch(ins) ? (ins.imm === AtomicOp.CMPXCHG ? 0 : sreg) : dreg;
    if (!bt.isReg(fr, loadReg)) return null;
    bt.clearReg(fr, loadReg);
    // only a fill from the stack carries the value on; other memory is just "unknown"
    if (!(histFlags & HIST_STACK_ACCESS)) return null;
    bt.setSlot(H.frameno[hist], H.spi[hist]);
  } else if (c === Cls.STX || c === Cls.ST) {
    // a scalar used as the address of a store: pointer subtraction somewhere
    if (bt.isReg(fr, dreg)) return 'notsupp';
    if (!(histFlags & HIST_STACK_ACCESS)) return null;
    if (!bt.isSlot(H.frameno[hist], H.spi[hist])) return null;
    bt.clearSlot(H.frameno[hist], H.spi[hist]);
    if (c === Cls.STX) bt.setReg(fr, sreg);
  } else if (c === Cls.JMP || c === Cls.JMP32) {
    if (isPseudoCall(ins)) {
      // leaving the callee backwards: only its arguments r1-r5 can still be wanted
      if (bt.regs[fr] & ~ARGS_MASK) return 'bug';
      if (bt.hasSlots(fr)) return 'bug';
      if (fr === 0) return 'bug';
      for (let r = 1; r <= 5; r++) {
        if (bt.isReg(fr, r)) {
          bt.clearReg(fr, r);
          bt.setReg(fr - 1, r);
        }
      }
      bt.frame--;
      return null;
    }
    if (isSyncCallbackCall(ins) && idx !== subseqIdx - 1) {
      // the callback's entry, reached from its calling helper: r1-r5 are not the caller's
      if (bt.regs[fr] & ~ARGS_MASK) return 'bug';
      if (bt.hasSlots(fr)) return 'bug';
      if (fr === 0) return 'bug';
      for (let r = 1; r <= 5; r++) bt.clearReg(fr, r);
      bt.frame--;
      return null;
    }
    if (o === JmpOp.CALL) {
      if (ins.src === PseudoCall.KFUNC && ins.imm === 0) return 'notsupp';
      bt.clearReg(fr, 0);
      if (bt.regs[fr] & ARGS_MASK) return 'bug';
      return null;
    }
    if (o === JmpOp.EXIT) {
      // entering a callee backwards; a sub-program's r0 is the caller's result, a callback's is not
      const fromSubprogCall = subseqIdx - 1 >= 0 && isPseudoCall(insns[subseqIdx - 1]);
      const r0 = fromSubprogCall && bt.isReg(fr, 0);
      if (fromSubprogCall && bt.regs[fr] & ARGS_MASK) return 'bug';
      // a callback returns to its calling helper, which sets the caller's r1-r5 itself (Linux 6.18 stops here)
      if (!fromSubprogCall && subseqIdx >= 0 && isSyncCallbackCall(insns[subseqIdx])) bt.regs[fr] &= ~ARGS_MASK;
      bt.clearReg(fr, 0);
      if (fr + 1 >= MAX_FRAMES) return 'bug';
      bt.frame++;
      if (r0) bt.setReg(bt.frame, 0);
      return null;
    }
    if (o === JmpOp.JA || o === JmpOp.JCOND) return null;
    if (srcBit(ins.code) === Src.X) {
      if (!bt.isReg(fr, dreg) && !bt.isReg(fr, sreg)) return null;
      if (!(histFlags & HIST_SRC_REG_STACK)) bt.setReg(fr, sreg);
      if (!(histFlags & HIST_DST_REG_STACK)) bt.setReg(fr, dreg);
    }
  } else if (c === Cls.LD) {
    if (mode(ins.code) === Mode.IMM) {
      bt.clearReg(fr, dreg);
      return null;
    }
    if (mode(ins.code) === Mode.ABS || mode(ins.code) === Mode.IND) {
      if (bt.isReg(fr, dreg)) return 'notsupp';
      if (subseqIdx !== idx + 1) {
        if (fr + 1 >= MAX_FRAMES) return 'bug';
        bt.frame++;
      }
      return null;
    }
  }
  syncLinked(bt, hist);
  return null;
}

/** mark_all_scalars_precise: the fallback when backtracking cannot follow the program. */
function markAllScalarsPrecise(env: Env, start: VerifierState): void {
  if (level2(env)) verbose(env, `mark_precise: frame${start.frames.length - 1}: falling back to forcing all scalars precise\n`);
  for (let st = start.parent; st; st = st.parent) {
    for (let i = 0; i < st.frames.length; i++) {
      const f = st.frames[i];
      for (let j = 0; j < 10; j++) {
        const r = f.regs[j];
        if (r.type !== 'scalar' || r.precise) continue;
        r.precise = true;
        if (level2(env)) verbose(env, `force_precise: frame${i}: forcing r${j} to be precise\n`);
      }
      for (let j = 0; j < f.stack.length; j++) {
        const s = f.stack[j];
        if (s.types[7] !== Slot.SPILL) continue;
        const r = s.spilled;
        if (r.type !== 'scalar' || r.precise) continue;
        r.precise = true;
        if (level2(env)) verbose(env, `force_precise: frame${i}: forcing fp${-(j + 1) * 8} to be precise\n`);
      }
    }
  }
}

/** mark_all_scalars_imprecise: a new checkpoint forgets inherited marks (its children will set what they need). */
export function markAllScalarsImprecise(st: VerifierState): void {
  for (const f of st.frames) {
    for (let j = 0; j < 10; j++) {
      const r = f.regs[j];
      if (r.type === 'scalar') r.precise = false;
    }
    for (const s of f.stack) if (s.types[7] === Slot.SPILL && s.spilled.type === 'scalar') s.spilled.precise = false;
  }
}

/**
 * __mark_chain_precision from the current instruction of env.cur with the
 * requests already in `bt`.
 */
function markChain(env: Env, bt: Backtrack): void {
  if (bt.empty()) return;
  const ctx = contextOf(env);
  const start = env.cur;
  let st: VerifierState | null = start;
  let firstIdx = st.firstInsnIdx;
  let lastIdx = env.insnIdx;
  let subseqIdx = -1;
  let skipFirst = true;
  const n = env.insns.length;
  const H = insnHist;
  for (;;) {
    if (level2(env)) verbose(env, `mark_precise: frame${bt.frame}: last_idx ${lastIdx} first_idx ${firstIdx} subseq_idx ${subseqIdx} \n`);
    if (lastIdx < 0) {
      fallback(env, start, bt);
      return;
    }
    const histStart = st.histStart;
    let histEnd = st.histEnd;
    for (let i = lastIdx; ; ) {
      if (skipFirst) {
        skipFirst = false;
      } else {
        const hist = histEnd > histStart && H.idx[histEnd - 1] === i ? histEnd - 1 : -1;
        // (a skip of steps that touch no requested register was tried here: it is unsound for
        // callbacks — bpf_loop programs got other counts at level 0 than at level 2 — so every step is dispatched)
        if (backtrackInsn(env, ctx, i, subseqIdx, hist, bt)) {
          fallback(env, start, bt);
          return;
        }
        if (bt.empty()) return;
      }
      subseqIdx = i;
      // get_prev_insn_idx
      if (i === st.firstInsnIdx) {
        if (histEnd === histStart) break;
        if (histEnd === histStart + 1 && H.idx[histStart] === i) break;
      }
      if (histEnd > histStart && H.idx[histEnd - 1] === i) {
        histEnd--;
        i = H.prevIdx[histEnd];
      } else {
        i--;
      }
      if (i < 0 || i >= n) {
        fallback(env, start, bt);
        return;
      }
    }
    st = st.parent;
    if (!st) break;
    for (let fr = bt.frame; fr >= 0; fr--) {
      const func = st.frames[fr];
      if (!func) {
        fallback(env, start, bt);
        return;
      }
      for (let r = bt.nextReg(fr, 0); r >= 0; r = r < 31 ? bt.nextReg(fr, r + 1) : -1) {
        const reg = func.regs[r];
        if (!reg || reg.type !== 'scalar') {
          bt.clearReg(fr, r);
          continue;
        }
        if (reg.precise) bt.clearReg(fr, r);
        else reg.precise = true;
      }
      for (let spi = bt.nextSlot(fr, 0); spi >= 0; spi = spi < 63 ? bt.nextSlot(fr, spi + 1) : -1) {
        const s = func.stack[spi];
        if (!s) {
          fallback(env, start, bt);
          return;
        }
        if (s.types[7] !== Slot.SPILL || s.spilled.type !== 'scalar') {
          bt.clearSlot(fr, spi);
          continue;
        }
        if (s.spilled.precise) bt.clearSlot(fr, spi);
        else s.spilled.precise = true;
      }
      if (level2(env)) {
        verbose(env, `mark_precise: frame${fr}: parent state regs=${fmtRegs(bt, fr)} stack=${fmtSlots(bt, fr)}: ${formatFrame(func, env.maps, null, st.refs)}\n`);
      }
    }
    if (bt.empty()) return;
    subseqIdx = firstIdx;
    lastIdx = st.lastInsnIdx;
    firstIdx = st.firstInsnIdx;
  }
  if (!bt.empty()) fallback(env, start, bt);
}

function fallback(env: Env, start: VerifierState, bt: Backtrack): void {
  markAllScalarsPrecise(env, start);
  bt.reset(0);
}

const scratch = new Backtrack();

/** mark_chain_precision: the current value of scalar `regno` (current frame) matters. */
export function markChainPrecision(env: Env, regno: number): void {
  if (regno < 0) return;
  const st = env.cur;
  const frame = st.frames.length - 1;
  const reg = st.frames[frame].regs[regno];
  if (!reg || reg.type !== 'scalar') return;
  scratch.reset(frame);
  scratch.setReg(frame, regno);
  markChain(env, scratch);
}

/** mark_chain_precision_batch for one spilled slot (get_constant_map_key). */
export function markStackSlotPrecision(env: Env, frameno: number, spi: number): void {
  scratch.reset(env.cur.frames.length - 1);
  scratch.setSlot(frameno, spi);
  markChain(env, scratch);
}

/**
 * propagate_precision: the current state was pruned against `old`; what
 * `old`'s future needed precise, the current path must provide too.
 * `liveMask` holds the registers live at the instruction (innermost frame;
 * caller frames keep those live at their call): dead registers were
 * cleaned from `old` and ask for nothing.
 */
export function propagatePrecision(env: Env, old: VerifierState, liveMask: number): void {
  const bt = scratch;
  bt.reset(env.cur.frames.length - 1);
  const top = old.frames.length - 1;
  // the "propagating" line is only text at level 2 (level 1 gets its newline, level 0 nothing): build it only then
  const text = level2(env);
  for (let fr = top; fr >= 0; fr--) {
    const f = old.frames[fr];
    let any = false;
    let line = '';
    for (let i = 0; i < 10; i++) {
      const r = f.regs[i];
      if (r.type !== 'scalar' || !r.precise) continue;
      const live = fr === top ? liveMask : (env.liveRegs[old.frames[fr + 1].callsite] ?? 0x3ff);
      if (!(live & (1 << i))) continue;
      if (text) line += any ? `,r${i}` : `frame ${fr}: propagating r${i}`;
      any = true;
      bt.setReg(fr, i);
    }
    for (let i = 0; i < f.stack.length; i++) {
      const s = f.stack[i];
      if (s.types[7] !== Slot.SPILL || s.spilled.type !== 'scalar' || !s.spilled.precise) continue;
      if (text) line += any ? `,fp${-(i + 1) * 8}` : `frame ${fr}: propagating fp${-(i + 1) * 8}`;
      any = true;
      bt.setSlot(fr, i);
    }
    if (any) verbose(env, text ? `${line}\n` : '\n');
  }
  markChain(env, bt);
}

/** Is `idx` a jump point (history is recorded when a path arrives there)? */
export function isJmpPoint(env: Env, idx: number): boolean {
  return contextOf(env).jmpPoint[idx] === 1;
}

/**
 * update_loop_inline_state for a bpf_loop call: while every visit passes a
 * zero flags argument and the same callback, the kernel may inline the
 * loop, and it relies on R4 being exactly 0 (loop_flag_is_zero).
 */
export function bpfLoopInlineState(env: Env, idx: number, subprog: number): void {
  const ctx = contextOf(env);
  const r4 = env.cur.frames[env.cur.frames.length - 1].regs[4];
  const flagIsZero = (): boolean => {
    const zero = r4.type === 'scalar' && r4.varOff.mask === 0n && r4.varOff.value === 0n;
    if (zero) markChainPrecision(env, 4);
    return zero;
  };
  const s = ctx.loopInline.get(idx);
  if (!s) {
    ctx.loopInline.set(idx, { fit: flagIsZero(), subprog });
    return;
  }
  if (!s.fit) return;
  s.fit = flagIsZero() && s.subprog === subprog;
}
