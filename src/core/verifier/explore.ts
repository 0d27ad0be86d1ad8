/**
 * The exploration loop (do_check, do_check_common): walks every path of
 * the program over abstract states, keeping a stack of branches still to
 * explore (push_stack/pop_stack), explored states per prune point
 * (is_state_visited) and the counters the kernel reports.
 */
import type { Insn } from '../isa/insn.ts';
import { AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, cls, mode, op, size, sizeBytes } from '../isa/opcodes.ts';
import { registerProblem, reservedFieldProblem } from '../isa/validate.ts';
import { checkAluOp } from './alu.ts';
import { checkCondJmp } from './branch.ts';
import { checkHelperCall } from './calls.ts';
import { Env, RegUse, VerifierReject, checkRegArg, clearScratched, cur, isScratched, reject, regs, verbose } from './env.ts';
import { formatFrame } from './format.ts';
import type { InsnFormatter } from './insn-text.ts';
import { vlogAlignment } from './log-buffer.ts';
import { checkMemAccess } from './mem.ts';
import { Exactness, preciseScalarEscapes, statesEqual, statesMaybeLooping } from './prune.ts';
import { initPrecision, isJmpPoint, markAllScalarsImprecise, markChainPrecision, propagatePrecision } from './precision.ts';
import { SccVisits, computeScc } from './precision-scc.ts';
import { afterLoad, afterStore, beforeAtomic, beforeLoad, beforeStore } from './precision-mem.ts';
import { RegState, copyReg, markKnown, markPointer, markUnknown, notInitReg, regTypeName, resetReg } from './reg.ts';
import { FuncState, Slot, VerifierState, copyState, copyStateForExplored, curFrame, growStack, newFuncState } from './state.ts';
import { tnumEquals } from './tnum.ts';
import { fixedStackAccess, pushInsnHistory } from './precision-history.ts';
import { cleanExploredStates, stackLivenessOf } from './stack-liveness.ts';
import { maybeForkScalars } from './scalar-fork.ts';
import type { PathEvent } from './types.ts';

const COMPLEXITY_LIMIT_JMP_SEQ = 8192;
const MAX_CALL_FRAMES = 8;

interface StackEntry {
  state: VerifierState;
  insnIdx: number;
  prevInsnIdx: number;
  logPos: number;
}

interface ExploredState {
  state: VerifierState;
  hit: number;
  miss: number;
  /** bucketOf(insn, callsite of the state's innermost frame), kept so the list scan reads no frames */
  bucket: number;
  /** the registers of the state's innermost frame, for the quick mismatch test (preciseScalarEscapes) */
  regs: RegState[];
  /** its dead stack slots were dropped already (the kernel's `cleaned`) */
  cleaned: boolean;
}

/** The list of an instruction nobody checkpointed yet: shared and never written, so a lookup allocates nothing. */
const NO_STATES: readonly ExploredState[] = [];

export interface Explorer {
  env: Env;
  insnText: InsnFormatter;
  license: string;
  stack: StackEntry[];
  /** per instruction, oldest first (the kernel's list order is newest first: walk it from the end; appending is O(1)) */
  explored: Map<number, ExploredState[]>;
  paths: PathEvent[];
  forceCheckpoint: Uint8Array;
  /** loop visits for the "SCC enter/exit" log (set by doCheck) */
  scc?: SccVisits;
  /**
   * explored states per hash bucket of (insn, callsite), as the kernel's
   * explored_states table holds them: max_states_per_insn counts a bucket
   */
  bucketSize?: Int32Array;
}

/** explored_state: the kernel's hash bucket for an instruction reached in a frame called from `callsite` (-1: main) */
function bucketOf(x: Explorer, idx: number, callsite: number): number {
  return ((idx ^ callsite) >>> 0) % x.env.insns.length;
}

