/**
 * Stack slots: spills, fills and byte kinds (check_stack_write_fixed_off,
 * check_stack_read_fixed_off, check_stack_write_var_off,
 * check_stack_read_var_off, save_register_state).
 * Offsets are byte offsets from the frame pointer (negative).
 */
import { Env, markSlotScratched, reject } from './env.ts';
import { RegState, assignReg, copyReg, isScalarZero, markKnown, markUnknown, notInitReg } from './reg.ts';
import { FuncState, Slot, growStack } from './state.ts';
import { bitLength, tnumIsConst } from './tnum.ts';
import { stackLivenessOf } from './stack-liveness.ts';

const REG_SIZE = 8;

/** byte index inside a slot: the kernel's (slot - i) % BPF_REG_SIZE with slot = -off - 1 */
function byteLoc(off: number): { spi: number; idx: number } {
  const slot = -off - 1;
  return { spi: Math.floor(slot / REG_SIZE), idx: slot % REG_SIZE };
}

const isSpillableType = (r: RegState): boolean => r.type !== 'scalar' && r.type !== 'not_init';

/** get_reg_width: bits needed to hold the scalar's maximum */
function regWidth(r: RegState): number {
  return bitLength(r.umax);
}

/** save_register_state: spill `reg` into the top `size` bytes of slot spi. */
function saveRegisterState(f: FuncState, spi: number, reg: RegState, size: number): void {
  const s = f.stack[spi];
  s.spilled = copyReg(reg);
  for (let i = REG_SIZE; i > REG_SIZE - size; i--) s.types[i - 1] = Slot.SPILL;
  for (let i = REG_SIZE - size; i > 0; i--) {
    // mark_stack_slot_misc keeps ZERO and (as root) INVALID bytes
    const t = s.types[i - 1];
    if (t !== Slot.ZERO && t !== Slot.INVALID) s.types[i - 1] = Slot.MISC;
  }
}

/**
 * check_stack_write_fixed_off. `value` is the source register of a STX (null
 * for ST), `imm` the immediate of a ST.
 */
export function stackWriteFixed(env: Env, f: FuncState, off: number, size: number, value: RegState | null, imm: number): void {
  growStack(f, off);
  const { spi } = byteLoc(off);
  const slot = f.stack[spi];
  markSlotScratched(env, spi);
  // only a whole-slot write kills the slot for the 6.18 stack liveness
  if (off % REG_SIZE === 0 && size === REG_SIZE) stackLivenessOf(env)?.markWrite(f.frameno, spi);
  if (value && off % REG_SIZE === 0 && value.type === 'scalar') {
    const fits = regWidth(value) <= size * 8;
    // assign_scalar_id_before_mov: the spill and the register stay linked
    if (fits && !value.id && !tnumIsConst(value.varOff)) value.id = ++env.idGen;
    saveRegisterState(f, spi, value, size);
    if (!fits) slot.spilled.id = 0;
    return;
  }
  if (!value && off % REG_SIZE === 0) {
    const fake = notInitReg();
    markKnown(fake, BigInt(imm));
    saveRegisterState(f, spi, fake, size);
    return;
  }
  if (value && isSpillableType(value)) {
    if (size !== REG_SIZE) reject(env, 'invalid size of register spill');
    // a callee's stack pointer would dangle in its caller's frame after the return
    if (value.type === 'stack' && f !== env.cur.frames[env.cur.frames.length - 1]) reject(env, 'cannot spill pointers to stack into stack frame of the caller');
    saveRegisterState(f, spi, value, size);
    return;
  }
  // plain data write: destroys any spilled register in the slot
  slot.spilled = notInitReg();
  if (slot.types[REG_SIZE - 1] === Slot.SPILL) {
    for (let i = 0; i < REG_SIZE; i++) if (slot.types[i] === Slot.SPILL) slot.types[i] = Slot.MISC;
  }
  const zero = (value && isScalarZero(value)) || (!value && imm === 0);
  const kind = zero ? Slot.ZERO : Slot.MISC;
  const start = -off - 1;
  for (let i = 0; i < size; i++) {
    const b = start - i;
    const s = f.stack[Math.floor(b / REG_SIZE)];
    s.types[b % REG_SIZE] = kind;
  }
}

