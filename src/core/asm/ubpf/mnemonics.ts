/**
 * The mnemonics of the uBPF / bpf_conformance assembler dialect and the
 * instruction shape each one encodes to. Names and encodings are facts of the
 * dialect (e.g. `sdiv` is DIV with off = 1, `movsx832` is 32-bit MOV with
 * off = 8, `bswap16` is ALU64 END with imm = 16, `ja32` is JMP32 JA with the
 * offset in imm).
 */
import { AluOp, Cls, EndDir, JmpOp, Mode, Size, Src } from '../../isa/opcodes.ts';

export type Form =
  /** dst, src-register-or-immediate (or just dst when unary) */
  | { kind: 'alu'; cls: number; op: number; off: number; unary: boolean; regOnly: boolean }
  | { kind: 'end'; code: number; width: 16 | 32 | 64 }
  | { kind: 'lddw' }
  | { kind: 'ldx'; code: number }
  | { kind: 'st'; code: number }
  | { kind: 'stx'; code: number }
  | { kind: 'ldabs'; code: number }
  | { kind: 'ldind'; code: number }
  | { kind: 'jcond'; code: number }
  | { kind: 'ja' }
  | { kind: 'ja32' }
  | { kind: 'call' }
  | { kind: 'callx' }
  | { kind: 'exit' }
  | { kind: 'lock' };

const TABLE = new Map<string, Form>();

const ALU_OPS: Record<string, { op: number; off: number }> = {
  add: { op: AluOp.ADD, off: 0 },
  sub: { op: AluOp.SUB, off: 0 },
  mul: { op: AluOp.MUL, off: 0 },
  div: { op: AluOp.DIV, off: 0 },
  sdiv: { op: AluOp.DIV, off: 1 },
  or: { op: AluOp.OR, off: 0 },
  and: { op: AluOp.AND, off: 0 },
  lsh: { op: AluOp.LSH, off: 0 },
  rsh: { op: AluOp.RSH, off: 0 },
  neg: { op: AluOp.NEG, off: 0 },
  mod: { op: AluOp.MOD, off: 0 },
  smod: { op: AluOp.MOD, off: 1 },
  xor: { op: AluOp.XOR, off: 0 },
  mov: { op: AluOp.MOV, off: 0 },
  arsh: { op: AluOp.ARSH, off: 0 },
};

for (const [name, { op, off }] of Object.entries(ALU_OPS)) {
  const unary = op === AluOp.NEG;
  const form64: Form = { kind: 'alu', cls: Cls.ALU64, op, off, unary, regOnly: false };
  TABLE.set(name, form64);
  TABLE.set(`${name}64`, form64);
  TABLE.set(`${name}32`, { kind: 'alu', cls: Cls.ALU, op, off, unary, regOnly: false });
}

// movsx<from><to>: sign-extending register moves; `movsx8` alone means 64-bit.
for (const from of [8, 16, 32]) {
  const form64: Form = { kind: 'alu', cls: Cls.ALU64, op: AluOp.MOV, off: from, unary: false, regOnly: true };
  TABLE.set(`movsx${from}`, form64);
  TABLE.set(`movsx${from}64`, form64);
  if (from !== 32) TABLE.set(`movsx${from}32`, { kind: 'alu', cls: Cls.ALU, op: AluOp.MOV, off: from, unary: false, regOnly: true });
}

for (const width of [16, 32, 64] as const) {
  TABLE.set(`le${width}`, { kind: 'end', code: Cls.ALU | AluOp.END | EndDir.TO_LE, width });
  TABLE.set(`be${width}`, { kind: 'end', code: Cls.ALU | AluOp.END | EndDir.TO_BE, width });
  // Unconditional byte swap (RFC 9669: ALU64 class, END op, source bit 0).
  const swap: Form = { kind: 'end', code: Cls.ALU64 | AluOp.END | Src.K, width };
  TABLE.set(`bswap${width}`, swap);
  TABLE.set(`swap${width}`, swap);
}

const SIZES: Record<string, number> = { b: Size.B, h: Size.H, w: Size.W, dw: Size.DW };
for (const [suffix, size] of Object.entries(SIZES)) {
  TABLE.set(`ldx${suffix}`, { kind: 'ldx', code: Cls.LDX | Mode.MEM | size });
  TABLE.set(`st${suffix}`, { kind: 'st', code: Cls.ST | Mode.MEM | size });
  TABLE.set(`stx${suffix}`, { kind: 'stx', code: Cls.STX | Mode.MEM | size });
  TABLE.set(`ldabs${suffix}`, { kind: 'ldabs', code: Cls.LD | Mode.ABS | size });
  TABLE.set(`ldind${suffix}`, { kind: 'ldind', code: Cls.LD | Mode.IND | size });
  if (size !== Size.DW) TABLE.set(`ldxs${suffix}`, { kind: 'ldx', code: Cls.LDX | Mode.MEMSX | size });
}

const JMP_OPS: Record<string, number> = {
  jeq: JmpOp.JEQ,
  jgt: JmpOp.JGT,
  jge: JmpOp.JGE,
  jset: JmpOp.JSET,
  jne: JmpOp.JNE,
  jsgt: JmpOp.JSGT,
  jsge: JmpOp.JSGE,
  jlt: JmpOp.JLT,
  jle: JmpOp.JLE,
  jslt: JmpOp.JSLT,
  jsle: JmpOp.JSLE,
};
for (const [name, op] of Object.entries(JMP_OPS)) {
  TABLE.set(name, { kind: 'jcond', code: Cls.JMP | op });
  TABLE.set(`${name}32`, { kind: 'jcond', code: Cls.JMP32 | op });
}

TABLE.set('lddw', { kind: 'lddw' });
TABLE.set('ja', { kind: 'ja' });
TABLE.set('ja32', { kind: 'ja32' });
TABLE.set('call', { kind: 'call' });
TABLE.set('callx', { kind: 'callx' });
TABLE.set('exit', { kind: 'exit' });
TABLE.set('lock', { kind: 'lock' });

/** Mnemonics are case-insensitive, as in uBPF's assembler. */
export function lookupMnemonic(name: string): Form | undefined {
  return TABLE.get(name.toLowerCase());
}

export function allMnemonics(): string[] {
  return [...TABLE.keys()];
}

/** The known mnemonic closest to a misspelt one, for "did you mean" hints. */
export function closestMnemonic(name: string): string | null {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(lower.length / 3)) + 1;
  for (const candidate of TABLE.keys()) {
    const d = editDistance(lower, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot beat it. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      rowMin = Math.min(rowMin, cur[j]);
    }
    if (rowMin >= limit) return limit;
    prev = cur;
  }
  return prev[b.length];
}