/** push_stack: remember the other side of a branch, as a copy of the current state. */
function pushStack(x: Explorer, insnIdx: number, prevInsnIdx: number): VerifierState {
  const env = x.env;
  const st = copyState(env.cur);
  st.branches = 1;
  if (st.parent) st.parent.branches++;
  x.stack.push({ state: st, insnIdx, prevInsnIdx, logPos: env.log.length });
  if (x.stack.length > COMPLEXITY_LIMIT_JMP_SEQ) reject(env, `The sequence of ${x.stack.length} jumps is too complex.`);
  x.paths.push({ kind: 'branch', insn: prevInsnIdx, target: insnIdx });
  return st;
}

/** update_branch_counts: a path finished; release its ancestors that have no path left. */
function updateBranchCounts(x: Explorer, st: VerifierState | null): void {
  while (st) {
    st.branches--;
    if (st.branches > 0) break;
    x.scc?.exit(x.env, st);
    // maybe_free_verifier_state: an evicted state is gone once its last path ended
    if (st.evicted) {
      st.evicted = false;
      x.env.liveStates--;
    }
    st = st.parent;
  }
}

const UNBOUND: RegState = (() => {
  const r = notInitReg();
  markUnknown(r);
  return r;
})();

/** calls_callback: a helper call that invokes a callback (bpf_loop), marked by check_cfg. */
function callsCallback(x: Explorer, idx: number): boolean {
  const ins = x.env.insns[idx];
  return x.forceCheckpoint[idx] === 1 && ins !== undefined && ins.code === (Cls.JMP | JmpOp.CALL);
}

/** is_state_visited: 1 when an equivalent explored state proves this path safe. */
function isStateVisited(x: Explorer, idx: number): boolean {
  const env = x.env;
  const cur = env.cur;
  // a long history makes backtracking slow: checkpoint to cut it (insn_hist > 40)
  const force = x.forceCheckpoint[idx] === 1 || cur.histEnd - cur.histStart > 40;
  let addNew = force || (env.jmpsProcessed - env.prevJmpsProcessed >= 2 && env.insnProcessed - env.prevInsnProcessed >= 8);
  let list = x.explored.get(idx) ?? (NO_STATES as ExploredState[]);
  const live = env.liveRegs[idx] ?? 0x3ff;
  const stackLive = stackLivenessOf(env);
  if (stackLive && list.length) cleanExploredStates(stackLive, list, idx, cur);
  const buckets = (x.bucketSize ??= new Int32Array(env.insns.length));
  const bucket = bucketOf(x, idx, curFrame(cur).callsite);
  const count = buckets[bucket];
  for (let k = list.length - 1; k >= 0; k--) {
    const sl = list[k];
    // states of this instruction in another bucket (another callsite) are not looked at
    if (sl.bucket !== bucket) continue;
    let missed = false;
    if (sl.state.branches > 0) {
      if (callsCallback(x, idx)) {
        // the callback loop converged when the state at the call is within one seen before
        if (statesEqual(sl.state, cur, 'range_within', live, UNBOUND, env.liveRegs)) {
          sl.hit++;
          pruneHit(env, sl.state, idx, live);
          return true;
        }
      } else if (statesMaybeLooping(sl.state, cur) && statesEqual(sl.state, cur, 'exact', live, UNBOUND, env.liveRegs)) {
        const lines = [
          `infinite loop detected at insn ${idx}`,
        ];
        if (env.logLevel > 0) {
          lines.push(`cur state:${formatFrame(curFrame(cur), env.maps, null, cur.refs)}`);
          lines.push(`old state:${formatFrame(curFrame(sl.state), env.maps, null, sl.state.refs)}`);
        }
        throw new VerifierReject(lines, idx);
      }
      if (!force && env.jmpsProcessed - env.prevJmpsProcessed < 20 && env.insnProcessed - env.prevInsnProcessed < 100) addNew = false;
      missed = true;
    } else {
      const exact: Exactness = 'not_exact';
      if (!preciseScalarEscapes(sl.regs, cur, live) && statesEqual(sl.state, cur, exact, live, UNBOUND, env.liveRegs)) {
        sl.hit++;
        pruneHit(env, sl.state, idx, live);
        return true;
      }
      missed = true;
    }
    if (missed) {
      if (addNew) sl.miss++;
      const nMax = force && sl.state.branches > 0 ? 64 : 3;
      if (sl.miss > sl.hit * nMax + nMax) {
        list.splice(k, 1);
        buckets[bucket]--;
        if (sl.state.branches === 0) env.liveStates--;
        else sl.state.evicted = true;
      }
    }
  }
  if (env.maxStatesPerInsn < count) env.maxStatesPerInsn = count;
  if (!addNew) return false;
  env.totalStates++;
  env.liveStates++;
  if (env.liveStates > env.peakStates) env.peakStates = env.liveStates;
  env.prevJmpsProcessed = env.jmpsProcessed;
  env.prevInsnProcessed = env.insnProcessed;
  markAllScalarsImprecise(cur);
  const snapshot = copyStateForExplored(cur);
  snapshot.insnIdx = idx;
  snapshot.branches = 1;
  x.scc?.enter(env, snapshot);
  cur.parent = snapshot;
  cur.firstInsnIdx = idx;
  cur.histStart = cur.histEnd;
  if (list === NO_STATES) {
    list = [];
    x.explored.set(idx, list);
  }
  list.push({ state: snapshot, hit: 0, miss: 0, bucket, regs: curFrame(snapshot).regs, cleaned: false });
  buckets[bucket]++;
  return false;
}

