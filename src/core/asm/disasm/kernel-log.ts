/**
 * One instruction as the Linux 6.18 verifier log prints it after `N: `
 * (kernel/bpf/disasm.c print_bpf_insn, called with the verifier's callbacks).
 * The wording, spacing and number formats were recorded from the kernel
 * itself: test-data/asm/kernel-disasm.json, made by scripts/gen-asm-golden.ts.
 */
import { helperById } from '../../isa/helpers.ts';
import { Insn, ldImm64Value } from '../../isa/insn.ts';
import { AluOp, AtomicOp, Cls, JmpOp, LD_IMM64_CODE, MAY_GOTO, Mode, PseudoCall, Size, Src, cls, mode, op, size, srcBit } from '../../isa/opcodes.ts';
import { ALU_OP_TEXT, ATOMIC_ALU, JMP_OP_TEXT, SIZE_NAME, SX_SIZE_NAME } from '../names.ts';

export interface KernelDisasmOptions {
  /**
   * The 64-bit value printed for an LD_IMM64. The kernel prints the value
   * after it resolved map references to kernel addresses; a caller that
   * models map addresses (the verifier) supplies them here. Default: the
   * raw constant of the instruction pair.
   */
  ldImm64Value?: (lo: Insn, hi: Insn, index: number) => bigint;
  /** kfunc name for `call NAME#id` (the kernel looks it up in BTF) */
  kfuncName?: (ins: Insn) => string | undefined;
}

const hex2 = (n: number): string => (n & 0xff).toString(16).padStart(2, '0');
/** the kernel-internal speculation barrier (BPF_ST | BPF_NOSPEC), printed as `nospec` */
const NOSPEC_MODE = 0xc0;
/** kernel-internal per-CPU address move: MOV64 X with off = -1 */
const ADDR_PERCPU_OFF = -1;
/** what printf makes of a NULL %s, for operators the kernel's tables lack */
const NULL_TEXT = '(null)';
/** C's `%+d` */
const signed = (n: number): string => (n < 0 ? `${n}` : `+${n}`);
const memRef = (reg: number, off: number): string => `(r${reg} ${signed(off)})`;

/**
 * Text of instruction `index` exactly as the kernel verifier log prints it
 * (without the `N: ` index), e.g. `(bf) r1 = r2`. Never throws; an index out
 * of range or an encoding the kernel has no text for gives a `BUG_..` line
 * like the kernel's own fallback.
 */
export function disasmKernelInsn(insns: readonly Insn[], index: number, opts: KernelDisasmOptions = {}): string {
  const ins = insns[index];
  if (!ins) return `BUG_index_${index}`;
  const body = kernelInsnBody(insns, index, ins, opts);
  // the kernel prints its BUG_ fallbacks without the opcode prefix
  return body.startsWith('BUG_') ? body : `(${hex2(ins.code)}) ${body}`;
}

function kernelInsnBody(insns: readonly Insn[], index: number, ins: Insn, opts: KernelDisasmOptions): string {
  switch (cls(ins.code)) {
    case Cls.ALU:
    case Cls.ALU64:
      return aluText(ins);
    case Cls.LDX:
      return ldxText(ins);
    case Cls.ST:
      if (mode(ins.code) === Mode.MEM) return `*(${SIZE_NAME[size(ins.code)]} *)${memRef(ins.dst, ins.off)} = ${ins.imm}`;
      if (mode(ins.code) === NOSPEC_MODE) return 'nospec';
      return `BUG_st_${hex2(ins.code)}`;
    case Cls.STX:
      return stxText(ins);
    case Cls.LD:
      return ldText(insns, index, ins, opts);
    default:
      return jmpText(ins, opts);
  }
}

function aluText(ins: Insn): string {
  const is64 = cls(ins.code) === Cls.ALU64;
  const r = is64 ? 'r' : 'w';
  const o = op(ins.code);
  if (o === AluOp.END) {
    const name = is64 ? 'bswap' : srcBit(ins.code) === Src.X ? 'be' : 'le';
    return `r${ins.dst} = ${name}${ins.imm} r${ins.dst}`;
  }
  if (o === AluOp.NEG) return `${r}${ins.dst} = -${r}${ins.dst}`;
  if (o === AluOp.MOV && srcBit(ins.code) === Src.X && is64) {
    if (ins.off === 1) return `r${ins.dst} = addr_space_cast(r${ins.src}, ${(ins.imm >>> 16) & 0xffff}, ${ins.imm & 0xffff})`;
    if (ins.off === ADDR_PERCPU_OFF) return `r${ins.dst} = &(void __percpu *)(r${ins.src})`;
  }
  const signedDivMod = (o === AluOp.DIV || o === AluOp.MOD) && ins.off === 1;
  const opText = o === AluOp.MOV ? '=' : signedDivMod ? `s${ALU_OP_TEXT[o]}` : ALU_OP_TEXT[o] ?? NULL_TEXT;
  if (srcBit(ins.code) === Src.X) {
    const movsx = o === AluOp.MOV && (ins.off === 8 || ins.off === 16 || ins.off === 32) ? `(s${ins.off})` : '';
    return `${r}${ins.dst} ${opText} ${movsx}${r}${ins.src}`;
  }
  return `${r}${ins.dst} ${opText} ${ins.imm}`;
}

