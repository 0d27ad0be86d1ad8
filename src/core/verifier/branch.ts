/**
 * Conditional jumps: check_cond_jmp_op with is_branch_taken,
 * reg_set_min_max / regs_refine_cond_op, sync_linked_regs,
 * try_match_pkt_pointers / find_good_pkt_pointers / mark_pkt_end and
 * mark_ptr_or_null_regs.
 */
import type { Insn } from '../isa/insn.ts';
import { AluOp, Cls, JmpOp, Src, cls, op, srcBit } from '../isa/opcodes.ts';
import { scalarAlu } from './alu.ts';
import { regBoundsSync, s32, s64, setUnbounded, u32, u64, zext32To64 } from './bounds.ts';
import { Env, RegUse, checkRegArg, regs } from './env.ts';
import { BPF_MAX_VAR_OFF } from './mem.ts';
import { RegState, assignReg, constImmReg, copyReg, markKnown, notInitReg } from './reg.ts';
import { VerifierState, curFrame } from './state.ts';
import { collectLinkedRegs, condJmpFlags, pushInsnHistory } from './precision-history.ts';
import { markChainPrecision } from './precision.ts';
import {
  tnumAnd,
  tnumConst,
  tnumIntersect,
  tnumIsConst,
  tnumOr,
  tnumSubreg,
  tnumSubregIsConst,
  tnumWithSubreg,
} from './tnum.ts';

export const AT_PKT_END = -1;
export const BEYOND_PKT_END = -2;
const MAX_PACKET_OFF = 0xffff;
/** rev_opcode(JSET): the kernel's private marker for "JSET not taken" */
const JSET_FALSE = JmpOp.JSET | Src.X;

const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** flip_opcode: the same test with operands swapped */
function flipOpcode(o: number): number {
  switch (o) {
    case JmpOp.JGT: return JmpOp.JLT;
    case JmpOp.JLT: return JmpOp.JGT;
    case JmpOp.JGE: return JmpOp.JLE;
    case JmpOp.JLE: return JmpOp.JGE;
    case JmpOp.JSGT: return JmpOp.JSLT;
    case JmpOp.JSLT: return JmpOp.JSGT;
    case JmpOp.JSGE: return JmpOp.JSLE;
    case JmpOp.JSLE: return JmpOp.JSGE;
    default: return o;
  }
}

/** rev_opcode: the negated test (the fall-through condition) */
function revOpcode(o: number): number {
  switch (o) {
    case JmpOp.JEQ: return JmpOp.JNE;
    case JmpOp.JNE: return JmpOp.JEQ;
    case JmpOp.JSET: return JSET_FALSE;
    case JSET_FALSE: return JmpOp.JSET;
    case JmpOp.JGT: return JmpOp.JLE;
    case JmpOp.JLE: return JmpOp.JGT;
    case JmpOp.JGE: return JmpOp.JLT;
    case JmpOp.JLT: return JmpOp.JGE;
    case JmpOp.JSGT: return JmpOp.JSLE;
    case JmpOp.JSLE: return JmpOp.JSGT;
    case JmpOp.JSGE: return JmpOp.JSLT;
    case JmpOp.JSLT: return JmpOp.JSGE;
    default: return o;
  }
}

const isRegConst = (r: RegState, is32: boolean): boolean =>
  r.type === 'scalar' && (is32 ? tnumSubregIsConst(r.varOff) : tnumIsConst(r.varOff));
const regConstValue = (r: RegState, is32: boolean): bigint => (is32 ? u32(r.varOff.value) : r.varOff.value);

/** reg_not_null */
function regNotNull(r: RegState): boolean {
  if (r.maybeNull) return false;
  if (r.smin <= -BigInt(BPF_MAX_VAR_OFF) || r.smax >= BigInt(BPF_MAX_VAR_OFF)) return false;
  return r.type === 'map_value' || r.type === 'map_key' || r.type === 'mem' || r.type === 'map_ptr';
}