/**
 * The current path is pruned at `idx` against `old`: record the jump that
 * got here, then make the path's checkpoints precise wherever `old` needed
 * precision (propagate_precision).
 */
function pruneHit(env: Env, old: VerifierState, idx: number, live: number): void {
  if (isJmpPoint(env, idx)) pushInsnHistory(env, 0, 0, 0, null);
  propagatePrecision(env, old, live);
}

/** print_insn_state: the scratched registers, appended to the instruction line when nothing came between. */
function printInsnState(env: Env, insnIdx = env.insnIdx): void {
  const log = env.log;
  if (log.prevLogPos && log.prevLogPos === log.length) {
    log.reset(log.prevLogPos - 1);
    verbose(env, `${' '.repeat(vlogAlignment(log.prevInsnPrintPos))};`);
  } else {
    verbose(env, `${insnIdx}:`);
  }
  verbose(env, `${scratchedState(env)}\n`);
}

/** print_verifier_state(print_all = false): the scratched registers and slots, then the references; marks the state clean. */
function scratchedState(env: Env): string {
  const f = cur(env);
  const pick = env.allScratched ? null : { regs: (i: number) => (env.scratchedRegs & (1 << i)) !== 0, slot: (i: number) => env.scratchedSlots.has(i) };
  const text = formatFrame(f, env.maps, pick, env.cur.refs);
  clearScratched(env);
  return text;
}

/** save_aux_ptr_type: one instruction may not access ctx on one path and other memory on another. */
function saveAuxPtrType(env: Env, idx: number, type: string): void {
  const prev = env.auxPtrType[idx];
  if (prev === undefined) {
    env.auxPtrType[idx] = type;
    return;
  }
  if (prev !== type && (prev === 'ctx' || type === 'ctx')) reject(env, 'same insn cannot be used with different pointers');
}

/** check_ld_imm */
function checkLdImm(env: Env, insns: readonly Insn[], idx: number): void {
  const ins = insns[idx];
  checkRegArg(env, ins.dst, RegUse.DST_OP);
  const d = regs(env)[ins.dst];
  const hi = insns[idx + 1];
  switch (ins.src) {
    case PseudoLd.NONE:
      markKnown(d, (BigInt(hi.imm >>> 0) << 32n) | BigInt(ins.imm >>> 0));
      return;
    case PseudoLd.FUNC:
      markPointer(d, 'func');
      d.subprog = idx + ins.imm + 1;
      return;
    case PseudoLd.MAP_FD:
    case PseudoLd.MAP_IDX: {
      if (!env.maps[ins.imm]) reject(env, `fd ${ins.imm} is not pointing to valid bpf_map`);
      markPointer(d, 'map_ptr');
      d.mapIndex = ins.imm;
      return;
    }
    case PseudoLd.MAP_VALUE:
    case PseudoLd.MAP_IDX_VALUE: {
      const m = env.maps[ins.imm];
      if (!m) reject(env, `fd ${ins.imm} is not pointing to valid bpf_map`);
      markPointer(d, 'map_value');
      d.mapIndex = ins.imm;
      d.off = hi.imm;
      return;
    }
    default:
      reject(env, 'unrecognized bpf_ld_imm64 insn');
  }
}

