/**
 * State equivalence for pruning (states_equal, func_states_equal, regsafe,
 * stacksafe, check_ids) and the exact comparison used for infinite-loop
 * detection. Only scalars an explored state marked precise (precision.ts)
 * must match; an imprecise one accepts any scalar.
 */
import { RegState } from './reg.ts';
import { FuncState, Slot, StackSlot, VerifierState } from './state.ts';
import { tnumEquals, tnumIn } from './tnum.ts';

export type Exactness = 'not_exact' | 'exact' | 'range_within';

/**
 * The id pairs seen while comparing two states (the kernel's idmap_scratch).
 * One instance is reused and reset per comparison: a fresh map and pair
 * tuple per check were a large share of the verifier's garbage.
 */
class IdMap {
  private olds: number[] = [];
  private curs: number[] = [];
  private n = 0;
  private tmp = 1 << 30;
  reset(): this {
    this.n = 0;
    this.tmp = 1 << 30;
    return this;
  }
  check(oldId: number, curId: number): boolean {
    if (!oldId !== !curId) return false;
    if (!oldId) return true;
    const olds = this.olds;
    const curs = this.curs;
    for (let i = 0; i < this.n; i++) {
      if (olds[i] === oldId) return curs[i] === curId;
      if (curs[i] === curId) return false;
    }
    olds[this.n] = oldId;
    curs[this.n] = curId;
    this.n++;
    return true;
  }
  checkScalar(oldId: number, curId: number): boolean {
    return this.check(oldId || ++this.tmp, curId || ++this.tmp);
  }
}

const idScratch = new IdMap();

function rangeWithin(o: RegState, c: RegState): boolean {
  return (
    o.umin <= c.umin && c.umax <= o.umax &&
    o.smin <= c.smin && c.smax <= o.smax &&
    o.u32min <= c.u32min && c.u32max <= o.u32max &&
    o.s32min <= c.s32min && c.s32max <= o.s32max
  );
}

/** memcmp of everything but ids (regs_exact minus the id checks) */
function sameExceptIds(o: RegState, c: RegState): boolean {
  return (
    o.type === c.type && o.maybeNull === c.maybeNull && o.rdonly === c.rdonly && o.ringbuf === c.ringbuf &&
    o.off === c.off && o.range === c.range && o.mapIndex === c.mapIndex && o.memSize === c.memSize &&
    o.frameno === c.frameno && o.subprog === c.subprog && tnumEquals(o.varOff, c.varOff) &&
    o.umin === c.umin && o.umax === c.umax && o.smin === c.smin && o.smax === c.smax &&
    o.u32min === c.u32min && o.u32max === c.u32max && o.s32min === c.s32min && o.s32max === c.s32max
  );
}

/**
 * The kernel keeps the BPF_ADD_CONST64/32 flag inside the id, so the id map
 * pairs "id" and "id + delta" links as different ids; mirror that with
 * negative keys (real ids and the map's temporary ids are positive; small
 * integers keep the map's arrays cheap).
 */
function linkKey(r: RegState): number {
  if (!r.id || !r.addConst) return r.id;
  return r.addConst === 64 ? -r.id : -(r.id + 0x20000000);
}

function regsExact(o: RegState, c: RegState, ids: IdMap): boolean {
  return sameExceptIds(o, c) && ids.check(linkKey(o), linkKey(c)) && ids.check(o.refObjId, c.refObjId);
}

/** regsafe */
function regSafe(o: RegState, c: RegState, ids: IdMap, exact: Exactness): boolean {
  if (exact === 'exact') return regsExact(o, c, ids);
  if (o.type === 'not_init') {
    if (exact === 'not_exact' || c.type === 'not_init') return true;
  }
  if (o.type !== c.type || o.maybeNull !== c.maybeNull || o.rdonly !== c.rdonly || o.ringbuf !== c.ringbuf) return false;
  switch (o.type) {
    case 'scalar':
      // nothing on the explored path depended on this value: any scalar will do
      if (!o.precise && exact === 'not_exact') return true;
      if (o.addConst !== c.addConst || (o.addConst && o.off !== c.off)) return false;
      return ids.checkScalar(linkKey(o), linkKey(c)) && rangeWithin(o, c) && tnumIn(o.varOff, c.varOff);
    case 'map_key':
    case 'map_value':
    case 'mem':
      return (
        o.off === c.off && o.mapIndex === c.mapIndex && o.memSize === c.memSize &&
        rangeWithin(o, c) && tnumIn(o.varOff, c.varOff) && ids.check(o.id, c.id) && ids.check(o.refObjId, c.refObjId)
      );
    case 'pkt':
    case 'pkt_meta':
      if (o.range > c.range) return false;
      if (o.off !== c.off) return false;
      if (!ids.check(o.id, c.id)) return false;
      return rangeWithin(o, c) && tnumIn(o.varOff, c.varOff);
    case 'stack':
      return regsExact(o, c, ids) && o.frameno === c.frameno;
    default:
      return regsExact(o, c, ids);
  }
}

const UNBOUND_SCALAR: RegState | null = null;

/** Every byte INVALID or MISC (a plain loop: this is on the pruning fast path). */
function slotIsUntracked(t: readonly Slot[]): boolean {
  for (let k = 0; k < 8; k++) if (t[k] !== Slot.INVALID && t[k] !== Slot.MISC) return false;
  return true;
}

