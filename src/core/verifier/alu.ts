/**
 * ALU instructions on abstract values: check_alu_op,
 * adjust_reg_min_max_vals, adjust_scalar_min_max_vals and
 * adjust_ptr_min_max_vals (kernel/bpf/verifier.c).
 */
import type { Insn } from '../isa/insn.ts';
import { AluOp, Cls, Src, cls, op, srcBit } from '../isa/opcodes.ts';
import { S64_MIN, ScalarBounds, regBoundsSync, set32Unbounded, setKnown, u32, u64, zext32To64 } from './bounds.ts';
import { Env, RegUse, checkRegArg, nextId, reject, regs } from './env.ts';
import { BPF_MAX_VAR_OFF, coerceRegToSize } from './mem.ts';
import { RegState, assignReg, constImmReg, copyReg, isPktPointer, markKnown, markUnknown, regTypeName } from './reg.ts';
import * as ops from './scalar-ops.ts';
import {
  tnumAdd,
  tnumAnd,
  tnumIsConst,
  tnumMul,
  tnumOr,
  tnumSub,
  tnumSubregIsConst,
  tnumXor,
  tnumConst,
  tnumRange,
  tnumSubreg,
  TNUM_UNKNOWN,
  U32_MAX,
  U64_MAX,
} from './tnum.ts';
import { ALU_OP_TEXT } from '../asm/names.ts';
import { markChainPrecision } from './precision.ts';

/** bpf_alu_string: the disassembler's operator text plus the kernel's names for neg, mov and endian. */
const ALU_STRING: Readonly<Record<number, string>> = {
  ...ALU_OP_TEXT,
  [AluOp.NEG]: 'neg',
  [AluOp.MOV]: '=',
  [AluOp.END]: 'endian',
};

/** check_alu_op */
export function checkAluOp(env: Env, ins: Insn): void {
  const o = op(ins.code);
  const is64 = cls(ins.code) === Cls.ALU64;
  const rs = regs(env);
  if (o === AluOp.END || o === AluOp.NEG) {
    checkRegArg(env, ins.dst, RegUse.SRC_OP);
    checkRegArg(env, ins.dst, RegUse.DST_OP_NO_MARK);
    const d = rs[ins.dst];
    if (o === AluOp.NEG && d.type === 'scalar') {
      const before = copyReg(d);
      setKnown(d, 0n);
      d.id = 0;
      scalarAlu(env, d, before, AluOp.SUB, is64);
      return;
    }
    if (o === AluOp.END && d.type === 'scalar') {
      // 6.18 tracks byte swaps through the tnum (value and unknown bits move
      // together), then derives every range from it; a constant stays exact
      const swap = srcBit(ins.code) === Src.X || is64;
      if (!swap) {
        // a conversion to little endian on a little-endian machine only truncates (coerce_reg_to_size)
        if (ins.imm !== 64) {
          coerceRegToSize(d, ins.imm / 8);
          d.id = 0;
          d.off = 0;
          d.addConst = 0;
        }
        return;
      }
      const varOff = { value: byteSwapConst(d.varOff.value, ins.imm, swap), mask: byteSwapConst(d.varOff.mask, ins.imm, swap) };
      if (tnumIsConst(varOff)) {
        markKnown(d, varOff.value);
        return;
      }
      markUnknown(d);
      d.varOff = varOff;
      regBoundsSync(d);
      return;
    }
    markUnknown(d);
    return;
  }
  if (o === AluOp.MOV) {
    if (srcBit(ins.code) === Src.X) checkRegArg(env, ins.src, RegUse.SRC_OP);
    checkRegArg(env, ins.dst, RegUse.DST_OP_NO_MARK);
    const d = rs[ins.dst];
    if (srcBit(ins.code) === Src.X) {
      const s = rs[ins.src];
      if (is64) {
        if (ins.off === 0) {
          assignScalarIdBeforeMov(env, s);
          assignReg(d, s);
        } else if (s.type !== 'scalar') {
          reject(env, `R${ins.src} sign-extension part of pointer`);
        } else {
          movsx(env, d, s, ins.off, true);
        }
      } else if (s.type !== 'scalar') {
        markUnknown(d);
      } else if (ins.off === 0) {
        const noSext = s.umax <= 0xffffffffn;
        if (noSext) assignScalarIdBeforeMov(env, s);
        assignReg(d, s);
        if (!noSext) d.id = 0;
        zext32To64(d);
        regBoundsSync(d);
      } else {
        movsx(env, d, s, ins.off, false);
      }
    } else {
      assignReg(d, constImmReg(is64 ? ins.imm : ins.imm >>> 0));
    }
    return;
  }
  if (srcBit(ins.code) === Src.X) checkRegArg(env, ins.src, RegUse.SRC_OP);
  checkRegArg(env, ins.dst, RegUse.SRC_OP);
  if ((o === AluOp.DIV || o === AluOp.MOD) && srcBit(ins.code) === Src.K && ins.imm === 0) reject(env, 'div by zero');
  if ((o === AluOp.LSH || o === AluOp.RSH || o === AluOp.ARSH) && srcBit(ins.code) === Src.K) {
    const bits = is64 ? 64 : 32;
    if (ins.imm < 0 || ins.imm >= bits) reject(env, `invalid shift ${ins.imm}`);
  }
  checkRegArg(env, ins.dst, RegUse.DST_OP_NO_MARK);
  adjustRegMinMaxVals(env, ins, o, is64);
}