/** check_ld_abs: legacy packet loads for socket programs. */
function checkLdAbs(env: Env, ins: Insn): void {
  if (!['socket_filter', 'sched_cls', 'sched_act'].includes(env.progType)) {
    reject(env, 'BPF_LD_[ABS|IND] instructions not allowed for this program type');
  }
  checkRegArg(env, 6, RegUse.SRC_OP);
  if (mode(ins.code) === Mode.IND) checkRegArg(env, ins.src, RegUse.SRC_OP);
  if (regs(env)[6].type !== 'ctx') reject(env, 'at the time of BPF_LD_ABS|IND R6 != pointer to skb');
  const rs = regs(env);
  for (let r = 0; r <= 5; r++) {
    resetReg(rs[r]);
    checkRegArg(env, r, RegUse.DST_OP_NO_MARK);
  }
  markUnknown(rs[0]);
}

/** check_atomic */
function checkAtomic(env: Env, ins: Insn, idx: number): void {
  const sz = sizeBytes(size(ins.code));
  if (ins.imm === AtomicOp.LOAD_ACQ) {
    checkRegArg(env, ins.src, RegUse.SRC_OP);
    checkRegArg(env, ins.dst, RegUse.DST_OP_NO_MARK);
    checkMemAccess(env, ins.src, ins.off, sz, 'read', ins.dst, 0, false);
    return;
  }
  if (ins.imm === AtomicOp.STORE_REL) {
    checkRegArg(env, ins.src, RegUse.SRC_OP);
    checkRegArg(env, ins.dst, RegUse.SRC_OP);
    checkMemAccess(env, ins.dst, ins.off, sz, 'write', ins.src, 0, false);
    return;
  }
  checkRegArg(env, ins.src, RegUse.SRC_OP);
  checkRegArg(env, ins.dst, RegUse.SRC_OP);
  if (ins.imm === AtomicOp.CMPXCHG) checkRegArg(env, 0, RegUse.SRC_OP);
  const rs = regs(env);
  const d = rs[ins.dst];
  if (d.type === 'ctx' || d.type === 'pkt' || d.type === 'pkt_meta') {
    const name = d.type === 'ctx' ? 'ctx' : d.type;
    reject(env, `BPF_ATOMIC stores into R${ins.dst} ${name} is not allowed`);
  }
  const fetch = (ins.imm & AtomicOp.FETCH) !== 0;
  const loadReg = ins.imm === AtomicOp.CMPXCHG ? 0 : fetch ? ins.src : -1;
  const slot = fixedStackAccess(d, ins.off);
  checkMemAccess(env, ins.dst, ins.off, sz, 'read', loadReg >= 0 ? loadReg : -1, 0, false);
  checkMemAccess(env, ins.dst, ins.off, sz, 'write', -1, 1, false);
  // the write back is data, not the immediate the write check was given (check_stack_write_fixed_off, plain write)
  if (slot) stackBytesBecomeData(env.cur.frames[slot.frameno], slot.off, sz);
  void idx;
}

/** A plain data write of `size` bytes at `off` into a frame's stack: a spilled register there is gone, the bytes are STACK_MISC. */
function stackBytesBecomeData(f: FuncState | undefined, off: number, size: number): void {
  if (!f) return;
  growStack(f, off);
  const first = -off - 1;
  const s = f.stack[Math.floor(first / 8)];
  if (s.types[7] === Slot.SPILL) {
    for (let i = 0; i < 8; i++) if (s.types[i] === Slot.SPILL) s.types[i] = Slot.MISC;
    s.spilled = notInitReg();
  }
  for (let i = 0; i < size; i++) {
    const b = first - i;
    f.stack[Math.floor(b / 8)].types[b % 8] = Slot.MISC;
  }
}

