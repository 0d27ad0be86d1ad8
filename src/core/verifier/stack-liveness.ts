/**
 * Linux 6.18's stack-slot liveness (kernel/bpf/liveness.c, behaviour
 * learned from its description and from kernel logs): while exploring, the
 * verifier records per (call chain, instruction) which stack slots the
 * instruction may read and which it always writes; at sub-program exits and
 * before a new path is popped, a backward data-flow pass turns these into
 * "live before" sets. Explored states drop the slots that are dead at their
 * instruction (clean_verifier_state), so pruning ignores them.
 *
 * Masks hold 64 slots (512 bytes of stack) as two 32-bit lanes, so the hot
 * paths stay on small integers instead of BigInt.
 */
import type { Insn } from '../isa/insn.ts';
import { Cls, JmpOp, LD_IMM64_CODE, cls, op } from '../isa/opcodes.ts';
import { jumpTarget } from './cfg.ts';
import { notInitReg } from './reg.ts';
import type { VerifierState } from './state.ts';

const MAX_FRAMES = 8;

/** bpf_insn_successors: fall-through first, then the jump target; calls fall through. */
export function insnSuccessors(insns: readonly Insn[], i: number, out: number[]): number {
  const ins = insns[i];
  if (ins.code === LD_IMM64_CODE) {
    out[0] = i + 2;
    return 1;
  }
  const c = cls(ins.code);
  if (c !== Cls.JMP && c !== Cls.JMP32) {
    out[0] = i + 1;
    return 1;
  }
  const o = op(ins.code);
  if (o === JmpOp.EXIT) return 0;
  if (o === JmpOp.CALL) {
    out[0] = i + 1;
    return 1;
  }
  if (o === JmpOp.JA) {
    out[0] = jumpTarget(ins, i);
    return 1;
  }
  out[0] = i + 1;
  out[1] = jumpTarget(ins, i);
  return 2;
}

/**
 * compute_postorder: per sub-program, a depth-first post-order that pushes
 * all successors of an instruction at once (so the jump target is explored
 * before the fall-through). The fixed-point passes walk it, which fixes the
 * order of the kernel's debug lines and its iteration counts.
 */
export function subprogPostorder(insns: readonly Insn[], start: number, end: number): number[] {
  const order: number[] = [];
  const state = new Uint8Array(insns.length);
  const stack = [start];
  const succ = [0, 0];
  while (stack.length) {
    const top = stack[stack.length - 1];
    state[top] |= 1;
    if (state[top] & 2) {
      order.push(top);
      stack.pop();
      continue;
    }
    const n = insnSuccessors(insns, top, succ);
    for (let s = 0; s < n; s++) {
      const t = succ[s];
      if (t < start || t >= end || state[t]) continue;
      stack.push(t);
      state[t] |= 1;
    }
    state[top] |= 2;
  }
  return order;
}

/** bpf_fmt_stack_mask: "-8,-24" for slots 0 and 2 */
function fmtMask(lo: number, hi: number): string {
  const parts: string[] = [];
  for (let s = 0; s < 64; s++) {
    const set = s < 32 ? (lo >>> s) & 1 : (hi >>> (s - 32)) & 1;
    if (set) parts.push(`-${(s + 1) * 8}`);
  }
  return parts.join(',');
}

/** a sub-program's post-order: absolute and relative instruction indices, relative successors (-1: none) */
interface SubprogFlow {
  idx: Int32Array;
  rel: Int32Array;
  s0: Int32Array;
  s1: Int32Array;
}

/** per frame of an instance: may_read, must_write, must_write_acc, live_before per insn, two lanes each */
interface FrameMasks {
  mayRead: Int32Array;
  mustWrite: Int32Array;
  mustWriteAcc: Int32Array;
  liveBefore: Int32Array;
}

