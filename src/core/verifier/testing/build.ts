/**
 * A tiny instruction builder for verifier tests and the differential
 * fuzzer: one function per instruction form, producing raw slots.
 */
import { Insn, insn } from '../../isa/insn.ts';
import { AluOp, Cls, JmpOp, LD_IMM64_CODE, Mode, Size, Src } from '../../isa/opcodes.ts';

export type Sz = 1 | 2 | 4 | 8;
const SIZE: Record<Sz, number> = { 1: Size.B, 2: Size.H, 4: Size.W, 8: Size.DW };

export const ALU = AluOp;
export const JMP = JmpOp;

export const mov = (dst: number, imm: number): Insn => insn(Cls.ALU64 | AluOp.MOV | Src.K, dst, 0, 0, imm);
export const movr = (dst: number, src: number): Insn => insn(Cls.ALU64 | AluOp.MOV | Src.X, dst, src);
export const mov32 = (dst: number, imm: number): Insn => insn(Cls.ALU | AluOp.MOV | Src.K, dst, 0, 0, imm);
export const mov32r = (dst: number, src: number): Insn => insn(Cls.ALU | AluOp.MOV | Src.X, dst, src);
export const alu = (o: number, dst: number, imm: number): Insn => insn(Cls.ALU64 | o | Src.K, dst, 0, 0, imm);
export const alur = (o: number, dst: number, src: number): Insn => insn(Cls.ALU64 | o | Src.X, dst, src);
export const alu32 = (o: number, dst: number, imm: number): Insn => insn(Cls.ALU | o | Src.K, dst, 0, 0, imm);
export const alu32r = (o: number, dst: number, src: number): Insn => insn(Cls.ALU | o | Src.X, dst, src);
export const neg = (dst: number): Insn => insn(Cls.ALU64 | AluOp.NEG, dst);
export const ldx = (sz: Sz, dst: number, src: number, off: number): Insn => insn(Cls.LDX | Mode.MEM | SIZE[sz], dst, src, off);
export const stx = (sz: Sz, dst: number, off: number, src: number): Insn => insn(Cls.STX | Mode.MEM | SIZE[sz], dst, src, off);
export const st = (sz: Sz, dst: number, off: number, imm: number): Insn => insn(Cls.ST | Mode.MEM | SIZE[sz], dst, 0, off, imm);
export const jmp = (o: number, dst: number, imm: number, off: number): Insn => insn(Cls.JMP | o | Src.K, dst, 0, off, imm);
export const jmpr = (o: number, dst: number, src: number, off: number): Insn => insn(Cls.JMP | o | Src.X, dst, src, off);
export const jmp32 = (o: number, dst: number, imm: number, off: number): Insn => insn(Cls.JMP32 | o | Src.K, dst, 0, off, imm);
export const ja = (off: number): Insn => insn(Cls.JMP | JmpOp.JA, 0, 0, off);
export const call = (id: number): Insn => insn(Cls.JMP | JmpOp.CALL, 0, 0, 0, id);
export const callLocal = (rel: number): Insn => insn(Cls.JMP | JmpOp.CALL, 0, 1, 0, rel);
export const exit = (): Insn => insn(Cls.JMP | JmpOp.EXIT);
export const xadd = (sz: 4 | 8, dst: number, off: number, src: number, imm = 0): Insn => insn(Cls.STX | Mode.ATOMIC | SIZE[sz], dst, src, off, imm);

/** LD_IMM64 of a constant: two slots. */
export function ld64(dst: number, v: bigint): Insn[] {
  const u = BigInt.asUintN(64, v);
  return [insn(LD_IMM64_CODE, dst, 0, 0, Number(BigInt.asIntN(32, u & 0xffffffffn))), insn(0, 0, 0, 0, Number(BigInt.asIntN(32, u >> 32n)))];
}

/** LD_IMM64 of map number `index` (bundle convention: src_reg 1, imm = index). */
export function ldMap(dst: number, index: number): Insn[] {
  return [insn(LD_IMM64_CODE, dst, 1, 0, index), insn(0, 0, 0, 0, 0)];
}

/** LD_IMM64 of the address of map `index`'s value plus `off` (src_reg 2). */
export function ldMapValue(dst: number, index: number, off: number): Insn[] {
  return [insn(LD_IMM64_CODE, dst, 2, 0, index), insn(0, 0, 0, 0, off)];
}