/** Sign-extending register move (movsx): the kernel's coerce_reg_to_size_sx on a copy. */
function movsx(env: Env, d: RegState, s: RegState, offBits: number, is64: boolean): void {
  // a copy that sign extension cannot change stays linked to its source
  const noSext = s.umax < 1n << BigInt(offBits - 1);
  if (noSext) assignScalarIdBeforeMov(env, s);
  assignReg(d, s);
  if (!noSext) {
    d.id = 0;
    d.off = 0;
    d.addConst = 0;
  }
  if (is64) {
    signExtend64(d, offBits);
    return;
  }
  signExtend32(d, offBits);
  zext32To64(d);
  regBoundsSync(d);
}

/**
 * coerce_reg_to_size_sx: the signed range survives when the bits above the
 * narrow width agree at both ends and the narrowed ends have one sign;
 * otherwise the narrow type's full signed range.
 */
function signExtend64(d: ScalarBounds, bits: number): void {
  const width = BigInt(bits);
  if (tnumIsConst(d.varOff)) {
    setKnown(d, BigInt.asIntN(bits, d.varOff.value));
    return;
  }
  const top = (v: bigint): bigint => BigInt.asUintN(64, v) >> width;
  if (top(d.smax) === top(d.smin)) {
    const a = BigInt.asIntN(bits, d.smax);
    const b = BigInt.asIntN(bits, d.smin);
    const hi = a > b ? a : b;
    const lo = a < b ? a : b;
    if (hi >= 0n === lo >= 0n) {
      d.smin = d.s32min = lo;
      d.smax = d.s32max = hi;
      d.umin = BigInt.asUintN(64, lo);
      d.umax = BigInt.asUintN(64, hi);
      d.u32min = BigInt.asUintN(32, lo);
      d.u32max = BigInt.asUintN(32, hi);
      d.varOff = tnumRange(d.umin, d.umax);
      return;
    }
  }
  d.smin = d.s32min = -(1n << (width - 1n));
  d.smax = d.s32max = (1n << (width - 1n)) - 1n;
  d.umin = d.u32min = 0n;
  d.umax = U64_MAX;
  d.u32max = U32_MAX;
  d.varOff = TNUM_UNKNOWN;
}

/** coerce_subreg_to_size_sx: the same rule on the 32-bit view. */
function signExtend32(d: ScalarBounds, bits: number): void {
  const width = BigInt(bits);
  if (tnumIsConst(d.varOff)) {
    const v = BigInt.asIntN(bits, d.varOff.value);
    d.varOff = tnumConst(v);
    d.s32min = d.s32max = BigInt.asIntN(32, v);
    d.u32min = d.u32max = BigInt.asUintN(32, v);
    return;
  }
  const top = (v: bigint): bigint => BigInt.asUintN(32, v) >> width;
  if (top(d.s32max) === top(d.s32min)) {
    const a = BigInt.asIntN(bits, d.s32max);
    const b = BigInt.asIntN(bits, d.s32min);
    const hi = a > b ? a : b;
    const lo = a < b ? a : b;
    if (hi >= 0n === lo >= 0n) {
      d.s32min = lo;
      d.s32max = hi;
      d.u32min = BigInt.asUintN(32, lo);
      d.u32max = BigInt.asUintN(32, hi);
      d.varOff = tnumSubreg(tnumRange(BigInt.asUintN(64, lo), BigInt.asUintN(64, hi)));
      return;
    }
  }
  d.s32min = -(1n << (width - 1n));
  d.s32max = (1n << (width - 1n)) - 1n;
  d.u32min = 0n;
  d.u32max = U32_MAX;
  d.varOff = tnumSubreg(TNUM_UNKNOWN);
}

