/**
 * One instruction in the LLVM/kernel pseudo-C assembly syntax the assembler
 * reads back (`r0 = *(u32 *)(r1 + 4)`, `if r1 > 0x5 goto +2`,
 * `r1 = map[counters] ll`). Every encoding this syntax cannot express
 * (reserved fields set, unknown opcodes) comes out as `.raw HEX`, so that
 * assembling the text always gives back the same bytes.
 */
import { helperById } from '../../isa/helpers.ts';
import { Insn, insnsToHex, ldImm64Value } from '../../isa/insn.ts';
import { AluOp, AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, Size, Src, cls, mode, op, size, srcBit } from '../../isa/opcodes.ts';
import { registerProblem, reservedFieldProblem, strictFieldProblem } from '../../isa/validate.ts';
import { ALU_OP_TEXT, ATOMIC_ALU, JMP_OP_TEXT, SIZE_NAME, SX_SIZE_NAME } from '../names.ts';
import { signedHex } from '../numbers.ts';

export interface AsmSyntaxContext {
  /** label to print for a jump/call target index, if any */
  labelAt?: (index: number) => string | undefined;
  /** name to print for map index `i` (must resolve back to `i`), if any */
  mapName?: (index: number) => string | undefined;
  /** names that are labels: a helper with such a name is printed by id */
  isLabelName?: (name: string) => boolean;
}

/** Slots taken by the instruction at `index` (2 for LD_IMM64). */
export function slotCount(insns: readonly Insn[], index: number): 1 | 2 {
  return insns[index]?.code === LD_IMM64_CODE && index + 1 < insns.length ? 2 : 1;
}

/** Assembly text of the instruction at `index` (both slots of an LD_IMM64). */
export function disasmAsmInsn(insns: readonly Insn[], index: number, ctx: AsmSyntaxContext = {}): string {
  const ins = insns[index];
  if (!ins) return '';
  if (ins.code === LD_IMM64_CODE) return ldImm64Text(insns, index, ctx) ?? raw(insns.slice(index, index + 2));
  return insnText(ins, index, ctx) ?? raw([ins]);
}

function raw(slots: Insn[]): string {
  return `.raw ${insnsToHex(slots)}`;
}

const mem = (reg: number, off: number): string => `(r${reg} ${off < 0 ? '-' : '+'} ${Math.abs(off)})`;

function target(index: number, rel: number, ctx: AsmSyntaxContext): string {
  return ctx.labelAt?.(index + 1 + rel) ?? (rel < 0 ? `${rel}` : `+${rel}`);
}

/** null when the encoding has fields this syntax cannot carry */
function insnText(ins: Insn, index: number, ctx: AsmSyntaxContext): string | null {
  const special = specialCase(ins);
  if (special) return special;
  if (reservedFieldProblem(ins) || registerProblem(ins) || strictFieldProblem(ins)) return null;
  switch (cls(ins.code)) {
    case Cls.ALU:
    case Cls.ALU64:
      return aluText(ins);
    case Cls.LDX: {
      const sz = mode(ins.code) === Mode.MEMSX ? SX_SIZE_NAME[size(ins.code)] : SIZE_NAME[size(ins.code)];
      return `r${ins.dst} = *(${sz} *)${mem(ins.src, ins.off)}`;
    }
    case Cls.ST:
      return `*(${SIZE_NAME[size(ins.code)]} *)${mem(ins.dst, ins.off)} = ${ins.imm}`;
    case Cls.STX:
      return mode(ins.code) === Mode.ATOMIC ? atomicText(ins) : `*(${SIZE_NAME[size(ins.code)]} *)${mem(ins.dst, ins.off)} = r${ins.src}`;
    case Cls.LD: {
      const sz = SIZE_NAME[size(ins.code)];
      if (mode(ins.code) === Mode.ABS) return `r0 = *(${sz} *)skb[${ins.imm}]`;
      if (mode(ins.code) === Mode.IND) return `r0 = *(${sz} *)skb[r${ins.src} ${ins.imm < 0 ? '-' : '+'} ${Math.abs(ins.imm)}]`;
      return null;
    }
    default:
      return jmpText(ins, index, ctx);
  }
}

/** Encodings the assembler writes that the opcode table does not list. */
function specialCase(ins: Insn): string | null {
  if (ins.dst > 10 || ins.src > 10) return null;
  if (ins.code === (Cls.JMP | JmpOp.CALL | Src.X) && ins.src === 0 && ins.off === 0 && ins.imm === 0) return `callx r${ins.dst}`;
  if (ins.code === (Cls.ALU64 | AluOp.MOV | Src.X) && ins.off === 1) {
    return `r${ins.dst} = addr_space_cast(r${ins.src}, ${(ins.imm >>> 16) & 0xffff}, ${ins.imm & 0xffff})`;
  }
  return null;
}

function aluText(ins: Insn): string {
  const r = cls(ins.code) === Cls.ALU64 ? 'r' : 'w';
  const o = op(ins.code);
  if (o === AluOp.END) {
    const name = cls(ins.code) === Cls.ALU64 ? 'bswap' : srcBit(ins.code) === Src.X ? 'be' : 'le';
    return `r${ins.dst} = ${name}${ins.imm} r${ins.dst}`;
  }
  if (o === AluOp.NEG) return `${r}${ins.dst} = -${r}${ins.dst}`;
  const opText = o === AluOp.MOV ? '=' : ins.off === 1 ? `s${ALU_OP_TEXT[o]}` : ALU_OP_TEXT[o];
  if (srcBit(ins.code) === Src.K) return `${r}${ins.dst} ${opText} ${ins.imm}`;
  const movsx = o === AluOp.MOV && ins.off ? `(s${ins.off})` : '';
  return `${r}${ins.dst} ${opText} ${movsx}${r}${ins.src}`;
}