function ldxText(ins: Insn): string {
  const m = mode(ins.code);
  const sz = m === Mode.MEMSX ? SX_SIZE_NAME[size(ins.code)] : m === Mode.MEM ? SIZE_NAME[size(ins.code)] : undefined;
  if (!sz) return `BUG_ldx_${hex2(ins.code)}`;
  return `r${ins.dst} = *(${sz} *)${memRef(ins.src, ins.off)}`;
}

function stxText(ins: Insn): string {
  const sz = SIZE_NAME[size(ins.code)];
  const mem = memRef(ins.dst, ins.off);
  if (mode(ins.code) === Mode.MEM) return `*(${sz} *)${mem} = r${ins.src}`;
  if (mode(ins.code) !== Mode.ATOMIC) return `BUG_${hex2(ins.code)}`;
  const bits = size(ins.code) === Size.DW ? '64' : '';
  for (const a of ATOMIC_ALU) {
    if (ins.imm === a.op) return `lock *(${sz} *)${mem} ${a.assign} r${ins.src}`;
    if (ins.imm === (a.op | AtomicOp.FETCH)) return `r${ins.src} = atomic${bits}_fetch_${a.name}((${sz} *)${mem}, r${ins.src})`;
  }
  switch (ins.imm) {
    case AtomicOp.XCHG:
      return `r${ins.src} = atomic${bits}_xchg((${sz} *)${mem}, r${ins.src})`;
    case AtomicOp.CMPXCHG:
      return `r0 = atomic${bits}_cmpxchg((${sz} *)${mem}, r0, r${ins.src})`;
    case AtomicOp.LOAD_ACQ:
      return `r${ins.dst} = load_acquire((${sz} *)${memRef(ins.src, ins.off)})`;
    case AtomicOp.STORE_REL:
      return `store_release((${sz} *)${mem}, r${ins.src})`;
  }
  return `BUG_${hex2(ins.code)}`;
}

function ldText(insns: readonly Insn[], index: number, ins: Insn, opts: KernelDisasmOptions): string {
  const m = mode(ins.code);
  const sz = SIZE_NAME[size(ins.code)];
  if (m === Mode.ABS) return `r0 = *(${sz} *)skb[${ins.imm}]`;
  if (m === Mode.IND) return `r0 = *(${sz} *)skb[r${ins.src} + ${ins.imm}]`;
  if (ins.code === LD_IMM64_CODE) {
    const hi = insns[index + 1] ?? { code: 0, dst: 0, src: 0, off: 0, imm: 0 };
    const value = opts.ldImm64Value ? opts.ldImm64Value(ins, hi, index) : ldImm64Value(ins, hi);
    return `r${ins.dst} = 0x${BigInt.asUintN(64, value).toString(16)}`;
  }
  return `BUG_ld_${hex2(ins.code)}`;
}

/** Exact opcodes pick the special forms, as in the kernel; everything else prints as a comparison. */
function jmpText(ins: Insn, opts: KernelDisasmOptions): string {
  const o = op(ins.code);
  if (o === JmpOp.CALL) {
    if (ins.src === PseudoCall.CALL) return `call pc${signed(ins.imm)}`;
    return `call ${callName(ins, opts)}#${ins.imm}`;
  }
  if (ins.code === (Cls.JMP | JmpOp.JA)) return `goto pc${signed(ins.off)}`;
  if (ins.code === (Cls.JMP | JmpOp.JCOND) && ins.src === MAY_GOTO) return `may_goto pc${signed(ins.off)}`;
  if (ins.code === (Cls.JMP32 | JmpOp.JA)) return `gotol pc${signed(ins.imm)}`;
  if (ins.code === (Cls.JMP | JmpOp.EXIT)) return 'exit';
  const r = cls(ins.code) === Cls.JMP32 ? 'w' : 'r';
  const opText = JMP_OP_TEXT[o] ?? KERNEL_EXTRA_JMP_TEXT[o] ?? NULL_TEXT;
  const rhs = srcBit(ins.code) === Src.X ? `${r}${ins.src}` : `0x${(ins.imm >>> 0).toString(16)}`;
  return `if ${r}${ins.dst} ${opText} ${rhs} goto pc${signed(ins.off)}`;
}

/** names the kernel's jump table has for ops that are not comparisons */
const KERNEL_EXTRA_JMP_TEXT: Readonly<Record<number, string>> = { [JmpOp.JA]: 'jmp', [JmpOp.CALL]: 'call', [JmpOp.EXIT]: 'exit' };

/** Helper name as func_id_str has it; kfuncs by BTF name; otherwise "unknown". */
function callName(ins: Insn, opts: KernelDisasmOptions): string {
  if (ins.src === PseudoCall.HELPER) return helperById(ins.imm)?.name ?? 'unknown';
  if (ins.src === PseudoCall.KFUNC) return opts.kfuncName?.(ins) ?? 'kernel-function';
  return 'unknown';
}
