/**
 * Memory access checks (check_mem_access and the per-pointer-kind checks it
 * calls: check_ctx_access, check_packet_access, check_map_access,
 * check_mem_region_access, check_stack_access_within_bounds,
 * check_ptr_alignment), with the kernel's messages.
 */
import { BPF_F_RDONLY_PROG } from '../program.ts';
import { S64_MIN, ScalarBounds, regBoundsSync, set32Unbounded, s64 } from './bounds.ts';
import { ctxAccess, mayWritePacket } from './ctx.ts';
import { Env, reject, regs } from './env.ts';
import { RegState, markKnown, markPointer, markUnknown, regTypeName } from './reg.ts';
import { rdonlyMapConstant } from './rdonly-map.ts';
import { stackReadFixed, stackReadVar, stackWriteFixed, stackWriteVar } from './stack.ts';
import { FuncState } from './state.ts';
import { tnumAdd, tnumCast, tnumConst, tnumIsAligned, tnumIsConst, tnumToString } from './tnum.ts';

export const BPF_MAX_VAR_OFF = 1 << 29;
const MAX_BPF_STACK = 512;

export type Access = 'read' | 'write';

/** __check_mem_access: prints the region-specific message, returns false when out of bounds. */
function memInBounds(env: Env, regno: number, off: number, size: number, memSize: number, zeroOk: boolean): string | null {
  const sizeOk = size > 0 || (size === 0 && zeroOk);
  if (off >= 0 && sizeOk && off + size <= memSize) return null;
  const r = regs(env)[regno];
  switch (r.type) {
    case 'map_key':
      return `invalid access to map key, key_size=${memSize} off=${off} size=${size}`;
    case 'map_value':
      return `invalid access to map value, value_size=${memSize} off=${off} size=${size}`;
    case 'pkt':
    case 'pkt_meta':
    case 'pkt_end':
      return `invalid access to packet, off=${off} size=${size}, R${regno}(id=${r.id},off=${off},r=${memSize})`;
    default:
      return `invalid access to memory, mem_size=${memSize} off=${off} size=${size}`;
  }
}