/** is_scalar_branch_taken: 1 always, 0 never, -1 unknown */
function scalarBranchTaken(r1: RegState, r2: RegState, o: number, is32: boolean): number {
  let t1 = is32 ? tnumSubreg(r1.varOff) : r1.varOff;
  let t2 = is32 ? tnumSubreg(r2.varOff) : r2.varOff;
  const umin1 = is32 ? r1.u32min : r1.umin;
  const umax1 = is32 ? r1.u32max : r1.umax;
  const smin1 = is32 ? r1.s32min : r1.smin;
  const smax1 = is32 ? r1.s32max : r1.smax;
  const umin2 = is32 ? r2.u32min : r2.umin;
  const umax2 = is32 ? r2.u32max : r2.umax;
  const smin2 = is32 ? r2.s32min : r2.smin;
  const smax2 = is32 ? r2.s32max : r2.smax;
  switch (o) {
    case JmpOp.JEQ:
    case JmpOp.JNE: {
      const eq = o === JmpOp.JEQ;
      if (tnumIsConst(t1) && tnumIsConst(t2)) return (t1.value === t2.value) === eq ? 1 : 0;
      const disjoint =
        umin1 > umax2 || umax1 < umin2 || smin1 > smax2 || smax1 < smin2 ||
        (!is32 && (r1.u32min > r2.u32max || r1.u32max < r2.u32min || r1.s32min > r2.s32max || r1.s32max < r2.s32min));
      if (disjoint) return eq ? 0 : 1;
      // tnums with a known bit that differs
      if (((t1.value ^ t2.value) & ~(t1.mask | t2.mask)) !== 0n) return eq ? 0 : 1;
      return -1;
    }
    case JmpOp.JSET: {
      let a = r1;
      let b = r2;
      if (!isRegConst(b, is32)) {
        const ta = a;
        a = b;
        b = ta;
        const tt = t1;
        t1 = t2;
        t2 = tt;
      }
      if (!isRegConst(b, is32)) return -1;
      if ((~t1.mask & t1.value & t2.value) !== 0n) return 1;
      if (((t1.mask | t1.value) & t2.value) === 0n) return 0;
      return -1;
    }
    case JmpOp.JGT: return umin1 > umax2 ? 1 : umax1 <= umin2 ? 0 : -1;
    case JmpOp.JSGT: return smin1 > smax2 ? 1 : smax1 <= smin2 ? 0 : -1;
    case JmpOp.JLT: return umax1 < umin2 ? 1 : umin1 >= umax2 ? 0 : -1;
    case JmpOp.JSLT: return smax1 < smin2 ? 1 : smin1 >= smax2 ? 0 : -1;
    case JmpOp.JGE: return umin1 >= umax2 ? 1 : umax1 < umin2 ? 0 : -1;
    case JmpOp.JSGE: return smin1 >= smax2 ? 1 : smax1 < smin2 ? 0 : -1;
    case JmpOp.JLE: return umax1 <= umin2 ? 1 : umin1 > umax2 ? 0 : -1;
    case JmpOp.JSLE: return smax1 <= smin2 ? 1 : smin1 > smax2 ? 0 : -1;
  }
  return -1;
}

/** is_pkt_ptr_branch_taken */
function pktBranchTaken(dst: RegState, src: RegState, o: number): number {
  let pkt: RegState;
  if (src.type === 'pkt_end') pkt = dst;
  else if (dst.type === 'pkt_end') {
    pkt = src;
    o = flipOpcode(o);
  } else return -1;
  if (pkt.range >= 0) return -1;
  switch (o) {
    case JmpOp.JLE:
    case JmpOp.JGT:
      if (pkt.range === BEYOND_PKT_END) return o === JmpOp.JGT ? 1 : 0;
      break;
    case JmpOp.JLT:
    case JmpOp.JGE:
      if (pkt.range === BEYOND_PKT_END || pkt.range === AT_PKT_END) return o === JmpOp.JGE ? 1 : 0;
      break;
  }
  return -1;
}

const isPtr = (r: RegState): boolean => r.type !== 'scalar' && r.type !== 'not_init';

