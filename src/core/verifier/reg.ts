/**
 * Abstract register state (struct bpf_reg_state). `type` discriminates the
 * kind of value; scalars use the bounds, pointers use the bounds for their
 * variable offset (var_off) and `off` for the fixed one.
 */
import { S32_MAX, S32_MIN, S64_MAX, S64_MIN, ScalarBounds, setKnown, setUnbounded } from './bounds.ts';
import { TNUM_UNKNOWN, U32_MAX, U64_MAX, tnumIsConst } from './tnum.ts';

export type RegType =
  | 'not_init'
  | 'scalar'
  | 'ctx'
  | 'map_ptr'
  | 'map_value'
  | 'map_key'
  | 'stack'
  | 'pkt'
  | 'pkt_meta'
  | 'pkt_end'
  | 'mem'
  /** PTR_TO_SOCK_COMMON: __sk_buff->sk (a struct bpf_sock_common) */
  | 'sock_common'
  | 'func';

export interface RegState extends ScalarBounds {
  type: RegType;
  /** PTR_MAYBE_NULL: a pointer that must be NULL-checked before use */
  maybeNull: boolean;
  /** MEM_RDONLY */
  rdonly: boolean;
  /** MEM_RINGBUF (mem from bpf_ringbuf_reserve) */
  ringbuf: boolean;
  /** fixed offset of a pointer */
  off: number;
  /** links registers holding the same value (scalars) or the same maybe-NULL pointer */
  id: number;
  /** id of the acquired reference this pointer carries (ringbuf reservations) */
  refObjId: number;
  /** packet pointers: bytes known to be in bounds after `off` */
  range: number;
  /** map pointers/values: index into ProgramSpec.maps */
  mapIndex: number;
  /** PTR_TO_MEM size */
  memSize: number;
  /** PTR_TO_STACK: which call frame the pointer points into */
  frameno: number;
  /** the scalar's exact value matters to a verification decision (mark_chain_precision) */
  precise: boolean;
  /** sub-program index for PTR_TO_FUNC */
  subprog: number;
  /**
   * BPF_ADD_CONST64 / BPF_ADD_CONST32: this scalar is its linked id's value
   * plus `off`, added in 64 bits (64) or in the low 32 bits then zero-extended
   * (32); 0 = a plain link.
   */
  addConst: AddConst;
}

/** Width of the `id + off` link: 0 = none. */
export type AddConst = 0 | 32 | 64;

export type ScalarReg = RegState & { type: 'scalar' };
export type PointerReg = RegState & { type: Exclude<RegType, 'scalar' | 'not_init'> };

/**
 * Written out field by field rather than spreading unboundedBounds(): a spread
 * literal gets a different hidden class from the other register objects and
 * made every register access polymorphic (verification ran ~50x slower).
 */
export function notInitReg(): RegState {
  return {
    varOff: TNUM_UNKNOWN,
    umin: 0n,
    umax: U64_MAX,
    smin: S64_MIN,
    smax: S64_MAX,
    u32min: 0n,
    u32max: U32_MAX,
    s32min: S32_MIN,
    s32max: S32_MAX,
    type: 'not_init',
    maybeNull: false,
    rdonly: false,
    ringbuf: false,
    off: 0,
    id: 0,
    refObjId: 0,
    range: 0,
    mapIndex: -1,
    memSize: 0,
    frameno: 0,
    precise: false,
    subprog: 0,
    addConst: 0,
  };
}

/** __mark_reg_not_init, in place (hot: avoids allocating). */
export function resetReg(r: RegState): void {
  setUnbounded(r);
  r.type = 'not_init';
  r.maybeNull = false;
  r.rdonly = false;
  r.ringbuf = false;
  r.off = 0;
  r.id = 0;
  r.refObjId = 0;
  r.range = 0;
  r.mapIndex = -1;
  r.memSize = 0;
  r.frameno = 0;
  r.precise = false;
  r.subprog = 0;
  r.addConst = 0;
}

/** __mark_reg_unknown: any 64-bit value. */
export function markUnknown(r: RegState): void {
  resetReg(r);
  r.type = 'scalar';
}

/** __mark_reg_known on a scalar. */
export function markKnown(r: RegState, v: bigint): void {
  resetReg(r);
  r.type = 'scalar';
  setKnown(r, v);
}