/** check_func_call: enter a bpf-to-bpf sub-program. */
function checkFuncCall(x: Explorer, ins: Insn, idx: number): number {
  const env = x.env;
  const st = env.cur;
  if (st.frames.length >= MAX_CALL_FRAMES) reject(env, `the call stack of ${st.frames.length + 1} frames is too deep`);
  const target = idx + ins.imm + 1;
  const caller = curFrame(st);
  const callee = newFuncState(st.frames.length, idx, target);
  for (let r = 1; r <= 5; r++) callee.regs[r] = copyReg(caller.regs[r]);
  for (let r = 0; r <= 5; r++) {
    resetReg(caller.regs[r]);
    checkRegArg(env, r, RegUse.DST_OP_NO_MARK);
  }
  st.frames.push(callee);
  stackLivenessOf(env)?.resetCallchain();
  if (env.logLevel > 0) {
    verbose(env, `caller:\n${formatFrame(caller, env.maps, null, st.refs)}\ncallee:\n${formatFrame(callee, env.maps, null, st.refs)}\n`);
  }
  env.allScratched = true;
  return target;
}

/**
 * push_callback_call (bpf_loop): the callback body is queued as a path of
 * its own, in a new frame with R1 = the iteration index and R2 = the
 * caller's context argument. Its exit returns to the call instruction
 * (prepareFuncExit), which runs again and queues the callback again, until
 * isStateVisited finds the state at the call within an explored one: the
 * kernel's "verify callbacks as if called an unknown number of times".
 */
function pushCallbackCall(x: Explorer, idx: number, start: number, arg: RegState, setupArgs?: (regs: RegState[]) => void): void {
  const env = x.env;
  if (env.cur.frames.length >= MAX_CALL_FRAMES) reject(env, `the call stack of ${env.cur.frames.length + 1} frames is too deep`);
  const st = pushStack(x, start, idx);
  // the queued path has called the callback once more; the path going on has not
  curFrame(st).callbackDepth++;
  curFrame(env.cur).callbackDepth = 0;
  const callee = newFuncState(st.frames.length, idx, start);
  markUnknown(callee.regs[1]);
  callee.regs[2] = copyReg(arg);
  // helpers other than bpf_loop hand their callbacks other arguments (bpf_for_each_map_elem)
  if (setupArgs) setupArgs(callee.regs);
  callee.inCallback = true;
  st.frames.push(callee);
  // init_func_state marks the whole state scratched: the call's log line shows the stack
  env.allScratched = true;
}

/** verbose_invalid_scalar */
function invalidScalar(r: RegState, what: string, lo: number, hi: number): string {
  let text = `${what} the register R0 has`;
  let unknown = true;
  if (r.smin > -(1n << 63n)) {
    text += ` smin=${r.smin}`;
    unknown = false;
  }
  if (r.smax < (1n << 63n) - 1n) {
    text += ` smax=${r.smax}`;
    unknown = false;
  }
  if (unknown) text += ' unknown scalar value';
  return `${text} should have been in [${lo}, ${hi}]`;
}

/**
 * prepare_func_exit: return from a sub-program to its caller. A callback
 * returns to its call instruction instead (the helper may call it again),
 * with imprecise scalars that changed since the previous visit widened.
 */
function prepareFuncExit(x: Explorer): number {
  const env = x.env;
  const st = env.cur;
  const callee = curFrame(st);
  const r0 = callee.regs[0];
  if (r0.type === 'stack') reject(env, 'cannot return stack pointer to the caller');
  if (callee.inCallback) {
    if (r0.type !== 'scalar') reject(env, 'R0 not a scalar value');
    // the range check below relies on R0's value
    markChainPrecision(env, 0);
    if (r0.smin < 0n || r0.smax > 1n) reject(env, invalidScalar(r0, 'At callback return', 0, 1));
  }
  st.frames.pop();
  const caller = curFrame(st);
  if (!callee.inCallback) caller.regs[0] = copyReg(r0);
  const next = callee.inCallback ? callee.callsite : callee.callsite + 1;
  if (env.logLevel > 0) {
    verbose(env, `returning from callee:\n${formatFrame(callee, env.maps, null, st.refs)}\nto caller at ${next}:\n${formatFrame(caller, env.maps, null, st.refs)}\n`);
  }
  if (callee.inCallback) {
    const prev = findPrevEntry(x, st, next);
    if (prev) widenImpreciseScalars(prev, st);
  }
  return next;
}