/** A sub-program reached through one call chain (struct func_instance). */
interface Instance {
  /** call instruction of each outer frame, then the sub-program's start */
  callsites: number[];
  /** sub-program start of each frame */
  starts: number[];
  curframe: number;
  insnCnt: number;
  frames: (FrameMasks | null)[];
  mustWriteSet: Uint8Array;
  /** per insn: some frame has a non-empty must_write (lets a write-less visit skip the intersection) */
  mustWriteAny: Uint8Array;
  updated: boolean;
  mustWriteDropped: boolean;
  text: string;
}

export interface StackLivenessOptions {
  insns: readonly Insn[];
  subprogStarts: readonly number[];
  prunePoint: Uint8Array;
  /** whether the helper call at an instruction calls a callback (bpf_loop & co.) */
  callsCallback: (idx: number) => boolean;
  /** level-2 log sink, or null */
  log: ((text: string) => void) | null;
}

export class StackLiveness {
  private readonly instances = new Map<string, Instance>();
  private cur: Instance | null = null;
  private readonly writeLo = new Int32Array(MAX_FRAMES);
  private readonly writeHi = new Int32Array(MAX_FRAMES);
  private writeIdx = 0;
  /** some markWrite since the last reset */
  private pending = false;
  private readonly flows = new Map<number, SubprogFlow>();

  constructor(private readonly o: StackLivenessOptions) {}

  private subprogEnd(start: number): number {
    for (const s of this.o.subprogStarts) if (s > start) return s;
    return this.o.insns.length;
  }

  private lookupChain(callsites: number[], starts: number[]): Instance {
    const key = callsites.join(',');
    let inst = this.instances.get(key);
    if (!inst) {
      const start = starts[starts.length - 1];
      const insnCnt = this.subprogEnd(start) - start;
      inst = {
        callsites,
        starts,
        curframe: callsites.length - 1,
        insnCnt,
        frames: new Array<FrameMasks | null>(callsites.length).fill(null),
        mustWriteSet: new Uint8Array(insnCnt),
        mustWriteAny: new Uint8Array(insnCnt),
        updated: false,
        mustWriteDropped: false,
        text: `(${key})`,
      };
      this.instances.set(key, inst);
    }
    return inst;
  }

  private main: Instance | null = null;

  /** lookup_instance: the instance of `st` at depth `frameno` */
  private lookup(st: VerifierState, frameno: number): Instance {
    // the main program's instance is asked for on every path end: skip building its key
    if (frameno === 0) return (this.main ??= this.lookupChain([0], [0]));
    const callsites: number[] = [];
    const starts: number[] = [];
    for (let i = 0; i <= frameno; i++) {
      starts.push(st.frames[i].subprog);
      callsites.push(i < frameno ? st.frames[i + 1].callsite : st.frames[i].subprog);
    }
    return this.lookupChain(callsites, starts);
  }

  private ensureCur(st: VerifierState): Instance {
    return (this.cur ??= this.lookup(st, st.frames.length - 1));
  }

  private masks(inst: Instance, frame: number): FrameMasks {
    let m = inst.frames[frame];
    if (!m) {
      const n = inst.insnCnt * 2;
      m = { mayRead: new Int32Array(n), mustWrite: new Int32Array(n), mustWriteAcc: new Int32Array(n), liveBefore: new Int32Array(n) };
      inst.frames[frame] = m;
    }
    return m;
  }

  private rel(inst: Instance, idx: number): number {
    return idx - inst.starts[inst.curframe];
  }

  /** bpf_reset_live_stack_callchain: the current state's call stack changed */
  resetCallchain(): void {
    this.cur = null;
  }

  private markReadIn(inst: Instance, frame: number, idx: number, lo: number, hi: number): void {
    const m = this.masks(inst, frame);
    const k = this.rel(inst, idx) * 2;
    const nlo = m.mayRead[k] | lo;
    const nhi = m.mayRead[k + 1] | hi;
    if ((nlo !== m.mayRead[k] || nhi !== m.mayRead[k + 1]) && ((nlo | m.liveBefore[k]) !== m.liveBefore[k] || (nhi | m.liveBefore[k + 1]) !== m.liveBefore[k + 1])) {
      inst.updated = true;
    }
    m.mayRead[k] = nlo;
    m.mayRead[k + 1] = nhi;
  }

