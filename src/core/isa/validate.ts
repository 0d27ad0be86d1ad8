/**
 * Static checks of one instruction's encoding: unknown opcodes and reserved
 * fields that must be zero. Messages use the Linux 6.18 verifier's wording
 * (bpf_opcode_in_insntable, check_alu_op, check_cond_jmp_op, do_check, ...)
 * so the verifier can report them verbatim; the decoder uses them too.
 */
import { Insn } from './insn.ts';
import {
  AluOp,
  AtomicOp,
  Cls,
  JmpOp,
  LD_IMM64_CODE,
  Mode,
  PseudoCall,
  PseudoLd,
  Size,
  Src,
  cls,
  mode,
  op,
  size,
  srcBit,
} from './opcodes.ts';

const VALID_OPCODES: ReadonlySet<number> = buildOpcodeTable();

function buildOpcodeTable(): Set<number> {
  const t = new Set<number>();
  for (const c of [Cls.ALU, Cls.ALU64]) {
    for (const o of [AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH]) {
      t.add(c | o | Src.K);
      t.add(c | o | Src.X);
    }
    t.add(c | AluOp.NEG);
  }
  t.add(Cls.ALU | AluOp.END | Src.K); // le
  t.add(Cls.ALU | AluOp.END | Src.X); // be
  t.add(Cls.ALU64 | AluOp.END | Src.K); // bswap
  for (const c of [Cls.JMP, Cls.JMP32]) {
    for (const o of [JmpOp.JEQ, JmpOp.JGT, JmpOp.JGE, JmpOp.JSET, JmpOp.JNE, JmpOp.JSGT, JmpOp.JSGE, JmpOp.JLT, JmpOp.JLE, JmpOp.JSLT, JmpOp.JSLE]) {
      t.add(c | o | Src.K);
      t.add(c | o | Src.X);
    }
    t.add(c | JmpOp.JA);
  }
  t.add(Cls.JMP | JmpOp.CALL);
  t.add(Cls.JMP | JmpOp.EXIT);
  t.add(Cls.JMP | JmpOp.JCOND);
  for (const s of [Size.B, Size.H, Size.W, Size.DW]) {
    t.add(Cls.LDX | Mode.MEM | s);
    t.add(Cls.STX | Mode.MEM | s);
    t.add(Cls.ST | Mode.MEM | s);
    t.add(Cls.STX | Mode.ATOMIC | s);
  }
  for (const s of [Size.B, Size.H, Size.W]) {
    t.add(Cls.LDX | Mode.MEMSX | s);
    t.add(Cls.LD | Mode.ABS | s);
    t.add(Cls.LD | Mode.IND | s);
  }
  t.add(LD_IMM64_CODE);
  return t;
}

export function isKnownOpcode(code: number): boolean {
  return VALID_OPCODES.has(code);
}

/**
 * Problems with the LD_IMM64 pairing and opcode table, as the kernel finds
 * them in its first pass over the program (resolve_pseudo_ldimm64).
 * Returns [index, message] of the first problem or null.
 */
export function firstPassProblem(insns: readonly Insn[]): { index: number; message: string } | null {
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (cls(ins.code) === Cls.LDX && ((mode(ins.code) !== Mode.MEM && mode(ins.code) !== Mode.MEMSX) || ins.imm !== 0)) {
      return { index: i, message: 'BPF_LDX uses reserved fields' };
    }
    if (ins.code === LD_IMM64_CODE) {
      const next = insns[i + 1];
      if (!next || next.code !== 0 || next.dst !== 0 || next.src !== 0 || next.off !== 0) {
        return { index: i, message: 'invalid bpf_ld_imm64 insn' };
      }
      if (ins.src > PseudoLd.MAP_IDX_VALUE) return { index: i, message: 'unrecognized bpf_ld_imm64 insn' };
      i++;
      continue;
    }
    if (!VALID_OPCODES.has(ins.code)) {
      return { index: i, message: `unknown opcode ${ins.code.toString(16).padStart(2, '0')}` };
    }
  }
  return null;
}

/**
 * The reserved-field check the kernel applies when it reaches one
 * instruction (do_check and the check_* functions it calls). Returns the
 * kernel's message or null when the encoding is well formed.
 */
