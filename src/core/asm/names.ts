/**
 * Spellings shared by the assembler and the disassembler: the operator and
 * size names of the LLVM/kernel pseudo-C syntax (facts of the syntax, as
 * llvm-objdump and the kernel's disasm print them).
 */
import { AluOp, AtomicOp, JmpOp, Size } from '../isa/opcodes.ts';

/** Compound assignment operator → ALU op (the signed ones set off = 1 or are ARSH). */
export const ALU_ASSIGN_OPS: Readonly<Record<string, { op: number; signed: boolean }>> = {
  '+=': { op: AluOp.ADD, signed: false },
  '-=': { op: AluOp.SUB, signed: false },
  '*=': { op: AluOp.MUL, signed: false },
  '/=': { op: AluOp.DIV, signed: false },
  '|=': { op: AluOp.OR, signed: false },
  '&=': { op: AluOp.AND, signed: false },
  '<<=': { op: AluOp.LSH, signed: false },
  '>>=': { op: AluOp.RSH, signed: false },
  '%=': { op: AluOp.MOD, signed: false },
  '^=': { op: AluOp.XOR, signed: false },
  's>>=': { op: AluOp.ARSH, signed: false },
  's/=': { op: AluOp.DIV, signed: true },
  's%=': { op: AluOp.MOD, signed: true },
};

/** ALU op → operator text (unsigned spelling; s/= and s%= come from off = 1). */
export const ALU_OP_TEXT: Readonly<Record<number, string>> = {
  [AluOp.ADD]: '+=',
  [AluOp.SUB]: '-=',
  [AluOp.MUL]: '*=',
  [AluOp.DIV]: '/=',
  [AluOp.OR]: '|=',
  [AluOp.AND]: '&=',
  [AluOp.LSH]: '<<=',
  [AluOp.RSH]: '>>=',
  [AluOp.MOD]: '%=',
  [AluOp.XOR]: '^=',
  [AluOp.ARSH]: 's>>=',
};

export const JMP_COND_OPS: Readonly<Record<string, number>> = {
  '==': JmpOp.JEQ,
  '>': JmpOp.JGT,
  '>=': JmpOp.JGE,
  '&': JmpOp.JSET,
  '!=': JmpOp.JNE,
  's>': JmpOp.JSGT,
  's>=': JmpOp.JSGE,
  '<': JmpOp.JLT,
  '<=': JmpOp.JLE,
  's<': JmpOp.JSLT,
  's<=': JmpOp.JSLE,
};

export const JMP_OP_TEXT: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(JMP_COND_OPS).map(([text, op]) => [op, text]),
);

/** `u8`..`u64` → size field. */
export const SIZE_BY_NAME: Readonly<Record<string, number>> = { u8: Size.B, u16: Size.H, u32: Size.W, u64: Size.DW };
export const SIZE_NAME: Readonly<Record<number, string>> = { [Size.B]: 'u8', [Size.H]: 'u16', [Size.W]: 'u32', [Size.DW]: 'u64' };
/** Sign-extending loads: `s8`..`s32`. */
export const SX_SIZE_BY_NAME: Readonly<Record<string, number>> = { s8: Size.B, s16: Size.H, s32: Size.W };
export const SX_SIZE_NAME: Readonly<Record<number, string>> = { [Size.B]: 's8', [Size.H]: 's16', [Size.W]: 's32' };

/** Atomic read-modify-write ops: lock operator and fetch name. */
export const ATOMIC_ALU: readonly { op: number; assign: string; name: string }[] = [
  { op: AtomicOp.ADD, assign: '+=', name: 'add' },
  { op: AtomicOp.OR, assign: '|=', name: 'or' },
  { op: AtomicOp.AND, assign: '&=', name: 'and' },
  { op: AtomicOp.XOR, assign: '^=', name: 'xor' },
];

/** movsx (s8)/(s16)/(s32) → MOV|X off. */
export const MOVSX_OFF_BY_NAME: Readonly<Record<string, number>> = { s8: 8, s16: 16, s32: 32 };

export const ENDIAN_NAMES = ['le', 'be', 'bswap'] as const;