  /** bpf_mark_stack_read: instruction `idx` of the current state may read slot `spi` of frame `frame` */
  markRead(st: VerifierState, frame: number, idx: number, spi: number): void {
    if (spi < 0 || spi >= 64) return;
    this.markReadIn(this.ensureCur(st), frame, idx, spi < 32 ? 1 << spi : 0, spi >= 32 ? 1 << (spi - 32) : 0);
  }

  private resetWritesFor(inst: Instance, idx: number): void {
    this.writeIdx = idx;
    if (!this.pending) return;
    this.pending = false;
    for (let i = 0; i <= inst.curframe && i < MAX_FRAMES; i++) this.writeLo[i] = this.writeHi[i] = 0;
  }

  /** bpf_reset_stack_write_marks: start collecting the writes of instruction `idx` */
  resetWrites(st: VerifierState, idx: number): void {
    this.resetWritesFor(this.ensureCur(st), idx);
  }

  /** bpf_mark_stack_write: the instruction writes all 8 bytes of slot `spi` */
  markWrite(frame: number, spi: number): void {
    if (spi < 0 || spi >= 64 || frame >= MAX_FRAMES) return;
    if (spi < 32) this.writeLo[frame] |= 1 << spi;
    else this.writeHi[frame] |= 1 << (spi - 32);
    this.pending = true;
  }

  private commitFor(inst: Instance | null): void {
    if (!inst) return;
    const idx = this.rel(inst, this.writeIdx);
    const seen = inst.mustWriteSet[idx] === 1;
    // the common visit writes no whole slot: on a first visit nothing is recorded
    // but the visit itself; later ones only matter where a slot used to be written
    if (!this.pending && (!seen || inst.mustWriteAny[idx] === 0)) {
      inst.mustWriteSet[idx] = 1;
      this.writeIdx = 0;
      return;
    }
    let any = 0;
    for (let frame = 0; frame <= inst.curframe; frame++) {
      let lo = this.writeLo[frame];
      let hi = this.writeHi[frame];
      if (lo === 0 && hi === 0 && !seen) continue;
      const m = this.masks(inst, frame);
      const k = idx * 2;
      const olo = m.mustWrite[k];
      const ohi = m.mustWrite[k + 1];
      // first visit on this call chain sets must_write; later visits keep what every visit wrote
      if (seen) {
        lo &= olo;
        hi &= ohi;
      }
      if (olo !== lo || ohi !== hi) {
        m.mustWrite[k] = lo;
        m.mustWrite[k + 1] = hi;
        inst.updated = true;
      }
      if ((olo & ~lo) || (ohi & ~hi)) inst.mustWriteDropped = true;
      any |= lo | hi;
    }
    inst.mustWriteAny[idx] = any ? 1 : 0;
    inst.mustWriteSet[idx] = 1;
    this.writeIdx = 0;
  }

  /** bpf_commit_stack_write_marks */
  commitWrites(): void {
    this.commitFor(this.cur);
  }

  private logChange(inst: Instance, pfx: string, frame: number, idx: number, olo: number, ohi: number, nlo: number, nhi: number): void {
    const clo = olo ^ nlo;
    const chi = ohi ^ nhi;
    if (!clo && !chi) return;
    let line = `${inst.text} frame ${frame} insn ${idx} `;
    if ((nlo & clo) || (nhi & chi)) line += `+${pfx} ${fmtMask(nlo & clo, nhi & chi)} `;
    if ((~nlo & clo) || (~nhi & chi)) line += `-${pfx} ${fmtMask(~nlo & clo, ~nhi & chi)}`;
    this.o.log?.(`${line}\n`);
  }