export function reservedFieldProblem(ins: Insn): string | null {
  const c = cls(ins.code);
  switch (c) {
    case Cls.ALU:
    case Cls.ALU64:
      return aluProblem(ins);
    case Cls.LDX:
      if ((mode(ins.code) !== Mode.MEM && mode(ins.code) !== Mode.MEMSX) || ins.imm !== 0) return 'BPF_LDX uses reserved fields';
      if (mode(ins.code) === Mode.MEMSX && size(ins.code) === Size.DW) return `unknown opcode ${hex2(ins.code)}`;
      return null;
    case Cls.STX:
      if (mode(ins.code) === Mode.ATOMIC) return atomicProblem(ins);
      if (mode(ins.code) !== Mode.MEM || ins.imm !== 0) return 'BPF_STX uses reserved fields';
      return null;
    case Cls.ST:
      if (mode(ins.code) !== Mode.MEM || ins.src !== 0) return 'BPF_ST uses reserved fields';
      return null;
    case Cls.JMP:
    case Cls.JMP32:
      return jmpProblem(ins);
    case Cls.LD: {
      const m = mode(ins.code);
      if (m === Mode.ABS || m === Mode.IND) {
        if (ins.dst !== 0 || ins.off !== 0 || size(ins.code) === Size.DW || (m === Mode.ABS && ins.src !== 0)) {
          return 'BPF_LD_[ABS|IND] uses reserved fields';
        }
        return null;
      }
      if (m === Mode.IMM) {
        if (size(ins.code) !== Size.DW) return 'invalid BPF_LD_IMM insn';
        if (ins.off !== 0) return 'BPF_LD_IMM64 uses reserved fields';
        return null;
      }
      return 'invalid BPF_LD mode';
    }
  }
  return null;
}

function aluProblem(ins: Insn): string | null {
  const o = op(ins.code);
  const is64 = cls(ins.code) === Cls.ALU64;
  if (o === AluOp.NEG) {
    if (srcBit(ins.code) !== Src.K || ins.src !== 0 || ins.off !== 0 || ins.imm !== 0) return 'BPF_NEG uses reserved fields';
    return null;
  }
  if (o === AluOp.END) {
    if (ins.src !== 0 || ins.off !== 0 || (ins.imm !== 16 && ins.imm !== 32 && ins.imm !== 64) || (is64 && srcBit(ins.code) !== Src.K)) {
      return 'BPF_END uses reserved fields';
    }
    return null;
  }
  if (o === AluOp.MOV) {
    if (srcBit(ins.code) === Src.X) {
      const offOk = is64 ? [0, 8, 16, 32].includes(ins.off) : [0, 8, 16].includes(ins.off);
      if (!offOk || ins.imm !== 0) return 'BPF_MOV uses reserved fields';
      return null;
    }
    if (ins.src !== 0 || ins.off !== 0) return 'BPF_MOV uses reserved fields';
    return null;
  }
  if (o > AluOp.END) return `invalid BPF_ALU opcode ${o.toString(16)}`;
  const offBad = (ins.off !== 0 && ins.off !== 1) || (ins.off === 1 && o !== AluOp.MOD && o !== AluOp.DIV);
  if (srcBit(ins.code) === Src.X) {
    if (ins.imm !== 0 || offBad) return 'BPF_ALU uses reserved fields';
  } else if (ins.src !== 0 || offBad) {
    return 'BPF_ALU uses reserved fields';
  }
  return null;
}

function atomicProblem(ins: Insn): string | null {
  const known: number[] = [
    AtomicOp.ADD, AtomicOp.ADD | AtomicOp.FETCH,
    AtomicOp.OR, AtomicOp.OR | AtomicOp.FETCH,
    AtomicOp.AND, AtomicOp.AND | AtomicOp.FETCH,
    AtomicOp.XOR, AtomicOp.XOR | AtomicOp.FETCH,
    AtomicOp.XCHG, AtomicOp.CMPXCHG, AtomicOp.LOAD_ACQ, AtomicOp.STORE_REL,
  ];
  if (!known.includes(ins.imm)) return `BPF_ATOMIC uses invalid atomic opcode ${hex2(ins.imm)}`;
  const sz = size(ins.code);
  const rmw = ins.imm !== AtomicOp.LOAD_ACQ && ins.imm !== AtomicOp.STORE_REL;
  if (rmw && sz !== Size.W && sz !== Size.DW) return 'invalid atomic operand size';
  return null;
}