/** LLVM's spellings: 32-bit atomics name their value registers wN. */
function atomicText(ins: Insn): string {
  const sz = SIZE_NAME[size(ins.code)];
  const is64 = size(ins.code) === Size.DW;
  const v = is64 ? 'r' : 'w';
  const at = `(${sz} *)${mem(ins.dst, ins.off)}`;
  const bare = `r${ins.dst} ${ins.off < 0 ? '-' : '+'} ${Math.abs(ins.off)}`;
  for (const a of ATOMIC_ALU) {
    if (ins.imm === a.op) return `lock *${at} ${a.assign} ${v}${ins.src}`;
    if (ins.imm === (a.op | AtomicOp.FETCH)) return `${v}${ins.src} = atomic_fetch_${a.name}(${at}, ${v}${ins.src})`;
  }
  switch (ins.imm) {
    case AtomicOp.XCHG:
      return `${v}${ins.src} = ${is64 ? 'xchg_64' : 'xchg32_32'}(${bare}, ${v}${ins.src})`;
    case AtomicOp.CMPXCHG:
      return `${v}0 = ${is64 ? 'cmpxchg_64' : 'cmpxchg32_32'}(${bare}, ${v}0, ${v}${ins.src})`;
    case AtomicOp.LOAD_ACQ:
      return `${v}${ins.dst} = load_acquire((${sz} *)${mem(ins.src, ins.off)})`;
    default: // STORE_REL; reservedFieldProblem has ruled out the rest
      return `store_release(${at}, ${v}${ins.src})`;
  }
}

function jmpText(ins: Insn, index: number, ctx: AsmSyntaxContext): string | null {
  const o = op(ins.code);
  if (cls(ins.code) === Cls.JMP) {
    switch (o) {
      case JmpOp.EXIT:
        return 'exit';
      case JmpOp.JA:
        return `goto ${target(index, ins.off, ctx)}`;
      case JmpOp.JCOND:
        return `may_goto ${target(index, ins.off, ctx)}`;
      case JmpOp.CALL:
        return callText(ins, index, ctx);
    }
  } else if (o === JmpOp.JA) {
    return `gotol ${target(index, ins.imm, ctx)}`;
  }
  const r = cls(ins.code) === Cls.JMP32 ? 'w' : 'r';
  const rhs = srcBit(ins.code) === Src.X ? `${r}${ins.src}` : signedHex(ins.imm);
  return `if ${r}${ins.dst} ${JMP_OP_TEXT[o]} ${rhs} goto ${target(index, ins.off, ctx)}`;
}

function callText(ins: Insn, index: number, ctx: AsmSyntaxContext): string | null {
  if (ins.src === PseudoCall.CALL) {
    const label = ctx.labelAt?.(index + 1 + ins.imm);
    return label ? `call ${label}` : `call pc${ins.imm < 0 ? ins.imm : `+${ins.imm}`}`;
  }
  if (ins.src === PseudoCall.KFUNC) return ins.off === 0 ? `call kfunc ${ins.imm}` : null;
  const helper = helperById(ins.imm);
  return helper && !ctx.isLabelName?.(helper.name) ? `call ${helper.name}` : `call ${ins.imm}`;
}

function ldImm64Text(insns: readonly Insn[], index: number, ctx: AsmSyntaxContext): string | null {
  const lo = insns[index];
  const hi = insns[index + 1];
  if (!hi || hi.code !== 0 || hi.dst !== 0 || hi.src !== 0 || hi.off !== 0 || lo.off !== 0 || lo.dst > 10) return null;
  const d = `r${lo.dst}`;
  const plus = (n: number): string => (n === 0 ? '' : n < 0 ? ` - ${-n}` : ` + ${n}`);
  const mapRef = (): string => ctx.mapName?.(lo.imm) ?? `${lo.imm}`;
  switch (lo.src) {
    case PseudoLd.NONE:
      return `${d} = 0x${BigInt.asUintN(64, ldImm64Value(lo, hi)).toString(16)} ll`;
    case PseudoLd.MAP_VALUE:
      return lo.imm >= 0 ? `${d} = map_value[${mapRef()}]${plus(hi.imm)} ll` : null;
    case PseudoLd.MAP_IDX_VALUE:
      return lo.imm >= 0 ? `${d} = map_idx_value[${lo.imm}]${plus(hi.imm)} ll` : null;
  }
  if (hi.imm !== 0) return null;
  switch (lo.src) {
    case PseudoLd.MAP_FD:
      return lo.imm >= 0 ? `${d} = map[${mapRef()}] ll` : null;
    case PseudoLd.MAP_IDX:
      return lo.imm >= 0 ? `${d} = map_idx[${lo.imm}] ll` : null;
    case PseudoLd.BTF_ID:
      return lo.imm >= 0 ? `${d} = btf_id[${lo.imm}] ll` : null;
    case PseudoLd.FUNC:
      return `${d} = func ${target(index, lo.imm, ctx)} ll`;
  }
  return null;
}