/** assign_scalar_id_before_mov: link the copy to its source so a later branch refines both. */
function assignScalarIdBeforeMov(env: Env, s: RegState): void {
  if (s.type !== 'scalar') return;
  if (s.addConst) {
    // a copy cannot keep the "id + off" link; start a new one
    s.id = 0;
    s.off = 0;
    s.addConst = 0;
  }
  if (!s.id && !tnumIsConst(s.varOff)) s.id = nextId(env);
}

function byteSwapConst(v: bigint, bits: number, swap: boolean): bigint {
  const width = BigInt(bits);
  const lowBits = v & ((1n << width) - 1n);
  if (!swap) return lowBits;
  let out = 0n;
  for (let i = 0n; i < width / 8n; i++) out = (out << 8n) | ((lowBits >> (i * 8n)) & 0xffn);
  return out;
}

/** adjust_reg_min_max_vals: route to pointer or scalar arithmetic. */
function adjustRegMinMaxVals(env: Env, ins: Insn, o: number, is64: boolean): void {
  const rs = regs(env);
  const d = rs[ins.dst];
  const ptr = d.type !== 'scalar' ? d : null;
  let src: RegState;
  if (srcBit(ins.code) === Src.X) {
    src = rs[ins.src];
    if (src.type !== 'scalar') {
      if (d.type !== 'scalar') {
        if (o === AluOp.SUB) {
          markUnknown(d);
          return;
        }
        reject(env, `R${ins.dst} pointer ${ALU_STRING[o]} pointer prohibited`);
      }
      // scalar += pointer: the result is the pointer moved by the scalar
      markChainPrecision(env, ins.dst);
      adjustPtrMinMaxVals(env, ins, o, is64, src, d, true);
      return;
    }
    if (ptr) {
      // the scalar's range becomes the pointer's offset range
      markChainPrecision(env, ins.src);
      adjustPtrMinMaxVals(env, ins, o, is64, ptr, src, false);
      return;
    }
  } else {
    src = constImmReg(ins.imm);
    if (ptr) {
      adjustPtrMinMaxVals(env, ins, o, is64, ptr, src, false);
      return;
    }
  }
  const dstFit32 = d.umax <= U32_MAX;
  scalarAlu(env, d, src, o, is64);
  trackAddConst(d, src, o, is64, srcBit(ins.code) === Src.X && ins.src === ins.dst, dstFit32);
}

/**
 * Linked scalars through constant offsets (BPF_ADD_CONST64/32): after
 * `r1 = r2; r1 += 4` (or `w1 -= 4`), a branch on r2 also refines r1.
 * Otherwise the result no longer shares its id with anything (clear_scalar_id).
 * 6.18 keeps one delta only, a signed 32-bit one; a 32-bit add links only a
 * value that fitted in 32 bits before it, because the add then zero-extends.
 */
function trackAddConst(d: RegState, s: RegState, o: number, is64: boolean, sameReg: boolean, dstFit32: boolean): void {
  const keep =
    (o === AluOp.ADD || o === AluOp.SUB) && d.id !== 0 && !d.addConst && s.type === 'scalar' && !sameReg &&
    (is64 ? tnumIsConst(s.varOff) : tnumSubregIsConst(s.varOff) && dstFit32);
  if (keep) {
    const v = is64 ? BigInt.asIntN(64, s.varOff.value) : BigInt.asIntN(32, s.varOff.value);
    // -S32_MIN has no s32; a 64-bit constant outside s32 has no delta
    const off = o === AluOp.ADD ? v : -v;
    if (v >= -0x80000000n && v <= 0x7fffffffn && off >= -0x80000000n && off <= 0x7fffffffn) {
      d.addConst = is64 ? 64 : 32;
      d.off = Number(off);
      return;
    }
  }
  d.id = 0;
  d.off = 0;
  d.addConst = 0;
}

