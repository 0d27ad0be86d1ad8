/**
 * The instruction history of a verification run (the kernel's env->insn_hist
 * with each state's insn_hist_start..insn_hist_end): one growable buffer of
 * struct bpf_insn_hist_entry records, and every state owns the range
 * histStart..histEnd of it that was recorded since its checkpoint.
 *
 * Why one shared buffer works: exploration is depth-first. A state pushed for
 * later (push_stack) shares its range with the path that pushed it, and that
 * path only appends after its end; when the pushed state is popped, every
 * path that appended after it is finished, and nothing reads their records
 * again (backtracking walks the current state's parent chain only, and those
 * checkpoints' ranges all lie below the current state's). So the popped
 * state may overwrite from its own end on. Copying a state (every branch and
 * checkpoint) then copies two numbers instead of its records, and recording a
 * step allocates nothing.
 *
 * Verification is synchronous and not re-entrant, so all runs share one
 * buffer (it keeps its capacity: small programs verified again and again in
 * the editor allocate nothing for it); each run starts at position 0.
 */
import type { LinkedReg } from './state.ts';

export class InsnHistory {
  /** the instruction the record is for */
  idx: Int32Array = new Int32Array(256);
  /** the instruction executed before it on this path */
  prevIdx: Int32Array = new Int32Array(256);
  /** HIST_* flags */
  flags: Int32Array = new Int32Array(256);
  /** with HIST_STACK_ACCESS: the slot and the frame it belongs to */
  spi: Int32Array = new Int32Array(256);
  frameno: Int32Array = new Int32Array(256);
  /** insn_processed when recorded: a second record for the same step merges into this one */
  stamp: Int32Array = new Int32Array(256);
  /** scalars sharing an id at a conditional jump: precision of one is precision of all */
  linked: (LinkedReg[] | null)[] = [];

  /** Make room for a record at position `at`. */
  reserve(at: number): void {
    if (at < this.idx.length) return;
    const grow = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.idx = grow(this.idx);
    this.prevIdx = grow(this.prevIdx);
    this.flags = grow(this.flags);
    this.spi = grow(this.spi);
    this.frameno = grow(this.frameno);
    this.stamp = grow(this.stamp);
  }
}

/** The history buffer of the run in progress. */
export const insnHist = new InsnHistory();