  /**
   * update_insn: one instruction's live_before and must_write_acc from its
   * successors'. `k` is its relative index; the successors' relative
   * indices come precomputed (-1: none).
   */
  private updateInsn(inst: Instance, m: FrameMasks, frame: number, idx: number, k: number, s0: number, s1: number): boolean {
    if (s0 < 0) return false;
    const lb = m.liveBefore;
    const wa = m.mustWriteAcc;
    const k2 = k * 2;
    let alo = lb[s0 * 2];
    let ahi = lb[s0 * 2 + 1];
    let wlo = wa[s0 * 2];
    let whi = wa[s0 * 2 + 1];
    if (s1 >= 0) {
      alo |= lb[s1 * 2];
      ahi |= lb[s1 * 2 + 1];
      wlo &= wa[s1 * 2];
      whi &= wa[s1 * 2 + 1];
    }
    const mwlo = m.mustWrite[k2];
    const mwhi = m.mustWrite[k2 + 1];
    wlo |= mwlo;
    whi |= mwhi;
    const blo = (alo & ~mwlo) | m.mayRead[k2];
    const bhi = (ahi & ~mwhi) | m.mayRead[k2 + 1];
    const olo = lb[k2];
    const ohi = lb[k2 + 1];
    const owlo = wa[k2];
    const owhi = wa[k2 + 1];
    if (blo === olo && bhi === ohi && wlo === owlo && whi === owhi) return false;
    if (this.o.log && (m.mayRead[k2] || m.mayRead[k2 + 1] || mwlo || mwhi || idx === inst.starts[inst.curframe] || this.o.prunePoint[idx])) {
      this.logChange(inst, 'live', frame, idx, olo, ohi, blo, bhi);
      this.logChange(inst, 'written', frame, idx, owlo, owhi, wlo, whi);
    }
    lb[k2] = blo;
    lb[k2 + 1] = bhi;
    wa[k2] = wlo;
    wa[k2 + 1] = whi;
    return true;
  }

  /** the sub-program's post-order with relative instruction and successor indices, computed once */
  private flowOf(start: number): SubprogFlow {
    let f = this.flows.get(start);
    if (!f) {
      const order = subprogPostorder(this.o.insns, start, this.subprogEnd(start));
      const n = order.length;
      f = { idx: new Int32Array(n), rel: new Int32Array(n), s0: new Int32Array(n), s1: new Int32Array(n) };
      const succ = [0, 0];
      for (let i = 0; i < n; i++) {
        const idx = order[i];
        const c = insnSuccessors(this.o.insns, idx, succ);
        f.idx[i] = idx;
        f.rel[i] = idx - start;
        f.s0[i] = c > 0 ? succ[0] - start : -1;
        f.s1[i] = c > 1 ? succ[1] - start : -1;
      }
      this.flows.set(start, f);
    }
    return f;
  }

  /** update_instance: the fixed point of live_before and must_write_acc, then the caller's share */
  private updateInstance(inst: Instance): void {
    if (inst.mustWriteDropped) {
      for (const m of inst.frames) if (m) m.mustWriteAcc.fill(0);
    }
    const f = this.flowOf(inst.starts[inst.curframe]);
    const n = f.idx.length;
    let cnt = 0;
    let changed: boolean;
    do {
      cnt++;
      changed = false;
      for (let frame = 0; frame <= inst.curframe; frame++) {
        const m = inst.frames[frame];
        if (!m) continue;
        for (let i = 0; i < n; i++) if (this.updateInsn(inst, m, frame, f.idx[i], f.rel[i], f.s0[i], f.s1[i])) changed = true;
      }
    } while (changed);
    this.o.log?.(`${inst.text} live stack update done in ${cnt} iterations\n`);
    if (inst.curframe > 0) this.propagateToOuter(inst);
  }

  /** propagate_to_outer_instance: what the callee reads and always writes of outer frames lands on the call */
  private propagateToOuter(inst: Instance): void {
    const cf = inst.curframe;
    const callsites = inst.callsites.slice(0, cf);
    const starts = inst.starts.slice(0, cf);
    callsites[cf - 1] = starts[cf - 1];
    const outer = this.lookupChain(callsites, starts);
    const callsite = inst.callsites[cf - 1];
    const start = inst.starts[cf];
    this.resetWritesFor(outer, callsite);
    for (let frame = 0; frame < cf; frame++) {
      const m = inst.frames[frame];
      if (!m) continue;
      const k = this.rel(inst, start) * 2;
      this.writeLo[frame] |= m.mustWriteAcc[k];
      this.writeHi[frame] |= m.mustWriteAcc[k + 1];
      this.pending = true;
      this.markReadIn(outer, frame, callsite, m.liveBefore[k], m.liveBefore[k + 1]);
    }
    this.commitFor(outer);
  }