/** is_safe_to_compute_dst_reg_range */
function rangeComputable(o: number, src: ScalarBounds, is64: boolean): boolean {
  switch (o) {
    case AluOp.ADD:
    case AluOp.SUB:
    case AluOp.AND:
    case AluOp.OR:
    case AluOp.XOR:
    case AluOp.MUL:
      return true;
    case AluOp.LSH:
    case AluOp.RSH:
    case AluOp.ARSH: {
      const isConst = is64
        ? tnumIsConst(src.varOff) && src.smin === src.smax && src.umin === src.umax
        : tnumSubregIsConst(src.varOff) && src.s32min === src.s32max && src.u32min === src.u32max;
      return isConst && src.umax < (is64 ? 64n : 32n);
    }
    default:
      return false;
  }
}

/** adjust_scalar_min_max_vals */
export function scalarAlu(env: Env, d: RegState, s: ScalarBounds, o: number, is64: boolean): void {
  if (!rangeComputable(o, s, is64)) {
    // the kernel returns before its zero-extension step: even a 32-bit
    // division leaves the whole 64-bit register unknown
    markUnknown(d);
    return;
  }
  if (tnumIsConst(d.varOff) && tnumIsConst(s.varOff)) {
    // Constant operands: every tracked view collapses to the exact result, so
    // compute it once instead of running the range arithmetic (a speed path;
    // the kernel's longer route ends in the same constant).
    setKnown(d, constAlu(o, d.varOff.value, s.varOff.value, is64));
    return;
  }
  switch (o) {
    case AluOp.ADD:
      ops.add32(d, s);
      ops.add64(d, s);
      d.varOff = tnumAdd(d.varOff, s.varOff);
      break;
    case AluOp.SUB:
      ops.sub32(d, s);
      ops.sub64(d, s);
      d.varOff = tnumSub(d.varOff, s.varOff);
      break;
    case AluOp.MUL:
      d.varOff = tnumMul(d.varOff, s.varOff);
      ops.mul32(d, s);
      ops.mul64(d, s);
      break;
    case AluOp.AND:
    case AluOp.OR:
    case AluOp.XOR: {
      const name = o === AluOp.AND ? 'and' : o === AluOp.OR ? 'or' : 'xor';
      d.varOff = o === AluOp.AND ? tnumAnd(d.varOff, s.varOff) : o === AluOp.OR ? tnumOr(d.varOff, s.varOff) : tnumXor(d.varOff, s.varOff);
      // the kernel tests "known" after applying the tnum operation
      ops.bitop32(name, d, s, ops.isKnown32(s), ops.isKnown32(d));
      ops.bitop64(name, d, s, ops.isKnown64(s), ops.isKnown64(d));
      break;
    }
    case AluOp.LSH:
      if (is64) ops.lsh64(d, s);
      else ops.lsh32(d, s);
      break;
    case AluOp.RSH:
      if (is64) ops.rsh64(d, s);
      else ops.rsh32(d, s);
      break;
    case AluOp.ARSH:
      if (is64) ops.arsh64(d, s);
      else ops.arsh32(d, s);
      break;
  }
  if (!is64) zext32To64(d);
  regBoundsSync(d);
}

/** The result of a range-computable ALU op on two constants (32-bit ops zero-extend). */
function constAlu(o: number, a: bigint, b: bigint, is64: boolean): bigint {
  const bits = is64 ? 64 : 32;
  // (u64/u32 return in-range values without allocating)
  const x = is64 ? u64(a) : u32(a);
  const y = is64 ? u64(b) : u32(b);
  let r: bigint;
  switch (o) {
    case AluOp.ADD: r = x + y; break;
    case AluOp.SUB: r = x - y; break;
    case AluOp.MUL: r = x * y; break;
    case AluOp.AND: r = x & y; break;
    case AluOp.OR: r = x | y; break;
    case AluOp.XOR: r = x ^ y; break;
    case AluOp.LSH: r = x << y; break;
    case AluOp.RSH: r = x >> y; break;
    default: r = BigInt.asIntN(bits, x) >> y; break; // ARSH
  }
  return is64 ? u64(r) : u32(r);
}