/** is_branch_taken */
const pktAny = (r: RegState): boolean => r.type === 'pkt' || r.type === 'pkt_meta' || r.type === 'pkt_end';

export function isBranchTaken(r1: RegState, r2: RegState, o: number, is32: boolean): number {
  if (pktAny(r1) && pktAny(r2) && !is32) return pktBranchTaken(r1, r2, o);
  if (isPtr(r1) || isPtr(r2)) {
    if (!isRegConst(r2, is32)) {
      o = flipOpcode(o);
      const t = r1;
      r1 = r2;
      r2 = t;
    }
    if (!isRegConst(r2, is32)) return -1;
    if (regConstValue(r2, is32) !== 0n) return -1;
    if (!regNotNull(r1)) return -1;
    if (o === JmpOp.JEQ) return 0;
    if (o === JmpOp.JNE) return 1;
    return -1;
  }
  return scalarBranchTaken(r1, r2, o, is32);
}

/** regs_refine_cond_op: learn from "r1 <op> r2 holds". */
function refineCondOp(r1: RegState, r2: RegState, o: number, is32: boolean): void {
  if (o === JmpOp.JGE || o === JmpOp.JGT || o === JmpOp.JSGE || o === JmpOp.JSGT) {
    o = flipOpcode(o);
    const t = r1;
    r1 = r2;
    r2 = t;
  }
  switch (o) {
    case JmpOp.JEQ:
      if (is32) {
        r1.u32min = max(r1.u32min, r2.u32min);
        r1.u32max = min(r1.u32max, r2.u32max);
        r1.s32min = max(r1.s32min, r2.s32min);
        r1.s32max = min(r1.s32max, r2.s32max);
        r2.u32min = r1.u32min;
        r2.u32max = r1.u32max;
        r2.s32min = r1.s32min;
        r2.s32max = r1.s32max;
        const t = tnumIntersect(tnumSubreg(r1.varOff), tnumSubreg(r2.varOff));
        r1.varOff = tnumWithSubreg(r1.varOff, t);
        r2.varOff = tnumWithSubreg(r2.varOff, t);
      } else {
        r1.umin = max(r1.umin, r2.umin);
        r1.umax = min(r1.umax, r2.umax);
        r1.smin = max(r1.smin, r2.smin);
        r1.smax = min(r1.smax, r2.smax);
        r2.umin = r1.umin;
        r2.umax = r1.umax;
        r2.smin = r1.smin;
        r2.smax = r1.smax;
        r1.varOff = tnumIntersect(r1.varOff, r2.varOff);
        r2.varOff = r1.varOff;
      }
      break;
    case JmpOp.JNE: {
      if (!isRegConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isRegConst(r2, is32)) break;
      const v = regConstValue(r2, is32);
      if (is32) {
        if (r1.u32min === u32(v)) r1.u32min++;
        if (r1.u32max === u32(v)) r1.u32max--;
        if (r1.s32min === s32(v)) r1.s32min++;
        if (r1.s32max === s32(v)) r1.s32max--;
      } else {
        if (r1.umin === u64(v)) r1.umin++;
        if (r1.umax === u64(v)) r1.umax--;
        if (r1.smin === s64(v)) r1.smin++;
        if (r1.smax === s64(v)) r1.smax--;
      }
      break;
    }
    case JmpOp.JSET: {
      if (!isRegConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isRegConst(r2, is32)) break;
      const v = regConstValue(r2, is32);
      if (v === 0n || (v & (v - 1n)) !== 0n) break;
      if (is32) r1.varOff = tnumWithSubreg(r1.varOff, tnumOr(tnumSubreg(r1.varOff), tnumConst(v)));
      else r1.varOff = tnumOr(r1.varOff, tnumConst(v));
      break;
    }
    case JSET_FALSE: {
      if (!isRegConst(r2, is32)) {
        const t = r1;
        r1 = r2;
        r2 = t;
      }
      if (!isRegConst(r2, is32)) break;
      const v = regConstValue(r2, is32);
      const keepOff = r1.varOff;
      setUnbounded(r1);
      r1.varOff = keepOff;
      if (is32) r1.varOff = tnumWithSubreg(r1.varOff, tnumAnd(tnumSubreg(r1.varOff), tnumConst(u32(~v))));
      else r1.varOff = tnumAnd(r1.varOff, tnumConst(u64(~v)));
      break;
    }
    case JmpOp.JLE:
      if (is32) {
        r1.u32max = min(r1.u32max, r2.u32max);
        r2.u32min = max(r1.u32min, r2.u32min);
      } else {
        r1.umax = min(r1.umax, r2.umax);
        r2.umin = max(r1.umin, r2.umin);
      }
      break;
    case JmpOp.JLT:
      if (is32) {
        r1.u32max = min(r1.u32max, u32(r2.u32max - 1n));
        r2.u32min = max(u32(r1.u32min + 1n), r2.u32min);
      } else {
        r1.umax = min(r1.umax, u64(r2.umax - 1n));
        r2.umin = max(u64(r1.umin + 1n), r2.umin);
      }
      break;
    case JmpOp.JSLE:
      if (is32) {
        r1.s32max = min(r1.s32max, r2.s32max);
        r2.s32min = max(r1.s32min, r2.s32min);
      } else {
        r1.smax = min(r1.smax, r2.smax);
        r2.smin = max(r1.smin, r2.smin);
      }
      break;
    case JmpOp.JSLT:
      if (is32) {
        r1.s32max = min(r1.s32max, s32(r2.s32max - 1n));
        r2.s32min = max(s32(r1.s32min + 1n), r2.s32min);
      } else {
        r1.smax = min(r1.smax, s64(r2.smax - 1n));
        r2.smin = max(s64(r1.smin + 1n), r2.smin);
      }
      break;
  }
}

