/**
 * eBPF opcode fields as RFC 9669 and Linux (include/uapi/linux/bpf.h,
 * bpf_common.h) define them. An opcode byte is class | size/op | mode/source.
 */

/** Instruction classes (low 3 bits of the opcode). */
export const Cls = {
  LD: 0x00,
  LDX: 0x01,
  ST: 0x02,
  STX: 0x03,
  ALU: 0x04,
  JMP: 0x05,
  JMP32: 0x06,
  ALU64: 0x07,
} as const;

/** Memory access sizes (bits 3-4 of load/store opcodes). */
export const Size = { W: 0x00, H: 0x08, B: 0x10, DW: 0x18 } as const;

/** Memory access modes (bits 5-7 of load/store opcodes). */
export const Mode = {
  IMM: 0x00,
  ABS: 0x20,
  IND: 0x40,
  MEM: 0x60,
  MEMSX: 0x80,
  ATOMIC: 0xc0,
} as const;

/** Operand source bit for ALU and JMP classes. */
export const Src = { K: 0x00, X: 0x08 } as const;

/** ALU operations (high 4 bits). */
export const AluOp = {
  ADD: 0x00,
  SUB: 0x10,
  MUL: 0x20,
  DIV: 0x30,
  OR: 0x40,
  AND: 0x50,
  LSH: 0x60,
  RSH: 0x70,
  NEG: 0x80,
  MOD: 0x90,
  XOR: 0xa0,
  MOV: 0xb0,
  ARSH: 0xc0,
  END: 0xd0,
} as const;

/** Jump operations (high 4 bits). */
export const JmpOp = {
  JA: 0x00,
  JEQ: 0x10,
  JGT: 0x20,
  JGE: 0x30,
  JSET: 0x40,
  JNE: 0x50,
  JSGT: 0x60,
  JSGE: 0x70,
  CALL: 0x80,
  EXIT: 0x90,
  JLT: 0xa0,
  JLE: 0xb0,
  JSLT: 0xc0,
  JSLE: 0xd0,
  /** may_goto (BPF_JCOND with src_reg = BPF_MAY_GOTO). */
  JCOND: 0xe0,
} as const;

/** BPF_END direction in the source bit: to little endian, to big endian. */
export const EndDir = { TO_LE: 0x00, TO_BE: 0x08 } as const;

/** Atomic operation codes carried in imm of BPF_STX | BPF_ATOMIC. */
export const AtomicOp = {
  ADD: 0x00,
  OR: 0x40,
  AND: 0x50,
  XOR: 0xa0,
  FETCH: 0x01,
  XCHG: 0xe0 | 0x01,
  CMPXCHG: 0xf0 | 0x01,
  LOAD_ACQ: 0x100,
  STORE_REL: 0x110,
} as const;

/** src_reg values of LD_IMM64 (BPF_PSEUDO_*). */
export const PseudoLd = {
  NONE: 0,
  MAP_FD: 1,
  MAP_VALUE: 2,
  BTF_ID: 3,
  FUNC: 4,
  MAP_IDX: 5,
  MAP_IDX_VALUE: 6,
} as const;

/** src_reg values of BPF_CALL. */
export const PseudoCall = { HELPER: 0, CALL: 1, KFUNC: 2 } as const;

/** src_reg value of BPF_JCOND meaning may_goto. */
export const MAY_GOTO = 0;

/** ALU64 MOV | X with off = 1 is addr_space_cast (arena). */
export const ADDR_SPACE_CAST = 1;

export const MAX_BPF_REG = 11;
export const BPF_REG_FP = 10;
export const STACK_SIZE = 512;
export const MAX_CALL_FRAMES = 8;

export const cls = (code: number): number => code & 0x07;
export const size = (code: number): number => code & 0x18;
export const mode = (code: number): number => code & 0xe0;
export const op = (code: number): number => code & 0xf0;
export const srcBit = (code: number): number => code & 0x08;

/** Bytes moved by a load/store of the given size field. */
export function sizeBytes(sizeField: number): 1 | 2 | 4 | 8 {
  switch (sizeField) {
    case Size.B:
      return 1;
    case Size.H:
      return 2;
    case Size.W:
      return 4;
    default:
      return 8;
  }
}

export const LD_IMM64_CODE = Cls.LD | Size.DW | Mode.IMM; // 0x18
