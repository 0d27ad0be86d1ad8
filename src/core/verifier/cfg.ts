/**
 * Static passes before abstract interpretation: sub-program discovery
 * (add_subprog_and_kfunc, check_subprogs), the control-flow check (check_cfg:
 * out-of-range jumps, unreachable instructions, jumps into LD_IMM64) and the
 * marks it leaves for do_check (prune points, jump points).
 */
import type { Insn } from '../isa/insn.ts';
import { Cls, JmpOp, LD_IMM64_CODE, PseudoCall, PseudoLd, cls, op } from '../isa/opcodes.ts';

export interface CfgInfo {
  subprogStarts: number[];
  prunePoint: Uint8Array;
  /** insns that force a checkpoint (bpf_loop calls) */
  forceCheckpoint: Uint8Array;
}

export interface CfgError {
  message: string;
  insn: number | null;
}

const isJmpClass = (code: number): boolean => cls(code) === Cls.JMP || cls(code) === Cls.JMP32;
const isCall = (ins: Insn): boolean => ins.code === (Cls.JMP | JmpOp.CALL);
const isExit = (ins: Insn): boolean => ins.code === (Cls.JMP | JmpOp.EXIT);
const isPseudoCall = (ins: Insn): boolean => isCall(ins) && ins.src === PseudoCall.CALL;
const isPseudoFunc = (ins: Insn): boolean => ins.code === LD_IMM64_CODE && ins.src === PseudoLd.FUNC;

/** Jump target of a JA/conditional (JMP32 JA uses imm). */
export function jumpTarget(ins: Insn, idx: number): number {
  if (ins.code === (Cls.JMP32 | JmpOp.JA)) return idx + ins.imm + 1;
  return idx + ins.off + 1;
}

/** add_subprog_and_kfunc + check_subprogs */
export function findSubprogs(insns: readonly Insn[]): { starts: number[] } | CfgError {
  const starts = new Set<number>([0]);
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (isPseudoCall(ins) || isPseudoFunc(ins)) {
      const t = i + ins.imm + 1;
      if (t < 0 || t >= insns.length) return { message: 'call to invalid destination', insn: null };
      starts.add(t);
    }
    if (ins.code === LD_IMM64_CODE) i++;
  }
  const sorted = [...starts].sort((a, b) => a - b);
  for (let s = 0; s < sorted.length; s++) {
    const start = sorted[s];
    const end = s + 1 < sorted.length ? sorted[s + 1] : insns.length;
    for (let i = start; i < end; i++) {
      const ins = insns[i];
      if (isJmpClass(ins.code) && !isCall(ins) && !isExit(ins)) {
        const t = jumpTarget(ins, i);
        if (t < start || t >= end) return { message: `jump out of range from insn ${i} to ${t}`, insn: i };
      }
      if (i === end - 1) {
        const okLast = isExit(ins) || ins.code === (Cls.JMP | JmpOp.JA) || ins.code === (Cls.JMP32 | JmpOp.JA);
        if (!okLast) return { message: 'last insn is not an exit or jmp', insn: null };
      }
    }
  }
  return { starts: sorted };
}

/** check_cfg: depth-first walk of the control-flow graph from insn 0. */
export function checkCfg(insns: readonly Insn[], subprogStarts: number[]): CfgInfo | CfgError {
  const n = insns.length;
  const seen = new Uint8Array(n);
  const prunePoint = new Uint8Array(n + 1);
  const forceCheckpoint = new Uint8Array(n + 1);
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (from: number, to: number): CfgError | null => {
    if (to < 0 || to >= n) return { message: `jump out of range from insn ${from} to ${to}`, insn: from };
    if (!seen[to]) {
      seen[to] = 1;
      stack.push(to);
    }
    return null;
  };
  while (stack.length) {
    const t = stack.pop() as number;
    const ins = insns[t];
    let err: CfgError | null = null;
    if (isExit(ins)) continue;
    if (ins.code === LD_IMM64_CODE) {
      // a plain fall-through edge: 6.18 marks no prune point after ld_imm64 (kernel logs)
      err = push(t, t + 2);
      if (!err && isPseudoFunc(ins)) {
        // visit_func_call_insn: the ld_imm64 and the insn after it are prune points (kernel logs);
        // a callback's body is reachable from where its address is taken
        prunePoint[t] = 1;
        if (t + 2 < n) prunePoint[t + 2] = 1;
        err = push(t, t + ins.imm + 1);
        if (!err) prunePoint[t + ins.imm + 1] = 1;
      }
    } else if (isCall(ins)) {
      // is_sync_callback_calling_function: bpf_loop (181), bpf_for_each_map_elem (164)
      if (ins.src === PseudoCall.HELPER && (ins.imm === 181 || ins.imm === 164)) {
        prunePoint[t] = 1;
        forceCheckpoint[t] = 1;
      }
      err = push(t, t + 1);
      prunePoint[t + 1] = 1;
      if (!err && ins.src === PseudoCall.CALL) {
        prunePoint[t] = 1;
        err = push(t, t + ins.imm + 1);
        if (!err) prunePoint[t + ins.imm + 1] = 1;
      }
    } else if (isJmpClass(ins.code) && (op(ins.code) === JmpOp.JA)) {
      const to = jumpTarget(ins, t);
      err = push(t, to);
      if (to >= 0 && to < n) prunePoint[to] = 1;
    } else if (isJmpClass(ins.code)) {
      prunePoint[t] = 1;
      if (op(ins.code) === JmpOp.JCOND) forceCheckpoint[t] = 1;
      err = push(t, t + 1) ?? push(t, jumpTarget(ins, t));
      // push_insn marks the target of a BRANCH edge as a prune point too
      const to = jumpTarget(ins, t);
      if (to >= 0 && to < n) prunePoint[to] = 1;
    } else {
      err = push(t, t + 1);
    }
    if (err) return err;
  }
  for (let i = 0; i < n; i++) {
    if (!seen[i]) return { message: `unreachable insn ${i}`, insn: i };
    if (insns[i].code === LD_IMM64_CODE) {
      if (seen[i + 1]) return { message: `jump into the middle of ldimm64 insn ${i}`, insn: i };
      i++;
    }
  }
  return { subprogStarts, prunePoint, forceCheckpoint };
}