/** reg_set_min_max: refine both branches when both operands are scalars. */
function regSetMinMax(t1: RegState, t2: RegState, f1: RegState, f2: RegState, o: number, is32: boolean, srcIsFake = false): void {
  if (f1.type !== 'scalar' || f2.type !== 'scalar') return;
  refineCondOp(f1, f2, revOpcode(o), is32);
  regBoundsSync(f1);
  // (an immediate's stand-ins are dropped right after: syncing them changes nothing anyone reads)
  if (!srcIsFake) regBoundsSync(f2);
  refineCondOp(t1, t2, o, is32);
  regBoundsSync(t1);
  if (!srcIsFake) regBoundsSync(t2);
}

/** Every register and spilled register of every frame (bpf_for_each_reg_in_vstate). */
export function forEachReg(vs: VerifierState, fn: (r: RegState) => void): void {
  for (const f of vs.frames) {
    for (const r of f.regs) fn(r);
    for (const s of f.stack) if (s.types[7] === 1) fn(s.spilled);
  }
}

/** sync_linked_regs: scalars sharing an id learn what the branch taught `known`. */
function syncLinkedRegs(env: Env, vs: VerifierState, known: RegState): void {
  // collect_linked_regs (6.18) leaves out registers dead at the branch
  const live = env.liveRegs[env.insnIdx] ?? 0x3ff;
  const f = curFrame(vs);
  // bpf_for_each_reg_in_vstate's order, written out so the dead registers
  // of the innermost frame are known by index
  for (const fr of vs.frames) {
    for (let i = 0; i < fr.regs.length; i++) {
      if (fr === f && i < 10 && !(live & (1 << i))) continue;
      syncLinkedReg(env, fr.regs[i], known);
    }
    for (const s of fr.stack) if (s.types[7] === 1) syncLinkedReg(env, s.spilled, known);
  }
}