  /** bpf_update_live_stack: bring every call chain of `st` up to date (callee first) */
  update(st: VerifierState): void {
    this.cur = null;
    for (let frame = st.frames.length - 1; frame >= 0; frame--) {
      const inst = this.lookup(st, frame);
      if (inst.updated) {
        this.updateInstance(inst);
        inst.updated = false;
        inst.mustWriteDropped = false;
      }
    }
  }

  private liveBefore(inst: Instance, idx: number, frameno: number, spi: number): boolean {
    const m = inst.frames[frameno];
    if (!m) return false;
    const r = this.rel(inst, idx);
    if (r < 0 || r >= inst.insnCnt) return false;
    const v = m.liveBefore[r * 2 + (spi >= 32 ? 1 : 0)];
    return ((v >>> (spi & 31)) & 1) === 1;
  }

  /**
   * bpf_live_stack_query_init + bpf_stack_slot_alive: a predicate telling
   * whether slot `spi` of frame `frameno` of explored state `st` may still
   * be read, at its instruction or, for outer frames, after their calls.
   */
  aliveQuery(st: VerifierState): (frameno: number, spi: number) => boolean {
    const cf = st.frames.length - 1;
    const instances: Instance[] = [];
    for (let f = 0; f <= cf; f++) instances.push(this.lookup(st, f));
    const top = instances[cf];
    return (frameno, spi) => {
      if (spi >= 64) return true;
      if (this.liveBefore(top, st.insnIdx, frameno, spi)) return true;
      for (let i = frameno; i < cf; i++) {
        const callsite = top.callsites[i];
        const at = this.o.callsCallback(callsite) ? callsite : callsite + 1;
        if (this.liveBefore(instances[i], at, frameno, spi)) return true;
      }
      return false;
    };
  }
}

/** The liveness of each running verification (kept beside Env, which it does not widen). */
const byEnv = new WeakMap<object, StackLiveness>();
let lastEnv: object | null = null;
let lastLive: StackLiveness | undefined;

export function attachStackLiveness(env: object, live: StackLiveness): void {
  byEnv.set(env, live);
  lastEnv = env;
  lastLive = live;
}

export function stackLivenessOf(env: object): StackLiveness | undefined {
  if (env === lastEnv) return lastLive;
  lastEnv = env;
  lastLive = byEnv.get(env);
  return lastLive;
}

/**
 * clean_live_states, stack part: explored states at `idx` with no path left
 * open, on the same call stack as `cur`, lose the stack slots no later
 * instruction may read (their registers are masked when compared, see
 * prune.ts). A state is cleaned once, like the kernel's `cleaned` flag.
 */
export function cleanExploredStates(live: StackLiveness, list: readonly { state: VerifierState; cleaned: boolean }[], idx: number, cur: VerifierState): void {
  for (let k = 0; k < list.length; k++) {
    const entry = list[k];
    const st = entry.state;
    if (entry.cleaned || st.branches > 0 || st.insnIdx !== idx) continue;
    if (st.frames.length !== cur.frames.length) continue;
    let same = true;
    for (let i = 0; i < st.frames.length && same; i++) same = st.frames[i].callsite === cur.frames[i].callsite;
    if (!same) continue;
    entry.cleaned = true;
    const alive = live.aliveQuery(st);
    for (let f = 0; f < st.frames.length; f++) {
      const stack = st.frames[f].stack;
      for (let spi = 0; spi < stack.length; spi++) {
        if (alive(f, spi)) continue;
        const slot = stack[spi];
        for (let b = 0; b < 8; b++) slot.types[b] = 0; // Slot.INVALID
        slot.spilled = notInitReg();
      }
    }
  }
}
