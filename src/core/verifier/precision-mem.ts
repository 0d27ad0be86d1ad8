/**
 * The history records and precision marks of loads and stores
 * (check_stack_read_fixed_off and check_stack_write_fixed_off record fills
 * and spills; check_stack_write_*_off mark a zero written as data precise,
 * since STACK_ZERO bytes remember its value). Each `before*` runs before the
 * access, on the state it will see; `after*` records once the access passed.
 */
import type { Insn } from '../isa/insn.ts';
import { AtomicOp } from '../isa/opcodes.ts';
import type { Env } from './env.ts';
import { type StackAccess, fixedStackAccess, loadIsFill, pushInsnHistory, storeIsSpill } from './precision-history.ts';
import { markChainPrecision } from './precision.ts';
import { isScalarZero } from './reg.ts';
import { HIST_STACK_ACCESS, Slot } from './state.ts';
import { tnumIsConst } from './tnum.ts';

const regsOf = (env: Env) => env.cur.frames[env.cur.frames.length - 1].regs;

function pushStackAccess(env: Env, acc: StackAccess): void {
  pushInsnHistory(env, HIST_STACK_ACCESS, acc.spi, acc.frameno, null);
}

/** A load through regs[ptrRegno]: the slot it fills from, if it is a fill. */
export function beforeLoad(env: Env, ptrRegno: number, insnOff: number, size: number): StackAccess | null {
  const acc = fixedStackAccess(regsOf(env)[ptrRegno], insnOff);
  return acc && loadIsFill(env, acc, size, true) ? acc : null;
}

export function afterLoad(env: Env, fill: StackAccess | null): void {
  if (fill) pushStackAccess(env, fill);
}

export interface StorePlan {
  spill: StackAccess | null;
  /** a zero scalar written as plain data: its value must stay exact */
  zeroValueRegno: number;
}

const NOTHING: StorePlan = { spill: null, zeroValueRegno: -1 };

/** A store through regs[ptrRegno] of regs[valueRegno] (-1: the immediate of a BPF_ST). */
export function beforeStore(env: Env, ptrRegno: number, insnOff: number, size: number, valueRegno: number, isSt: boolean): StorePlan {
  const rs = regsOf(env);
  const ptr = rs[ptrRegno];
  if (ptr.type !== 'stack') return NOTHING;
  const value = valueRegno >= 0 ? rs[valueRegno] : null;
  const zero = value !== null && isScalarZero(value);
  const acc = fixedStackAccess(ptr, insnOff);
  if (acc) {
    if (storeIsSpill(value, isSt, acc.off)) return { spill: acc, zeroValueRegno: -1 };
    return zero ? { spill: null, zeroValueRegno: valueRegno } : NOTHING;
  }
  if (!zero || tnumIsConst(ptr.varOff)) return NOTHING;
  // check_stack_write_var_off: a zero lands as STACK_ZERO only on bytes that already were zero
  const frame = env.cur.frames[ptr.frameno];
  if (!frame) return NOTHING;
  const lo = Number(ptr.smin) + ptr.off + insnOff;
  const hi = Number(ptr.smax) + ptr.off + insnOff + size;
  if (lo < -512 || hi > 0) return NOTHING;
  for (let o = lo; o < hi; o++) {
    const slot = -o - 1;
    const s = frame.stack[Math.floor(slot / 8)];
    if (s && s.types[slot % 8] === Slot.ZERO) return { spill: null, zeroValueRegno: valueRegno };
  }
  return NOTHING;
}

export function afterStore(env: Env, plan: StorePlan): void {
  if (plan === NOTHING) return;
  if (plan.zeroValueRegno >= 0) markChainPrecision(env, plan.zeroValueRegno);
  if (plan.spill) pushStackAccess(env, plan.spill);
}

/**
 * check_atomic: the read-modify-write first reads the slot without a
 * destination (a full 8-byte spill counts as a fill), then with the
 * fetch register; the write back is plain data.
 */
export function beforeAtomic(env: Env, ins: Insn, size: number): StackAccess | null {
  if (ins.imm === AtomicOp.LOAD_ACQ) return beforeLoad(env, ins.src, ins.off, size);
  if (ins.imm === AtomicOp.STORE_REL) return beforeStore(env, ins.dst, ins.off, size, ins.src, false).spill;
  const acc = fixedStackAccess(regsOf(env)[ins.dst], ins.off);
  if (!acc) return null;
  const fetch = (ins.imm & AtomicOp.FETCH) !== 0;
  return loadIsFill(env, acc, size, false) || (fetch && loadIsFill(env, acc, size, true)) ? acc : null;
}