/** A pointer of `type` with zero offsets. */
export function markPointer(r: RegState, type: RegType): void {
  resetReg(r);
  r.type = type;
  setKnown(r, 0n);
}

/** A copy with every field spelled out: one object shape for the JIT, and state copies are the hottest allocation. */
export function copyReg(r: RegState): RegState {
  return {
    varOff: r.varOff,
    umin: r.umin,
    umax: r.umax,
    smin: r.smin,
    smax: r.smax,
    u32min: r.u32min,
    u32max: r.u32max,
    s32min: r.s32min,
    s32max: r.s32max,
    type: r.type,
    maybeNull: r.maybeNull,
    rdonly: r.rdonly,
    ringbuf: r.ringbuf,
    off: r.off,
    id: r.id,
    refObjId: r.refObjId,
    range: r.range,
    mapIndex: r.mapIndex,
    memSize: r.memSize,
    frameno: r.frameno,
    precise: r.precise,
    subprog: r.subprog,
    addConst: r.addConst,
  };
}

/**
 * Overwrite `d` with `s` field by field: what `Object.assign(d, copyReg(s))`
 * did, without the temporary register or the generic property copy.
 */
export function assignReg(d: RegState, s: RegState): void {
  d.varOff = s.varOff;
  d.umin = s.umin;
  d.umax = s.umax;
  d.smin = s.smin;
  d.smax = s.smax;
  d.u32min = s.u32min;
  d.u32max = s.u32max;
  d.s32min = s.s32min;
  d.s32max = s.s32max;
  d.type = s.type;
  d.maybeNull = s.maybeNull;
  d.rdonly = s.rdonly;
  d.ringbuf = s.ringbuf;
  d.off = s.off;
  d.id = s.id;
  d.refObjId = s.refObjId;
  d.range = s.range;
  d.mapIndex = s.mapIndex;
  d.memSize = s.memSize;
  d.frameno = s.frameno;
  d.precise = s.precise;
  d.subprog = s.subprog;
  d.addConst = s.addConst;
}

const constRegs = new Map<number, RegState>();

/**
 * The known scalar an instruction's immediate stands for (the kernel builds
 * it on the stack for every BPF_K operand). Shared and cached: callers must
 * only read it — copyReg it first to refine it. Building one per instruction
 * was a large share of the verifier's allocations.
 */
export function constImmReg(imm: number): RegState {
  let r = constRegs.get(imm);
  if (r) return r;
  if (constRegs.size >= 4096) constRegs.clear();
  r = notInitReg();
  markKnown(r, BigInt(imm));
  constRegs.set(imm, r);
  return r;
}

export const isPointer = (r: RegState): boolean => r.type !== 'scalar' && r.type !== 'not_init';
export const isPktPointer = (r: RegState): boolean => r.type === 'pkt' || r.type === 'pkt_meta';
export const isConstScalar = (r: RegState): boolean => r.type === 'scalar' && tnumIsConst(r.varOff);
export const isScalarZero = (r: RegState): boolean => isConstScalar(r) && r.varOff.value === 0n;

const REG_TYPE_BASE: Readonly<Record<RegType, string>> = {
  not_init: '?',
  scalar: 'scalar',
  ctx: 'ctx',
  map_ptr: 'map_ptr',
  map_value: 'map_value',
  map_key: 'map_key',
  stack: 'fp',
  pkt: 'pkt',
  pkt_meta: 'pkt_meta',
  pkt_end: 'pkt_end',
  mem: 'mem',
  sock_common: 'sock_common',
  func: 'func',
};

/** reg_type_str: the kernel's name of a register type, with prefixes and suffixes. */
export function regTypeName(r: Pick<RegState, 'type' | 'maybeNull' | 'rdonly' | 'ringbuf'>): string {
  // (most names are the bare base name: no string to build)
  if (!r.rdonly && !r.ringbuf && !r.maybeNull) return REG_TYPE_BASE[r.type];
  return `${r.rdonly ? 'rdonly_' : ''}${r.ringbuf ? 'ringbuf_' : ''}${REG_TYPE_BASE[r.type]}${r.maybeNull ? '_or_null' : ''}`;
}
