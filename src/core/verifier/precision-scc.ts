/**
 * Loops as Linux 6.18 sees them (compute_scc, compute_scc_callchain,
 * maybe_enter_scc, maybe_exit_scc): instructions are grouped into strongly
 * connected components of the control-flow graph, and the verifier notes
 * when a path first checkpoints inside a loop ("SCC enter") and when every
 * path from that entry state has finished ("SCC exit"). The kernel uses the
 * visit to propagate precision along loop back-edges of iterator and
 * callback loops; here it only keeps the level-2 log in step (gap: the
 * back-edge propagation itself is not modelled).
 */
import type { Insn } from '../isa/insn.ts';
import { Cls, JmpOp, LD_IMM64_CODE, cls, op } from '../isa/opcodes.ts';
import { type Env, verbose } from './env.ts';
import type { VerifierState } from './state.ts';

/**
 * insn_successors: the instructions control may reach next within the
 * sub-program (calls return to the next one), at most two, written into
 * `first` and `second` at `i` (-1 for none; a successor outside the program
 * is none). Typed arrays instead of an array per instruction: this runs on
 * every verification of a program with a loop.
 */
function successors(insns: readonly Insn[], i: number, first: Int32Array, second: Int32Array): void {
  const n = insns.length;
  const ins = insns[i];
  let a = i + 1;
  let b = -1;
  const c = cls(ins.code);
  if (ins.code === LD_IMM64_CODE) a = i + 2;
  else if (c === Cls.JMP || c === Cls.JMP32) {
    const o = op(ins.code);
    if (o === JmpOp.EXIT) a = -1;
    else if (o === JmpOp.JA) a = c === Cls.JMP32 ? i + ins.imm + 1 : i + ins.off + 1;
    else if (o !== JmpOp.CALL) {
      const target = i + ins.off + 1;
      if (target !== i + 1) b = target;
    }
  }
  first[i] = a >= 0 && a < n ? a : -1;
  second[i] = b >= 0 && b < n ? b : -1;
}

/** Does any instruction have a successor (within the program) at or before itself? */
function hasBackwardEdge(insns: readonly Insn[]): boolean {
  const n = insns.length;
  for (let i = 0; i < n; i++) {
    const ins = insns[i];
    if (ins.code === LD_IMM64_CODE) continue;
    const c = cls(ins.code);
    if (c !== Cls.JMP && c !== Cls.JMP32) continue;
    const o = op(ins.code);
    if (o === JmpOp.EXIT || o === JmpOp.CALL) continue;
    const target = o === JmpOp.JA && c === Cls.JMP32 ? i + ins.imm + 1 : i + ins.off + 1;
    if (target <= i && target >= 0) return true;
  }
  return false;
}

/**
 * compute_scc: per instruction, the number of its loop (1, 2, ... in the
 * order the depth-first search completes them), or 0 outside loops.
 * Components of one instruction count only when it jumps to itself.
 */
export function computeScc(insns: readonly Insn[]): Uint32Array {
  const n = insns.length;
  const NOT_ON_STACK = 0xffffffff;
  const scc = new Uint32Array(n);
  // most programs only jump forward: then every component is one instruction
  // without a self-loop, and there is nothing to search (this runs on every verification)
  if (!hasBackwardEdge(insns)) return scc;
  const pre = new Uint32Array(n);
  const low = new Uint32Array(n);
  const succ1 = new Int32Array(n);
  const succ2 = new Int32Array(n);
  for (let i = 0; i < n; i++) successors(insns, i, succ1, succ2);
  const stack: number[] = [];
  let nextPre = 1;
  let nextScc = 1;
  for (let i = 0; i < n; i++) {
    if (pre[i]) continue;
    const dfs: number[] = [i];
    while (dfs.length) {
      const w = dfs[dfs.length - 1];
      if (pre[w] === 0) {
        pre[w] = low[w] = nextPre++;
        stack.push(w);
      }
      let descended = false;
      for (let k = 0; k < 2; k++) {
        const s = k === 0 ? succ1[w] : succ2[w];
        if (s < 0) continue;
        if (pre[s]) {
          if (low[s] < low[w]) low[w] = low[s];
        } else {
          dfs.push(s);
          descended = true;
          break;
        }
      }
      if (descended) continue;
      if (low[w] < pre[w]) {
        dfs.pop();
        continue;
      }
      const assign = stack[stack.length - 1] !== w || succ1[w] === w || succ2[w] === w;
      let t: number;
      do {
        t = stack.pop() as number;
        low[t] = NOT_ON_STACK;
        if (assign) scc[t] = nextScc;
      } while (t !== w);
      if (assign) nextScc++;
      dfs.pop();
    }
  }
  return scc;
}

/**
 * compute_scc_callchain: the call sites down to the first frame whose
 * current instruction is in a loop, and that loop, as the kernel prints it:
 * "(callsite,...,scc)"; null when no frame is in a loop.
 */
function callchain(scc: Uint32Array, st: VerifierState): string | null {
  const sites: number[] = [];
  const top = st.frames.length - 1;
  for (let i = 0; i <= top; i++) {
    const idx = i === top ? st.insnIdx : st.frames[i + 1].callsite;
    const id = scc[idx] ?? 0;
    if (id) return `(${sites.map((s) => `${s},`).join('')}${id})`;
    if (i === top) return null;
    sites.push(idx);
  }
  return null;
}

/** The loop visits of one verification (struct bpf_scc_visit: its entry state). */
export class SccVisits {
  private readonly entry = new Map<string, VerifierState>();
  constructor(private readonly scc: Uint32Array) {}

  /** maybe_enter_scc: a new checkpoint inside a loop that no path is visiting yet. */
  enter(env: Env, st: VerifierState): void {
    const chain = callchain(this.scc, st);
    if (!chain || this.entry.has(chain)) return;
    this.entry.set(chain, st);
    if (env.logLevel === 2) verbose(env, `SCC enter ${chain}\n`);
  }

  /** maybe_exit_scc: the entry checkpoint has no path left to explore. */
  exit(env: Env, st: VerifierState): void {
    const chain = callchain(this.scc, st);
    if (!chain || this.entry.get(chain) !== st) return;
    this.entry.delete(chain);
    if (env.logLevel === 2) verbose(env, `SCC exit ${chain}\n`);
  }
}