/** One register of sync_linked_regs. */
function syncLinkedReg(env: Env, r: RegState, known: RegState): void {
  if (r === known || r.type !== 'scalar' || r.id !== known.id) return;
  const precise = r.precise || known.precise;
  if ((!r.addConst && !known.addConst) || r.off === known.off) {
    assignReg(r, known);
    r.precise = precise;
    return;
  }
  // r = known + (r.off - known.off), keeping r's own link; a 32-bit link on
  // either side means that add happened in the low half, zero-extended
  const { off, id, addConst } = r;
  const zext = addConst === 32 || known.addConst === 32;
  assignReg(r, known);
  const delta = notInitReg();
  markKnown(delta, BigInt(off - known.off));
  scalarAlu(env, r, delta, AluOp.ADD, true);
  if (zext) {
    zext32To64(r);
    regBoundsSync(r);
  }
  r.off = off;
  r.id = id;
  r.addConst = addConst;
  r.precise = precise;
}

/** find_good_pkt_pointers */
function findGoodPktPointers(vs: VerifierState, dst: RegState, type: RegState['type'], rightOpen: boolean): void {
  if (dst.off < 0 || dst.off >= MAX_PACKET_OFF) return;
  if (dst.umax > BigInt(MAX_PACKET_OFF) || dst.umax + BigInt(dst.off) > BigInt(MAX_PACKET_OFF)) return;
  const newRange = dst.off + (rightOpen ? 1 : 0);
  const id = dst.id;
  forEachReg(vs, (r) => {
    if (r.type === type && r.id === id) r.range = Math.max(r.range, newRange);
  });
}

/** mark_pkt_end */
function markPktEnd(vs: VerifierState, regno: number, rangeOpen: boolean): void {
  const r = curFrame(vs).regs[regno];
  if (r.type !== 'pkt') return;
  r.range = rangeOpen ? BEYOND_PKT_END : AT_PKT_END;
}

const isInitPkt = (r: RegState, type: RegState['type']): boolean =>
  r.type === type && r.off === 0 && tnumIsConst(r.varOff) && r.varOff.value === 0n;

/**
 * For `data OP data_end` (data pointer on the left): the branch where the
 * packet is proven readable up to data (the fall-through `thisB` or the
 * taken `otherB`), and whether that bound is open (data < end rather than
 * data <= end). The other branch learns the pointer is at or past the end.
 */
const PKT_CMP_RULES: Readonly<Partial<Record<number, { thisBranch: boolean; open: boolean }>>> = {
  [JmpOp.JGT]: { thisBranch: true, open: false },
  [JmpOp.JLT]: { thisBranch: false, open: true },
  [JmpOp.JGE]: { thisBranch: true, open: true },
  [JmpOp.JLE]: { thisBranch: false, open: false },
};

/** try_match_pkt_pointers: packet range from comparisons with pkt_end (every operand order). */
function tryMatchPktPointers(ins: Insn, thisB: VerifierState, otherB: VerifierState): boolean {
  if (srcBit(ins.code) !== Src.X || cls(ins.code) === Cls.JMP32) return false;
  const rs = curFrame(thisB).regs;
  const dst = copyReg(rs[ins.dst]);
  const src = copyReg(rs[ins.src]);
  const dstIsData = (dst.type === 'pkt' && src.type === 'pkt_end') || (dst.type === 'pkt_meta' && isInitPkt(src, 'pkt'));
  const srcIsData = (dst.type === 'pkt_end' && src.type === 'pkt') || (isInitPkt(dst, 'pkt') && src.type === 'pkt_meta');
  const rule = PKT_CMP_RULES[op(ins.code)];
  if (!rule || (!dstIsData && !srcIsData)) return false;
  // with the data pointer on the right the branches swap and the bound flips (pkt_end > pkt is pkt < pkt_end)
  const [data, regno, onThis, open] = dstIsData ? [dst, ins.dst, rule.thisBranch, rule.open] : [src, ins.src, !rule.thisBranch, !rule.open];
  findGoodPktPointers(onThis ? thisB : otherB, data, data.type, open);
  markPktEnd(onThis ? otherB : thisB, regno, !open);
  return true;
}