function jmpProblem(ins: Insn): string | null {
  const o = op(ins.code);
  const is32 = cls(ins.code) === Cls.JMP32;
  switch (o) {
    case JmpOp.CALL:
      if (
        srcBit(ins.code) !== Src.K ||
        (ins.src !== PseudoCall.KFUNC && ins.off !== 0) ||
        (ins.src !== PseudoCall.HELPER && ins.src !== PseudoCall.CALL && ins.src !== PseudoCall.KFUNC) ||
        ins.dst !== 0 ||
        is32
      ) {
        return 'BPF_CALL uses reserved fields';
      }
      return null;
    case JmpOp.JA:
      if (srcBit(ins.code) !== Src.K || ins.src !== 0 || ins.dst !== 0 || (!is32 && ins.imm !== 0) || (is32 && ins.off !== 0)) {
        return 'BPF_JA uses reserved fields';
      }
      return null;
    case JmpOp.EXIT:
      if (srcBit(ins.code) !== Src.K || ins.imm !== 0 || ins.src !== 0 || ins.dst !== 0 || is32) return 'BPF_EXIT uses reserved fields';
      return null;
    case JmpOp.JCOND:
      if (is32 || srcBit(ins.code) !== Src.K || ins.src !== 0 || ins.dst !== 0 || ins.imm !== 0) return `invalid may_goto imm ${ins.imm}`;
      return null;
    default:
      if (o > JmpOp.JCOND) return `invalid BPF_JMP/JMP32 opcode ${o.toString(16)}`;
      if (srcBit(ins.code) === Src.X) {
        if (ins.imm !== 0) return 'BPF_JMP/JMP32 uses reserved fields';
      } else if (ins.src !== 0) {
        return 'BPF_JMP/JMP32 uses reserved fields';
      }
      return null;
  }
}

function hex2(n: number): string {
  return (n >>> 0).toString(16).padStart(2, '0');
}

/** Register numbers must name r0-r10 (the kernel: "R%d is invalid"). */
export function registerProblem(ins: Insn): string | null {
  if (ins.dst > 10) return `R${ins.dst} is invalid`;
  if (ins.src > 10 && ins.code !== LD_IMM64_CODE && !(cls(ins.code) === Cls.JMP && op(ins.code) === JmpOp.CALL)) {
    return `R${ins.src} is invalid`;
  }
  return null;
}

/**
 * Fields RFC 9669 says must be zero but Linux 6.18 does not check (it
 * accepts `exit` with a non-zero offset, for instance). The decoder is
 * strict; the verifier, mirroring the kernel, is not.
 */
export function strictFieldProblem(ins: Insn): string | null {
  const c = cls(ins.code);
  if (c === Cls.JMP && op(ins.code) === JmpOp.EXIT && ins.off !== 0) return 'BPF_EXIT uses reserved fields (offset must be 0)';
  if ((c === Cls.LDX || c === Cls.STX) && mode(ins.code) === Mode.MEM && c === Cls.LDX && ins.imm !== 0) return 'BPF_LDX uses reserved fields';
  if (c === Cls.ST && ins.src !== 0) return 'BPF_ST uses reserved fields';
  return null;
}

export interface ValidationProblem {
  index: number;
  message: string;
}

/**
 * Every encoding problem in a program, in instruction order: opcode table,
 * LD_IMM64 pairing, reserved fields, register numbers. The decoder's notion
 * of "well formed"; the verifier reports the first one it reaches.
 */
export function validateProgram(insns: readonly Insn[], opts: { strict?: boolean } = {}): ValidationProblem[] {
  const strict = opts.strict ?? true;
  const problems: ValidationProblem[] = [];
  if (insns.length === 0) return [{ index: 0, message: 'program is empty (no instructions)' }];
  for (let i = 0; i < insns.length; i++) {
    const ins = insns[i];
    if (ins.code === LD_IMM64_CODE) {
      const next = insns[i + 1];
      if (!next || next.code !== 0 || next.dst !== 0 || next.src !== 0 || next.off !== 0) {
        problems.push({ index: i, message: 'invalid bpf_ld_imm64 insn' });
        continue;
      }
      if (ins.src > PseudoLd.MAP_IDX_VALUE) problems.push({ index: i, message: 'unrecognized bpf_ld_imm64 insn' });
      else if (ins.off !== 0) problems.push({ index: i, message: 'BPF_LD_IMM64 uses reserved fields' });
      else if (ins.dst > 10) problems.push({ index: i, message: `R${ins.dst} is invalid` });
      i++;
      continue;
    }
    if (!VALID_OPCODES.has(ins.code)) {
      problems.push({ index: i, message: `unknown opcode ${hex2(ins.code)}` });
      continue;
    }
    const msg = reservedFieldProblem(ins) ?? registerProblem(ins) ?? (strict ? strictFieldProblem(ins) : null);
    if (msg) problems.push({ index: i, message: msg });
  }
  return problems;
}