/** check_stack_read_fixed_off: fill `dst` (or only check, when dst is null). */
export function stackReadFixed(env: Env, f: FuncState, off: number, size: number, dst: RegState | null): void {
  growStack(f, off);
  const { spi } = byteLoc(off);
  markSlotScratched(env, spi);
  stackLivenessOf(env)?.markRead(env.cur, f.frameno, env.insnIdx, spi);
  const s = f.stack[spi];
  const start = -off - 1;
  if (s.types[REG_SIZE - 1] === Slot.SPILL) {
    let spillSize = 1;
    for (let i = REG_SIZE - 1; i > 0 && s.types[i - 1] === Slot.SPILL; i--) spillSize++;
    const spilled = s.spilled;
    if (size !== REG_SIZE || spillSize !== REG_SIZE) {
      if (spilled.type !== 'scalar') reject(env, 'invalid size of register fill');
      if (!dst) return;
      if (size <= spillSize && off % REG_SIZE === 0) {
        assignReg(dst, spilled);
        if (regWidth(spilled) > size * 8) dst.id = 0;
        return;
      }
      let spillCnt = 0;
      let zeroCnt = 0;
      for (let i = 0; i < size; i++) {
        const t = s.types[(start - i) % REG_SIZE];
        if (t === Slot.SPILL) spillCnt++;
        else if (t === Slot.ZERO) zeroCnt++;
      }
      if ((spillCnt === size && tnumIsConst(spilled.varOff) && spilled.varOff.value === 0n) || zeroCnt === size) markKnown(dst, 0n);
      else markUnknown(dst);
      return;
    }
    if (dst) assignReg(dst, spilled);
    return;
  }
  let zeros = 0;
  for (let i = 0; i < size; i++) {
    const b = start - i;
    const t = f.stack[Math.floor(b / REG_SIZE)].types[b % REG_SIZE];
    if (t === Slot.ZERO) zeros++;
    // MISC is data; INVALID may be read by root (allow_uninit_stack)
  }
  if (dst) {
    if (zeros === size) markKnown(dst, 0n);
    else markUnknown(dst);
  }
}

/** check_stack_write_var_off: every byte that may be written becomes data. */
export function stackWriteVar(env: Env, f: FuncState, minOff: number, maxOff: number, size: number, value: RegState | null, imm: number): void {
  growStack(f, minOff);
  const zero = (value && isScalarZero(value)) || (!value && imm === 0);
  for (let o = minOff; o < maxOff + size; o++) {
    const { spi, idx } = byteLoc(o);
    const s = f.stack[spi];
    markSlotScratched(env, spi);
    // writing zero over a spilled constant zero keeps the spill (6.18, kernel logs)
    if (zero && s.types[idx] === Slot.SPILL && s.spilled.type === 'scalar' && tnumIsConst(s.spilled.varOff) && s.spilled.varOff.value === 0n) continue;
    if (s.types[REG_SIZE - 1] === Slot.SPILL) {
      for (let i = 0; i < REG_SIZE; i++) if (s.types[i] === Slot.SPILL) s.types[i] = Slot.MISC;
      s.spilled = notInitReg();
    }
    if (!(zero && s.types[idx] === Slot.ZERO)) s.types[idx] = Slot.MISC;
  }
}

/** check_stack_read_var_off: root may read anything; the result is unknown unless all zero. */
export function stackReadVar(env: Env, f: FuncState, minOff: number, maxOff: number, size: number, dst: RegState | null): void {
  growStack(f, minOff);
  markStackRangeRead(env, f, minOff, maxOff + size);
  let allZero = true;
  // mark_reg_stack_read: slots are scratched (shown in the log) up to the first byte that is not ZERO
  for (let o = minOff; o < maxOff + size; o++) {
    const { spi, idx } = byteLoc(o);
    markSlotScratched(env, spi);
    if (f.stack[spi].types[idx] !== Slot.ZERO) {
      allZero = false;
      break;
    }
  }
  if (dst) {
    if (allZero) markKnown(dst, 0n);
    else markUnknown(dst);
  }
}

/** Helper memory arguments: bytes a helper will write become data (check_helper_mem_access for raw writes). */
export function stackMarkWritten(env: Env, f: FuncState, off: number, size: number, scratch = true): void {
  growStack(f, off);
  for (let o = off; o < off + size; o++) {
    const { spi, idx } = byteLoc(o);
    const s = f.stack[spi];
    if (scratch) markSlotScratched(env, spi);
    if (s.types[REG_SIZE - 1] === Slot.SPILL) {
      for (let i = 0; i < REG_SIZE; i++) s.types[i] = Slot.MISC;
      s.spilled = notInitReg();
    }
    s.types[idx] = Slot.MISC;
  }
}

/** check_stack_range_initialized's read marks: every slot of bytes [from, to) may be read by the current instruction. */
export function markStackRangeRead(env: Env, f: FuncState, from: number, to: number): void {
  const live = stackLivenessOf(env);
  if (!live || to <= from) return;
  const first = byteLoc(to - 1).spi;
  const last = byteLoc(from).spi;
  for (let spi = first; spi <= last; spi++) live.markRead(env.cur, f.frameno, env.insnIdx, spi);
}