/** check_reg_sane_offset */
function checkRegSaneOffset(env: Env, r: RegState, typeName: string): void {
  const known = tnumIsConst(r.varOff);
  const val = BigInt.asIntN(64, r.varOff.value);
  const lim = BigInt(BPF_MAX_VAR_OFF);
  if (known && (val >= lim || val <= -lim)) reject(env, `math between ${typeName} pointer and ${val} is not allowed`);
  if (r.off >= BPF_MAX_VAR_OFF || r.off <= -BPF_MAX_VAR_OFF) reject(env, `${typeName} pointer offset ${r.off} is not allowed`);
  if (r.smin === S64_MIN) reject(env, `math between ${typeName} pointer and register with unbounded min value is not allowed`);
  if (r.smin >= lim || r.smin <= -lim) reject(env, `value ${r.smin} makes ${typeName} pointer be out of bounds`);
}

const fitsS32 = (v: number): boolean => v === (v | 0);

/**
 * adjust_ptr_min_max_vals: pointer plus/minus scalar. `dstIsOff` marks the
 * `scalar += pointer` form, where dst is the scalar operand.
 */
function adjustPtrMinMaxVals(env: Env, ins: Insn, o: number, is64: boolean, ptr: RegState, offReg: RegState, dstIsOff: boolean): void {
  const d = regs(env)[ins.dst];
  const known = tnumIsConst(offReg.varOff);
  const sminVal = offReg.smin;
  const smaxVal = offReg.smax;
  if ((known && (sminVal !== smaxVal || offReg.umin !== offReg.umax)) || sminVal > smaxVal || offReg.umin > offReg.umax) {
    markUnknown(d);
    return;
  }
  if (!is64) {
    if (o === AluOp.SUB) {
      markUnknown(d);
      return;
    }
    reject(env, `R${ins.dst} 32-bit pointer arithmetic prohibited`);
  }
  if (ptr.maybeNull) reject(env, `R${ins.dst} pointer arithmetic on ${regTypeName(ptr)} prohibited, null-check it first`);
  switch (ptr.type) {
    case 'ctx':
    case 'map_value':
    case 'map_key':
    case 'stack':
    case 'pkt_meta':
    case 'pkt':
    case 'mem':
    case 'func':
      break;
    case 'map_ptr':
      if (known && sminVal === 0n && o === AluOp.ADD) break;
      reject(env, `R${ins.dst} pointer arithmetic on ${regTypeName(ptr)} prohibited`);
      break;
    default:
      reject(env, `R${ins.dst} pointer arithmetic on ${regTypeName(ptr)} prohibited`);
  }
  const typeName = regTypeName(ptr);
  checkRegSaneOffset(env, offReg, typeName);
  checkRegSaneOffset(env, ptr, typeName);
  const p = copyReg(ptr);
  const result = copyReg(ptr);
  set32Unbounded(result);
  switch (o) {
    case AluOp.ADD: {
      if (known && fitsS32(p.off + Number(sminVal))) {
        result.off = p.off + Number(sminVal);
        break;
      }
      ops.add64(result, offReg);
      result.varOff = tnumAdd(p.varOff, offReg.varOff);
      if (isPktPointer(p)) {
        result.id = nextId(env);
        result.range = 0;
      }
      break;
    }
    case AluOp.SUB: {
      if (dstIsOff) reject(env, `R${ins.dst} tried to subtract pointer from scalar`);
      if (p.type === 'stack') reject(env, `R${ins.dst} subtraction from stack pointer prohibited`);
      if (known && fitsS32(p.off - Number(sminVal))) {
        result.off = p.off - Number(sminVal);
        break;
      }
      ops.sub64(result, offReg);
      result.varOff = tnumSub(p.varOff, offReg.varOff);
      if (isPktPointer(p)) {
        result.id = nextId(env);
        if (sminVal < 0n) result.range = 0;
      }
      break;
    }
    case AluOp.AND:
    case AluOp.OR:
    case AluOp.XOR:
      reject(env, `R${ins.dst} bitwise operator ${ALU_STRING[o]} on pointer prohibited`);
      break;
    default:
      reject(env, `R${ins.dst} pointer arithmetic with ${ALU_STRING[o]} operator prohibited`);
  }
  checkRegSaneOffset(env, result, typeName);
  regBoundsSync(result);
  assignReg(d, result);
}