/** find_prev_entry: an explored state at `idx` still on the current path (a loop through it), same call stack. */
function findPrevEntry(x: Explorer, st: VerifierState, idx: number): VerifierState | null {
  const list = x.explored.get(idx) ?? NO_STATES;
  for (let k = list.length - 1; k >= 0; k--) {
    const o = list[k].state;
    if (o.branches > 0 && o.frames.length === st.frames.length && o.frames.every((f, i) => f.callsite === st.frames[i].callsite)) return o;
  }
  return null;
}

/**
 * widen_imprecise_scalars: imprecise scalars that differ from the previous
 * visit are forgotten so the loop through the callback converges; scalars
 * the previous visit's checkpoint marked precise are kept.
 */
function widenImpreciseScalars(old: VerifierState, st: VerifierState): void {
  for (let f = old.frames.length - 1; f >= 0; f--) {
    const fo = old.frames[f];
    const fc = st.frames[f];
    for (let i = 0; i < 11; i++) maybeWidenReg(fo.regs[i], fc.regs[i]);
    const n = Math.min(fo.stack.length, fc.stack.length);
    for (let i = 0; i < n; i++) {
      const so = fo.stack[i];
      const sc = fc.stack[i];
      if (so && sc && so.types[7] === Slot.SPILL && sc.types[7] === Slot.SPILL) maybeWidenReg(so.spilled, sc.spilled);
    }
  }
}

function maybeWidenReg(o: RegState, c: RegState): void {
  if (o.type !== 'scalar' || c.type !== 'scalar') return;
  if (o.precise || c.precise || sameScalar(o, c)) return;
  markUnknown(c);
}

/** regs_exact for two scalars (ids compared as they are: a changed link is a change) */
function sameScalar(o: RegState, c: RegState): boolean {
  return (
    o.id === c.id && o.addConst === c.addConst && o.off === c.off && tnumEquals(o.varOff, c.varOff) &&
    o.umin === c.umin && o.umax === c.umax && o.smin === c.smin && o.smax === c.smax &&
    o.u32min === c.u32min && o.u32max === c.u32max && o.s32min === c.s32min && o.s32max === c.s32max
  );
}

/** Program types whose return value the kernel confines to [0, 1] (with kbpf's default attach types). */
const RETVAL_0_1 = new Set(['cgroup_skb', 'cgroup_sock', 'sock_ops', 'cgroup_device', 'cgroup_sock_addr', 'cgroup_sysctl', 'cgroup_sockopt', 'sk_lookup', 'netfilter']);

/** check_return_code for the main program: R0 must be a scalar in the type's range, so its value is precise. */
function checkReturnCode(env: Env): void {
  if (!RETVAL_0_1.has(env.progType)) return;
  const r0 = regs(env)[0];
  if (r0.type !== 'scalar') reject(env, `At program exit the register R0 is not a known value (${regTypeName(r0)})`);
  markChainPrecision(env, 0);
  if (r0.smin < 0n || r0.smax > 1n) reject(env, invalidScalar(r0, 'At program exit', 0, 1));
}

/** check_reference_leak */
function checkReferenceLeak(env: Env): void {
  if (env.cur.refs.length) {
    const id = env.cur.refs[0];
    const where = env.cur.frames.length > 1 ? 'subprog' : 'main prog';
    reject(env, `Unreleased reference id=${id} alloc_insn=${env.refInsns.get(id) ?? 0}`, `BPF_EXIT instruction in ${where} would lead to reference leak`);
  }
}