/** check_mem_region_access: fixed offset `off` plus the register's variable offset. */
export function checkMemRegion(env: Env, regno: number, off: number, size: number, memSize: number, zeroOk: boolean): void {
  const r = regs(env)[regno];
  const sminOff = r.smin + BigInt(off);
  if (r.smin < 0n && (r.smin === S64_MIN || sminOff !== BigInt.asIntN(32, sminOff) || sminOff < 0n)) {
    reject(env, `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
  }
  const lo = memInBounds(env, regno, Number(sminOff), size, memSize, zeroOk);
  if (lo) reject(env, lo, `R${regno} min value is outside of the allowed memory range`);
  if (r.umax >= BigInt(BPF_MAX_VAR_OFF)) {
    reject(env, `R${regno} unbounded memory access, make sure to bounds check any such access`);
  }
  const hi = memInBounds(env, regno, Number(r.umax) + off, size, memSize, zeroOk);
  if (hi) reject(env, hi, `R${regno} max value is outside of the allowed memory range`);
}

/** check_packet_access */
function checkPacketAccess(env: Env, regno: number, off: number, size: number, zeroOk: boolean): void {
  const r = regs(env)[regno];
  if (r.smin < 0n) reject(env, `R${regno} min value is negative, either use unsigned index or do a if (index >=0) check.`);
  const msg = r.range < 0 ? '' : memInBounds(env, regno, off, size, r.range, zeroOk);
  if (msg !== null) {
    if (msg) reject(env, msg, `R${regno} offset is outside of the packet`);
    reject(env, `R${regno} offset is outside of the packet`);
  }
}

/** check_ptr_off_reg / __check_ptr_off_reg */
export function checkPtrOffReg(env: Env, r: RegState, regno: number, fixedOffOk: boolean): void {
  if (r.off < 0) reject(env, `negative offset ${regTypeName(r)} ptr R${regno} off=${r.off} disallowed`);
  if (!fixedOffOk && r.off) reject(env, `dereference of modified ${regTypeName(r)} ptr R${regno} off=${r.off} disallowed`);
  if (!tnumIsConst(r.varOff) || r.varOff.value !== 0n) {
    reject(env, `variable ${regTypeName(r)} access var_off=${tnumToString(r.varOff)} disallowed`);
  }
}

/** check_ptr_alignment: only stack accesses are strict for root on x86-64. */
function checkAlignment(env: Env, r: RegState, off: number, size: number): void {
  if (r.type !== 'stack') return;
  // nearly every stack pointer is fp plus a constant: test the low bits of that
  // number (two's complement, as the 64-bit sum has them) without building tnums
  const aligned = r.varOff.mask === 0n && r.varOff.value === 0n && size > 0 && size <= 0x40000000
    ? ((r.off + off) & (size - 1)) === 0
    : tnumIsAligned(tnumAdd(r.varOff, tnumConst(BigInt(r.off + off))), size);
  if (!aligned) {
    reject(env, `misaligned stack access off ${tnumToString(r.varOff)}+${r.off}+${off} size ${size}`);
  }
}

/** check_stack_access_within_bounds; returns the [min, max] byte offsets accessed. */
function stackBounds(env: Env, regno: number, off: number, size: number, access: Access | 'helper'): { min: number; max: number } {
  const r = regs(env)[regno];
  const what = access === 'write' ? ' write to' : access === 'read' ? ' read from' : ' indirect access to';
  let min: number;
  let max: number;
  if (tnumIsConst(r.varOff)) {
    min = Number(s64(r.varOff.value)) + off;
    max = min;
  } else {
    if (r.smax >= BigInt(BPF_MAX_VAR_OFF) || r.smin <= -BigInt(BPF_MAX_VAR_OFF)) {
      reject(env, `invalid unbounded variable-offset${what} stack R${regno}`);
    }
    min = Number(r.smin) + off;
    max = Number(r.smax) + off;
  }
  const bad = min < -MAX_BPF_STACK || max + size > 0 || (size === 0 && access !== 'helper');
  if (bad) {
    if (tnumIsConst(r.varOff)) reject(env, `invalid${what} stack R${regno} off=${off} size=${size}`);
    reject(env, `invalid variable-offset${what} stack R${regno} var_off=${tnumToString(r.varOff)} off=${off} size=${size}`);
  }
  return { min, max };
}

/** The frame a stack pointer points into. */
export function stackFrameOf(env: Env, r: RegState): FuncState {
  return env.cur.frames[r.frameno] ?? env.cur.frames[env.cur.frames.length - 1];
}

/** coerce_reg_to_size: keep the low `size` bytes of a scalar (zero-extending). */
export function coerceRegToSize(r: ScalarBounds, size: number): void {
  r.varOff = tnumCast(r.varOff, size);
  const mask = (1n << BigInt(size * 8)) - 1n;
  if ((r.umin & ~mask) === (r.umax & ~mask)) {
    r.umin &= mask;
    r.umax &= mask;
  } else {
    r.umin = 0n;
    r.umax = mask;
  }
  r.smin = r.umin;
  r.smax = r.umax;
  if (size < 4) set32Unbounded(r);
  regBoundsSync(r);
}

/** coerce_reg_to_size_sx for loads (the loaded value is unknown): a signed range of `size` bytes. */
function signExtendUnknown(r: RegState, size: number): void {
  const bits = BigInt(size * 8);
  markUnknown(r);
  r.smin = -(1n << (bits - 1n));
  r.smax = (1n << (bits - 1n)) - 1n;
  r.s32min = r.smin;
  r.s32max = r.smax;
  regBoundsSync(r);
}

/**
 * check_mem_access: a load (access 'read', result into regs[valueRegno]) or a
 * store (of regs[valueRegno], or the immediate when valueRegno is -1).
 */
export function checkMemAccess(
  env: Env,
  regno: number,
  insnOff: number,
  size: number,
  access: Access,
  valueRegno: number,
  imm: number,
  signExtend: boolean,
): void {
  const rs = regs(env);
  const r = rs[regno];
  checkAlignment(env, r, insnOff, size);
  const off = insnOff + r.off;
  const value = valueRegno >= 0 ? rs[valueRegno] : null;
  let dst: RegState | null = access === 'read' && valueRegno >= 0 ? rs[valueRegno] : null;
  if (r.maybeNull || r.type === 'scalar' || r.type === 'not_init' || r.type === 'pkt_end' || r.type === 'map_ptr' || r.type === 'func') {
    reject(env, `R${regno} invalid mem access '${regTypeName(r)}'`);
  }
  switch (r.type) {
    case 'map_value': {
      const m = env.maps[r.mapIndex];
      // bpf_map_flags_to_cap: BPF_F_RDONLY_PROG, not freezing (which only stops user space), takes the write right
      if (access === 'write' && (r.rdonly || (m && m.flags & BPF_F_RDONLY_PROG))) {
        reject(env, `write into map forbidden, value_size=${m?.valueSize ?? 0} off=${off} size=${size}`);
      }
      checkMemRegion(env, regno, off, size, m?.valueSize ?? 0, false);
      if (dst) {
        const known = m && tnumIsConst(r.varOff) ? rdonlyMapConstant(m, off + Number(r.varOff.value), size) : null;
        if (known === null) markUnknown(dst);
        else markKnown(dst, known);
      }
      break;
    }
    case 'map_key': {
      if (access === 'write') reject(env, `write to change key R${regno} not allowed`);
      checkMemRegion(env, regno, off, size, env.maps[r.mapIndex]?.keySize ?? 0, false);
      if (dst) markUnknown(dst);
      break;
    }
    case 'mem': {
      if (access === 'write' && r.rdonly) reject(env, `R${regno} cannot write into ${regTypeName(r)}`);
      checkMemRegion(env, regno, off, size, r.memSize, false);
      if (dst) markUnknown(dst);
      break;
    }
    case 'ctx': {
      checkPtrOffReg(env, r, regno, false);
      // a sign-extending load may read scalar fields only: a pointer field (data, data_end) is refused
      const found = ctxAccess(env.progType, off, size, access === 'write');
      const a = found && signExtend && found.result !== 'scalar' ? null : found;
      if (!a) reject(env, `invalid bpf_context access off=${off} size=${size}`);
      if (dst) {
        if (a.result === 'scalar') markUnknown(dst);
        else {
          markPointer(dst, a.result);
          if (a.maybeNull) {
            dst.maybeNull = true;
            dst.id = ++env.idGen;
          }
        }
      }
      break;
    }
    case 'stack': {
      const { min, max } = stackBounds(env, regno, off, size, access);
      const f = stackFrameOf(env, r);
      if (access === 'write') {
        if (min === max) stackWriteFixed(env, f, min, size, value, imm);
        else stackWriteVar(env, f, min, max, size, value, imm);
      } else if (min === max) {
        stackReadFixed(env, f, min, size, dst);
      } else {
        stackReadVar(env, f, min, max, size, dst);
      }
      break;
    }
    case 'pkt':
    case 'pkt_meta': {
      if (access === 'write' && !mayWritePacket(env.progType)) reject(env, 'cannot write into packet');
      checkPacketAccess(env, regno, off, size, false);
      if (dst) markUnknown(dst);
      break;
    }
    case 'sock_common':
      // check_sock_access (the bpf_sock_common fields) is not modelled: say so rather than guess the kernel's answer
      reject(env, `bpfiddle cannot verify R${regno} access through a socket pointer (struct bpf_sock_common) yet`);
      break;
    default:
      reject(env, `R${regno} invalid mem access '${regTypeName(r)}'`);
  }
  dst = access === 'read' && valueRegno >= 0 ? rs[valueRegno] : null;
  if (dst && size < 8 && dst.type === 'scalar') {
    if (signExtend) signExtendUnknownOrCoerce(dst, size);
    else coerceRegToSize(dst, size);
  }
}

function signExtendUnknownOrCoerce(r: RegState, size: number): void {
  if (tnumIsConst(r.varOff)) {
    const bits = size * 8;
    const v = BigInt.asIntN(bits, r.varOff.value);
    r.varOff = tnumConst(v);
    r.umin = r.umax = BigInt.asUintN(64, v);
    r.smin = r.smax = v;
    r.u32min = r.u32max = BigInt.asUintN(32, v);
    r.s32min = r.s32max = BigInt.asIntN(32, v);
    return;
  }
  signExtendUnknown(r, size);
}