/** mark_ptr_or_null_regs: after `if rX == 0`, every copy of the pointer is NULL or valid. */
function markPtrOrNullRegs(env: Env, vs: VerifierState, regno: number, isNull: boolean): void {
  const r = curFrame(vs).regs[regno];
  const id = r.id;
  const refObjId = r.refObjId;
  if (refObjId && refObjId === id && isNull) vs.refs = vs.refs.filter((x) => x !== id);
  forEachReg(vs, (x) => {
    if (!x.maybeNull || x.id !== id) return;
    if (isNull) {
      markKnown(x, 0n);
      return;
    }
    x.maybeNull = false;
    x.id = 0;
    // a lookup in a map-in-map yields the inner map itself
    const inner = x.type === 'map_value' ? (env.innerMapIndex[x.mapIndex] ?? -1) : -1;
    if (inner >= 0) {
      x.type = 'map_ptr';
      x.mapIndex = inner;
    }
  });
}

export interface CondJmpOutcome {
  /** the next instruction of the current path */
  next: number;
}

/**
 * check_cond_jmp_op. `pushOther` creates the state of the taken branch
 * (push_stack) and returns it, so this function can refine both.
 */
export function checkCondJmp(env: Env, ins: Insn, idx: number, pushOther: (target: number) => VerifierState): number {
  const o = op(ins.code);
  const rs = regs(env);
  // the kernel checks the source operand before the destination here
  if (srcBit(ins.code) === Src.X) checkRegArg(env, ins.src, RegUse.SRC_OP);
  checkRegArg(env, ins.dst, RegUse.SRC_OP);
  const dst = rs[ins.dst];
  let src: RegState;
  if (srcBit(ins.code) === Src.X) {
    src = rs[ins.src];
  } else {
    // shared and read-only until the refinement below, which works on copies
    src = constImmReg(ins.imm);
  }
  const is32 = cls(ins.code) === Cls.JMP32;
  const stackFlags = condJmpFlags(dst, srcBit(ins.code) === Src.X ? src : null);
  if (stackFlags) pushInsnHistory(env, stackFlags, 0, 0, null);
  const pred = isBranchTaken(dst, src, o, is32);
  if (pred >= 0) {
    // the decision rests on the operands' values: they must be precise wherever this path came from
    if (dst.type === 'scalar') markChainPrecision(env, ins.dst);
    if (srcBit(ins.code) === Src.X && src.type === 'scalar') markChainPrecision(env, ins.src);
  }
  const target = idx + ins.off + 1;
  if (pred === 1) return target;
  if (pred === 0) return idx + 1;
  // linked scalars go to the history before the fork, so both branches share the record
  const linkIds = [srcBit(ins.code) === Src.X && src.type === 'scalar' ? src.id : 0, dst.type === 'scalar' ? dst.id : 0];
  if (linkIds[0] || linkIds[1]) {
    const linked = collectLinkedRegs(env, env.cur, linkIds);
    if (linked.length > 1) pushInsnHistory(env, 0, 0, 0, linked);
  }
  const other = pushOther(target);
  const ors = curFrame(other).regs;
  if (srcBit(ins.code) === Src.X) {
    regSetMinMax(ors[ins.dst], ors[ins.src], dst, src, o, is32);
  } else {
    regSetMinMax(ors[ins.dst], copyReg(src), dst, copyReg(src), o, is32, true);
  }
  if (srcBit(ins.code) === Src.X && src.type === 'scalar' && src.id) {
    syncLinkedRegs(env, env.cur, src);
    syncLinkedRegs(env, other, ors[ins.src]);
  }
  if (dst.type === 'scalar' && dst.id) {
    syncLinkedRegs(env, env.cur, dst);
    syncLinkedRegs(env, other, ors[ins.dst]);
  }
  if (!is32 && srcBit(ins.code) === Src.K && ins.imm === 0 && (o === JmpOp.JEQ || o === JmpOp.JNE) && dst.maybeNull) {
    markPtrOrNullRegs(env, env.cur, ins.dst, o === JmpOp.JNE);
    markPtrOrNullRegs(env, other, ins.dst, o === JmpOp.JEQ);
  } else {
    tryMatchPktPointers(ins, env.cur, other);
  }
  return idx + 1;
}