/** scalar_reg_for_stack: a 64-bit scalar spill, or an unknown scalar for an all-data slot. */
function scalarForStack(s: StackSlot, unbound: RegState): RegState | null {
  if (s.types[0] === Slot.SPILL && s.spilled.type === 'scalar') return s.spilled;
  if (slotIsUntracked(s.types)) return unbound;
  return UNBOUND_SCALAR;
}

/** stacksafe */
function stackSafe(o: FuncState, c: FuncState, ids: IdMap, exact: Exactness, unbound: RegState): boolean {
  const oldBytes = o.stack.length * 8;
  const curBytes = c.stack.length * 8;
  for (let i = 0; i < oldBytes; i++) {
    const spi = Math.floor(i / 8);
    const k = i % 8;
    const os = o.stack[spi];
    // Without exactness every INVALID or MISC byte of the old slot is skipped
    // (the checks below): a slot made of nothing else is skipped whole.
    // Explored states are mostly such slots, and this runs on every visit of a prune point.
    if (k === 0 && exact === 'not_exact' && slotIsUntracked(os.types)) {
      i += 7;
      continue;
    }
    const cs = spi < c.stack.length ? c.stack[spi] : null;
    if (exact !== 'not_exact' && (i >= curBytes || !cs || os.types[k] !== cs.types[k])) return false;
    if (os.types[k] === Slot.INVALID) continue;
    if (os.types[k] === Slot.MISC) continue; // root: allow_uninit_stack
    if (i >= curBytes || !cs) return false;
    const oreg = scalarForStack(os, unbound);
    const creg = scalarForStack(cs, unbound);
    if (oreg && creg) {
      if (!regSafe(oreg, creg, ids, exact)) return false;
      i += 7 - k;
      continue;
    }
    if (os.types[k] !== cs.types[k]) return false;
    if (k !== 7) continue;
    if (os.types[7] === Slot.SPILL && !regSafe(os.spilled, cs.spilled, ids, exact)) return false;
  }
  return true;
}

function funcStatesEqual(o: FuncState, c: FuncState, ids: IdMap, exact: Exactness, unbound: RegState, liveMask: number): boolean {
  if (o.callbackDepth > c.callbackDepth) return false;
  for (let i = 0; i < 11; i++) {
    // registers dead at this instruction were cleaned from the explored state
    if (exact === 'not_exact' && i < 10 && !(liveMask & (1 << i))) continue;
    if (!regSafe(o.regs[i], c.regs[i], ids, exact)) return false;
  }
  return stackSafe(o, c, ids, exact, unbound);
}

/**
 * A sufficient test that statesEqual(old, cur, 'not_exact', liveMask, ...)
 * is false, reading only registers: a live register where `oldRegs` (the
 * registers of old's innermost frame) holds a precise scalar and cur holds
 * something else or a scalar outside its range (regsafe fails there,
 * whatever the ids). Most pruning attempts fail on such a register, and the
 * full comparison first walks frames and references of the old state, which
 * lie cold in memory.
 */
export function preciseScalarEscapes(oldRegs: readonly RegState[], cur: VerifierState, liveMask: number): boolean {
  const cregs = cur.frames[cur.frames.length - 1].regs;
  for (let i = 0; i < 10; i++) {
    if (!(liveMask & (1 << i))) continue;
    const o = oldRegs[i];
    if (o.type !== 'scalar' || !o.precise) continue;
    const c = cregs[i];
    if (c.type !== 'scalar' || !rangeWithin(o, c)) return true;
  }
  return false;
}

/**
 * states_equal: may `cur` be pruned because `old` (an explored state at the
 * same instruction) was already proved safe? `liveMask` holds the registers
 * live at the instruction (innermost frame).
 */
export function statesEqual(old: VerifierState, cur: VerifierState, exact: Exactness, liveMask: number, unbound: RegState, liveBefore?: Uint16Array): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  if (old.refs.length !== cur.refs.length) return false;
  const ids = idScratch.reset();
  for (let i = 0; i < old.refs.length; i++) if (!ids.check(old.refs[i], cur.refs[i])) return false;
  for (let i = 0; i < old.frames.length; i++) {
    if (old.frames[i].callsite !== cur.frames[i].callsite) return false;
    // a caller frame keeps what is live across its call (clean_verifier_state at frame_insn_idx)
    const mask = i === old.frames.length - 1 ? liveMask : liveBefore ? (liveBefore[old.frames[i + 1].callsite] ?? 0x3ff) : 0x3ff;
    if (!funcStatesEqual(old.frames[i], cur.frames[i], ids, exact, unbound, mask)) return false;
  }
  return true;
}

/** states_maybe_looping: same frame depth and byte-identical registers in the innermost frame. */
export function statesMaybeLooping(old: VerifierState, cur: VerifierState): boolean {
  if (old.frames.length !== cur.frames.length) return false;
  const fo = old.frames[old.frames.length - 1];
  const fc = cur.frames[cur.frames.length - 1];
  // Scalars first: a loop changes its counters, so a mismatch is usually
  // found after reading few of the old state's registers (cold in memory).
  // Every register is still compared before answering true.
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; i < 11; i++) {
      const c = fc.regs[i];
      if ((c.type === 'scalar') !== (pass === 0)) continue;
      const o = fo.regs[i];
      if (!sameExceptIds(o, c) || o.id !== c.id || o.addConst !== c.addConst || o.refObjId !== c.refObjId) return false;
    }
  }
  return true;
}
