/**
 * Text of abstract values as the kernel's log prints them
 * (kernel/bpf/log.c: print_reg_state, print_scalar_ranges, print_verifier_state).
 */
import { S32_MAX, S32_MIN, S64_MAX, S64_MIN } from './bounds.ts';
import type { MapSpec } from '../program.ts';
import { RegState, regTypeName } from './reg.ts';
import { FuncState, Slot } from './state.ts';
import { U32_MAX, U64_MAX, hexOrZero, tnumIsConst, tnumIsUnknown, tnumToString } from './tnum.ts';

/** verbose_unum: decimal up to U16_MAX, hex above. */
export function unum(v: bigint): string {
  const u = BigInt.asUintN(64, v);
  return u <= 0xffffn ? u.toString() : hexOrZero(u);
}

/** verbose_snum: decimal within S16 range, otherwise the 64-bit pattern in hex. */
export function snum(v: bigint): string {
  const s = BigInt.asIntN(64, v);
  return s >= -32768n && s <= 32767n ? s.toString() : hexOrZero(BigInt.asUintN(64, s));
}

const isSnumDecimal = (v: bigint): boolean => v >= -32768n && v <= 32767n;

function scalarRanges(r: RegState, parts: string[]): void {
  const mm: { name: string; val: bigint; omit: boolean }[] = [
    { name: 'smin', val: BigInt.asUintN(64, r.smin), omit: r.smin === S64_MIN },
    { name: 'smax', val: BigInt.asUintN(64, r.smax), omit: r.smax === S64_MAX },
    { name: 'umin', val: r.umin, omit: r.umin === 0n },
    { name: 'umax', val: r.umax, omit: r.umax === U64_MAX },
    {
      name: 'smin32',
      val: isSnumDecimal(r.s32min) ? BigInt.asUintN(64, r.s32min) : BigInt.asUintN(32, r.s32min),
      omit: r.s32min === S32_MIN,
    },
    {
      name: 'smax32',
      val: isSnumDecimal(r.s32max) ? BigInt.asUintN(64, r.s32max) : BigInt.asUintN(32, r.s32max),
      omit: r.s32max === S32_MAX,
    },
    { name: 'umin32', val: r.u32min, omit: r.u32min === 0n },
    { name: 'umax32', val: r.u32max, omit: r.u32max === U32_MAX },
  ];
  for (let i = 0; i < mm.length; i++) {
    const m1 = mm[i];
    if (m1.omit) continue;
    const neg1 = m1.name[0] === 's' && BigInt.asIntN(64, m1.val) < 0n;
    let text = `${m1.name}=`;
    for (let j = i + 2; j < mm.length; j += 2) {
      const m2 = mm[j];
      if (m2.omit || m2.val !== m1.val) continue;
      const neg2 = m2.name[0] === 's' && BigInt.asIntN(64, m2.val) < 0n;
      if (neg1 !== neg2) continue;
      m2.omit = true;
      text += `${m2.name}=`;
    }
    text += m1.name[0] === 's' ? snum(m1.val) : unum(m1.val);
    parts.push(text);
  }
}

/** print_reg_state */
export function formatReg(r: RegState, maps: readonly MapSpec[], frameno: number, precise = false): string {
  const t = r.type;
  // P: precision backtracking marked this scalar (only checkpoints carry marks)
  const p = t === 'scalar' && (precise || r.precise) ? 'P' : '';
  if (t === 'scalar' && tnumIsConst(r.varOff)) return p + snum(r.varOff.value);
  let out = p + regTypeName(r);
  if (t === 'stack') {
    if (r.frameno !== frameno) out += `[${r.frameno}]`;
    if (tnumIsConst(r.varOff)) return out + snum(r.varOff.value + BigInt(r.off));
  }
  const parts: string[] = [];
  if (r.id) parts.push(`id=${r.id}${r.addConst ? (r.off < 0 ? `${r.off}` : `+${r.off}`) : ''}`);
  if (r.refObjId) parts.push(`ref_obj_id=${r.refObjId}`);
  if (t === 'map_ptr' || t === 'map_value' || t === 'map_key') {
    const m = maps[r.mapIndex];
    if (m) {
      if (m.name) parts.push(`map=${m.name.slice(0, 15)}`);
      parts.push(`ks=${m.keySize},vs=${m.valueSize}`);
    }
  }
  if (t !== 'scalar' && r.off) parts.push(`off=${snum(BigInt(r.off))}`);
  if (t === 'pkt' || t === 'pkt_meta') parts.push(`r=${unum(BigInt(r.range))}`);
  if (t === 'mem') parts.push(`sz=${unum(BigInt(r.memSize))}`);
  if (tnumIsConst(r.varOff)) {
    if (r.varOff.value) parts.push(`imm=${snum(r.varOff.value)}`);
  } else {
    scalarRanges(r, parts);
    if (!tnumIsUnknown(r.varOff)) parts.push(`var_off=${tnumToString(r.varOff)}`);
  }
  return `${out}(${parts.join(',')})`;
}

const SLOT_CHAR = ['?', 'r', 'm', '0'];

/**
 * print_verifier_state: " R0=... fp-8=..." for the registers and stack
 * slots selected by `pick` (all of them when pick is null).
 */
export function formatFrame(
  f: FuncState,
  maps: readonly MapSpec[],
  pick: { regs: (i: number) => boolean; slot: (i: number) => boolean } | null,
  /** the state's acquired references, printed as " refs=2,5" */
  refs: readonly number[] = [],
): string {
  let out = f.frameno ? ` frame${f.frameno}:` : '';
  for (let i = 0; i < 11; i++) {
    const r = f.regs[i];
    if (r.type === 'not_init') continue;
    if (pick && !pick.regs(i)) continue;
    out += ` R${i}=${formatReg(r, maps, f.frameno)}`;
  }
  for (let i = 0; i < f.stack.length; i++) {
    if (pick && !pick.slot(i)) continue;
    const s = f.stack[i];
    if (s.types.every((t) => t === Slot.INVALID)) continue;
    let chars = s.types.map((t) => SLOT_CHAR[t]).join('');
    if (s.types[7] === Slot.SPILL) {
      const firstSpill = s.types.indexOf(Slot.SPILL);
      chars = chars.slice(0, firstSpill);
      out += ` fp${-(i + 1) * 8}=${chars}${formatReg(s.spilled, maps, f.frameno)}`;
    } else {
      out += ` fp${-(i + 1) * 8}=${chars}`;
    }
  }
  if (refs.length) out += ` refs=${refs.join(',')}`;
  if (f.inCallback) out += ' cb';
  return out;
}
