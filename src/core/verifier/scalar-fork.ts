/**
 * Linux 6.18 splits a path on `dst &= C` / `dst |= C` when dst is known to
 * be -1 or 0 (maybe_fork_scalars, learned from kernel logs): LLVM turns
 * `x < 0 ? C : 0` into `(x s>> 63) & C`, and the range [-1, 0] would make
 * the result [0, C] or worse; two exact paths keep both values precise. The
 * current path continues with dst = -1, a queued copy re-runs the
 * instruction with dst = 0 ("from 5 to 5:" in the log). A dst whose 64-bit
 * range is not [-1, 0] but whose low 32 bits are splits on those bits only.
 */
import type { Insn } from '../isa/insn.ts';
import { AluOp, Cls, Src, cls, op, srcBit } from '../isa/opcodes.ts';
import { set32Known, setKnown } from './bounds.ts';
import type { RegState } from './reg.ts';
import { type VerifierState, curFrame } from './state.ts';
import { tnumIsConst } from './tnum.ts';

/** __mark_reg_known / __mark_reg32_known: the whole register, or only its low 32 bits, becomes `v` (a u64). */
function setForkValue(d: RegState, alu32: boolean, v: bigint): void {
  if (alu32) {
    set32Known(d, v & 0xffffffffn);
    return;
  }
  // __mark_reg_known: value, bounds and ids; the precision mark stays
  setKnown(d, v);
  d.id = 0;
  d.refObjId = 0;
  d.addConst = 0;
  d.off = 0;
}

/**
 * Before an ALU instruction runs on `cur`: split when it is an AND/OR of a
 * constant into a scalar in [-1, 0]. `push` queues a copy of `cur` that
 * re-runs the instruction.
 */
export function maybeForkScalars(cur: VerifierState, ins: Insn, push: () => VerifierState): void {
  const c = cls(ins.code);
  if (c !== Cls.ALU && c !== Cls.ALU64) return;
  const o = op(ins.code);
  if (o !== AluOp.AND && o !== AluOp.OR) return;
  const rs = curFrame(cur).regs;
  const d = rs[ins.dst];
  if (!d || d.type !== 'scalar') return;
  if (srcBit(ins.code) === Src.X) {
    const s = rs[ins.src];
    if (!s || s.type !== 'scalar' || !tnumIsConst(s.varOff)) return;
  }
  let alu32: boolean;
  if (d.smin === -1n && d.smax === 0n) alu32 = false;
  else if (d.s32min === -1n && d.s32max === 0n) alu32 = true;
  else return;
  const branch = push();
  setForkValue(curFrame(branch).regs[ins.dst], alu32, 0n);
  setForkValue(d, alu32, 0xffffffffffffffffn);
}