/**
 * do_check: returns normally when every path reached a safe exit; throws
 * VerifierReject on the first error.
 */
export function doCheck(x: Explorer): void {
  const env = x.env;
  const insns = env.insns;
  const n = insns.length;
  let doPrintState = false;
  let prevInsnIdx = -1;
  const validated = new Uint8Array(n);
  const jmpPoint = initPrecision(env, x.insnText).jmpPoint;
  const stackLive = stackLivenessOf(env);
  x.scc = new SccVisits(computeScc(insns));
  const processExit = (): boolean => {
    env.allScratched = true;
    updateBranchCounts(x, env.cur);
    stackLivenessOf(env)?.update(env.cur);
    const top = x.stack.pop();
    if (!top) return false;
    env.cur = top.state;
    env.insnIdx = top.insnIdx;
    prevInsnIdx = top.prevInsnIdx;
    if (env.logLevel === 1) env.log.reset(top.logPos);
    doPrintState = true;
    return true;
  };
  for (;;) {
    env.prevInsnIdx = prevInsnIdx;
    const idx = env.insnIdx;
    if (idx >= n || idx < 0) reject(env, `invalid insn idx ${idx} insn_cnt ${n}`);
    const ins = insns[idx];
    if (++env.insnProcessed > env.insnLimit) reject(env, `BPF program is too large. Processed ${env.insnProcessed} insn`);
    env.cur.lastInsnIdx = prevInsnIdx;
    if (env.prunePoint[idx] && isStateVisited(x, idx)) {
      if (env.logLevel > 0) {
        verbose(env, doPrintState ? `\nfrom ${env.prevInsnIdx} to ${idx}: safe\n` : `${idx}: safe\n`);
      }
      x.paths.push({ kind: 'pruned', insn: idx });
      if (!processExit()) return;
      continue;
    }
    if (jmpPoint[idx] === 1) pushInsnHistory(env, 0, 0, 0, null);
    if (env.logLevel === 2 && doPrintState) {
      // a saturated log keeps no more text: skip formatting it
      if (!env.log.saturated) verbose(env, `\nfrom ${env.prevInsnIdx} to ${idx}:${formatFrame(cur(env), env.maps, null, env.cur.refs)}\n`);
      doPrintState = false;
    }
    if (env.logLevel > 0 && !env.log.saturated) {
      if (isScratched(env)) printInsnState(env);
      env.log.prevLogPos = env.log.length;
      verbose(env, `${idx}: ${x.insnText(insns, idx)}\n`);
      env.log.prevInsnPrintPos = env.log.length - env.log.prevLogPos;
      env.log.prevLogPos = env.log.length;
    }
    prevInsnIdx = idx;
    stackLive?.resetWrites(env.cur, idx);
    const c = cls(ins.code);
    // the field checks depend on the instruction alone: run them on its first visit only
    if (!validated[idx]) {
      const reserved = ins.code === LD_IMM64_CODE ? null : reservedFieldProblem(ins) ?? registerProblem(ins);
      if (reserved) reject(env, reserved);
      validated[idx] = 1;
    }
    switch (c) {
      case Cls.ALU:
      case Cls.ALU64:
        maybeForkScalars(env.cur, ins, () => pushStack(x, idx, idx));
        checkAluOp(env, ins);
        env.insnIdx++;
        break;
      case Cls.LDX: {
        checkRegArg(env, ins.src, RegUse.SRC_OP);
        checkRegArg(env, ins.dst, RegUse.DST_OP_NO_MARK);
        const t = regs(env)[ins.src].type;
        const fill = beforeLoad(env, ins.src, ins.off, sizeBytes(size(ins.code)));
        checkMemAccess(env, ins.src, ins.off, sizeBytes(size(ins.code)), 'read', ins.dst, 0, mode(ins.code) === Mode.MEMSX);
        afterLoad(env, fill);
        saveAuxPtrType(env, idx, t);
        env.insnIdx++;
        break;
      }
      case Cls.STX: {
        if (mode(ins.code) === Mode.ATOMIC) {
          const fill = beforeAtomic(env, ins, sizeBytes(size(ins.code)));
          checkAtomic(env, ins, idx);
          afterLoad(env, fill);
          env.insnIdx++;
          break;
        }
        checkRegArg(env, ins.src, RegUse.SRC_OP);
        checkRegArg(env, ins.dst, RegUse.SRC_OP);
        const t = regs(env)[ins.dst].type;
        const plan = beforeStore(env, ins.dst, ins.off, sizeBytes(size(ins.code)), ins.src, false);
        checkMemAccess(env, ins.dst, ins.off, sizeBytes(size(ins.code)), 'write', ins.src, 0, false);
        afterStore(env, plan);
        saveAuxPtrType(env, idx, t);
        env.insnIdx++;
        break;
      }
      case Cls.ST: {
        checkRegArg(env, ins.dst, RegUse.SRC_OP);
        const t = regs(env)[ins.dst].type;
        const plan = beforeStore(env, ins.dst, ins.off, sizeBytes(size(ins.code)), -1, true);
        checkMemAccess(env, ins.dst, ins.off, sizeBytes(size(ins.code)), 'write', -1, ins.imm, false);
        afterStore(env, plan);
        saveAuxPtrType(env, idx, t);
        env.insnIdx++;
        break;
      }
      case Cls.LD:
        if (ins.code === LD_IMM64_CODE) {
          checkLdImm(env, insns, idx);
          env.insnIdx += 2;
        } else {
          checkLdAbs(env, ins);
          env.insnIdx++;
        }
        break;
      case Cls.JMP:
      case Cls.JMP32: {
        env.jmpsProcessed++;
        const o = op(ins.code);
        if (o === JmpOp.CALL) {
          if (ins.src === PseudoCall.CALL) {
            env.insnIdx = checkFuncCall(x, ins, idx);
          } else if (ins.src === PseudoCall.KFUNC) {
            reject(env, 'calling kernel functions is not supported');
          } else {
            checkHelperCall(env, ins, idx, x.license, (start, arg, setupArgs) => pushCallbackCall(x, idx, start, arg, setupArgs));
            env.insnIdx++;
          }
        } else if (o === JmpOp.JA) {
          env.insnIdx = c === Cls.JMP32 ? idx + ins.imm + 1 : idx + ins.off + 1;
        } else if (o === JmpOp.EXIT) {
          checkReferenceLeak(env);
          if (env.cur.frames.length > 1) {
            stackLive?.update(env.cur);
            env.insnIdx = prepareFuncExit(x);
            doPrintState = true;
            break;
          }
          checkRegArg(env, 0, RegUse.SRC_OP);
          checkReturnCode(env);
          x.paths.push({ kind: 'exit', insn: idx });
          recordVisit(env, idx);
          stackLive?.commitWrites();
          if (!processExit()) return;
          continue;
        } else if (o === JmpOp.JCOND) {
          // may_goto: explore the fall-through; the jump is taken once the loop budget runs out
          pushStack(x, idx + ins.off + 1, idx);
          env.insnIdx++;
        } else {
          env.insnIdx = checkCondJmp(env, ins, idx, (target) => pushStack(x, target, idx));
          // check_cond_jmp_op prints while the jump is still the current instruction
          if (env.logLevel > 0 && !env.log.saturated) printInsnState(env, idx);
        }
        break;
      }
      default:
        reject(env, `unknown insn class ${c}`);
    }
    stackLive?.commitWrites();
    recordVisit(env, idx);
  }
}

/** Per-visit state for the visualizer: the registers and stack after instruction `idx` ran. */
function recordVisit(env: Env, idx: number): void {
  if (env.visits) env.visits.push({ insn: idx, regs: formatFrame(cur(env), env.maps, null).trim() });
}

export function initialState(): VerifierState {
  const main = newFuncState(0, -1, 0);
  markPointer(main.regs[1], 'ctx');
  return { frames: [main], refs: [], insnIdx: 0, parent: null, branches: 1, firstInsnProcessed: 0, histStart: 0, histEnd: 0, firstInsnIdx: 0, lastInsnIdx: -1 };
}
