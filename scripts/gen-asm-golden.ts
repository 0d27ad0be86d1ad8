/**
 * Generates test-data/asm/kernel-disasm.json: the exact text the Linux 6.18
 * verifier prints for each instruction, recorded from the real kernel.
 *
 * The level-2 log starts with a "Live regs before insn:" section that lists
 * every instruction of a program that passed the CFG check, whether or not
 * the verifier later accepts it, so the programs below only need a sound
 * control-flow graph: no unreachable code, no jumps into an LD_IMM64.
 *
 *   npx tsx scripts/gen-asm-golden.ts        (needs root and kbpf.py)
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { AluOp, AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, Size, Src } from '../src/core/isa/opcodes.ts';
import { Insn, insn, insnsToHex } from '../src/core/isa/insn.ts';

const KBPF = '/work/shared/tools/kbpf.py';

interface Group {
  name: string;
  progType: string;
  insns: Insn[];
  maps?: { name: string; type: string; keySize: number; valueSize: number; maxEntries: number }[];
}

const EXIT_TAIL = [insn(Cls.ALU64 | AluOp.MOV | Src.K, 0, 0, 0, 0), insn(Cls.JMP | JmpOp.EXIT)];
const IMMS = [0, 1, -1, 17, 0x7fffffff, -0x80000000, 0x1234, -4096];
const ALU_OPS = [AluOp.ADD, AluOp.SUB, AluOp.MUL, AluOp.DIV, AluOp.OR, AluOp.AND, AluOp.LSH, AluOp.RSH, AluOp.MOD, AluOp.XOR, AluOp.MOV, AluOp.ARSH];
const JMP_OPS = [JmpOp.JEQ, JmpOp.JGT, JmpOp.JGE, JmpOp.JSET, JmpOp.JNE, JmpOp.JSGT, JmpOp.JSGE, JmpOp.JLT, JmpOp.JLE, JmpOp.JSLT, JmpOp.JSLE];
const SIZES = [Size.B, Size.H, Size.W, Size.DW];
const OFFS = [0, 8, -8, 32767, -32768, 3];

function aluGroup(): Group {
  const out: Insn[] = [];
  let r = 0;
  const nextReg = (): number => (r = (r % 9) + 1);
  for (const cls of [Cls.ALU, Cls.ALU64]) {
    for (const op of ALU_OPS) {
      for (const imm of IMMS) out.push(insn(cls | op | Src.K, nextReg(), 0, 0, imm));
      out.push(insn(cls | op | Src.X, nextReg(), nextReg(), 0, 0));
      out.push(insn(cls | op | Src.X, 0, 9, 0, 0));
    }
    // signed division and modulo (off = 1)
    for (const op of [AluOp.DIV, AluOp.MOD]) {
      out.push(insn(cls | op | Src.K, nextReg(), 0, 1, -7));
      out.push(insn(cls | op | Src.X, nextReg(), nextReg(), 1, 0));
    }
    // sign-extending moves
    for (const off of cls === Cls.ALU64 ? [8, 16, 32] : [8, 16]) out.push(insn(cls | AluOp.MOV | Src.X, nextReg(), nextReg(), off, 0));
    out.push(insn(cls | AluOp.NEG, nextReg()));
  }
  for (const imm of [16, 32, 64]) {
    out.push(insn(Cls.ALU | AluOp.END | Src.K, nextReg(), 0, 0, imm));
    out.push(insn(Cls.ALU | AluOp.END | Src.X, nextReg(), 0, 0, imm));
    out.push(insn(Cls.ALU64 | AluOp.END | Src.K, nextReg(), 0, 0, imm));
  }
  // addr_space_cast (arena pointers); printed even without an arena map
  out.push(insn(Cls.ALU64 | AluOp.MOV | Src.X, 1, 2, 1, 1));
  out.push(insn(Cls.ALU64 | AluOp.MOV | Src.X, 3, 4, 1, 0x10000));
  return { name: 'alu', progType: 'xdp', insns: out };
}

function memGroup(): Group {
  const out: Insn[] = [];
  for (const sz of SIZES) {
    for (const off of OFFS) {
      out.push(insn(Cls.LDX | Mode.MEM | sz, 1, 10, off));
      out.push(insn(Cls.STX | Mode.MEM | sz, 10, 2, off));
      out.push(insn(Cls.ST | Mode.MEM | sz, 10, 0, off, IMMS[(off & 7) % IMMS.length]));
    }
    out.push(insn(Cls.ST | Mode.MEM | sz, 3, 0, -4, -1));
    out.push(insn(Cls.ST | Mode.MEM | sz, 3, 0, 4, 0x7fffffff));
    if (sz !== Size.DW) {
      out.push(insn(Cls.LDX | Mode.MEMSX | sz, 4, 10, -8));
      out.push(insn(Cls.LDX | Mode.MEMSX | sz, 0, 1, 2));
    }
  }
  const atomics = [
    AtomicOp.ADD, AtomicOp.OR, AtomicOp.AND, AtomicOp.XOR,
    AtomicOp.ADD | AtomicOp.FETCH, AtomicOp.OR | AtomicOp.FETCH, AtomicOp.AND | AtomicOp.FETCH, AtomicOp.XOR | AtomicOp.FETCH,
    AtomicOp.XCHG, AtomicOp.CMPXCHG,
  ];
  for (const sz of [Size.W, Size.DW]) {
    for (const a of atomics) {
      out.push(insn(Cls.STX | Mode.ATOMIC | sz, 10, 3, -8, a));
      out.push(insn(Cls.STX | Mode.ATOMIC | sz, 1, 0, 4, a));
    }
  }
  for (const sz of SIZES) {
    out.push(insn(Cls.STX | Mode.ATOMIC | sz, 5, 10, -16, AtomicOp.LOAD_ACQ));
    out.push(insn(Cls.STX | Mode.ATOMIC | sz, 10, 6, -16, AtomicOp.STORE_REL));
  }
  return { name: 'mem', progType: 'xdp', insns: out };
}

/** LD_ABS/LD_IND exist only for socket filters (and tc). */
function skbGroup(): Group {
  const out: Insn[] = [insn(Cls.ALU64 | AluOp.MOV | Src.X, 6, 1)];
  for (const sz of [Size.B, Size.H, Size.W]) {
    for (const imm of [0, 23, -4, 0x7fffffff]) out.push(insn(Cls.LD | Mode.ABS | sz, 0, 0, 0, imm));
    for (const imm of [0, 4, -2]) out.push(insn(Cls.LD | Mode.IND | sz, 0, 1 + (imm & 7) % 9, 0, imm));
  }
  return { name: 'skb', progType: 'socket_filter', insns: out };
}

/**
 * Conditional jumps forward to the exit tail, zero offsets, and short
 * backward jumps that land on a conditional jump (so nothing is unreachable).
 */
function jumpGroup(): Group {
  const body: Insn[] = [];
  const tailPlaceholder: number[] = [];
  for (const cls of [Cls.JMP, Cls.JMP32]) {
    for (const op of JMP_OPS) {
      for (const imm of [0, 5, -1, 0x7fffffff, -0x80000000]) body.push(insn(cls | op | Src.K, 1, 0, 0, imm));
      body.push(insn(cls | op | Src.X, 2, 3, 0, 0));
      tailPlaceholder.push(body.length);
      body.push(insn(cls | op | Src.K, 4, 0, 0, 9));
      tailPlaceholder.push(body.length);
      body.push(insn(cls | op | Src.X, 5, 6, 0, 0));
    }
  }
  body.push(insn(Cls.JMP | JmpOp.JA));
  body.push(insn(Cls.JMP32 | JmpOp.JA));
  body.push(insn(Cls.JMP | JmpOp.JCOND));
  // backward: cond, then goto back to the cond
  body.push(insn(Cls.JMP | JmpOp.JEQ | Src.K, 1, 0, 1, 0));
  body.push(insn(Cls.JMP | JmpOp.JA, 0, 0, -2));
  body.push(insn(Cls.JMP | JmpOp.JNE | Src.K, 1, 0, 1, 0));
  body.push(insn(Cls.JMP32 | JmpOp.JA, 0, 0, 0, -2));
  body.push(insn(Cls.JMP | JmpOp.JCOND, 0, 0, 1));
  body.push(insn(Cls.JMP | JmpOp.JGT | Src.X, 7, 8, -2, 0));
  body.push(insn(Cls.JMP | JmpOp.JCOND, 0, 0, -1));
  const tailAt = body.length;
  for (const at of tailPlaceholder) body[at] = { ...body[at], off: tailAt - at - 1 };
  return { name: 'jump', progType: 'xdp', insns: body };
}

function callGroup(): Group {
  const out: Insn[] = [];
  for (const id of [1, 2, 5, 6, 7, 12, 14, 51, 130, 181, 211]) out.push(insn(Cls.JMP | JmpOp.CALL, 0, 0, 0, id));
  // bpf-to-bpf call to the subprogram after the exit tail
  out.push(insn(Cls.JMP | JmpOp.CALL, 0, 1, 0, 2));
  return { name: 'call', progType: 'xdp', insns: out };
}

function helperIdGroup(id: number): Group {
  return { name: `helper${id}`, progType: 'xdp', insns: [insn(Cls.JMP | JmpOp.CALL, 0, 0, 0, id)] };
}

function ldImmGroup(): Group {
  const out: Insn[] = [];
  const ld = (dst: number, src: number, lo: number, hi: number): void => {
    out.push(insn(LD_IMM64_CODE, dst, src, 0, lo), insn(0, 0, 0, 0, hi));
  };
  ld(1, 0, 0, 0);
  ld(2, 0, 1, 0);
  ld(3, 0, -1, -1);
  ld(4, 0, 0x12345678, 0x9abcdef);
  ld(5, 0, 0, 1);
  ld(6, 0, -0x80000000, 0x7fffffff);
  ld(7, 1, 0, 0); // map fd (map index 0 in the bundle)
  ld(8, 2, 0, 8); // map value + 8
  ld(9, 2, 0, 0);
  return {
    name: 'ldimm',
    progType: 'xdp',
    insns: out,
    maps: [{ name: 'm', type: 'array', keySize: 4, valueSize: 16, maxEntries: 1 }],
  };
}

/** PSEUDO_FUNC as a bpf_loop callback: the log prints the raw relative imm. */
function funcGroup(): Group {
  return {
    name: 'func',
    progType: 'xdp',
    insns: [
      insn(Cls.ALU64 | AluOp.MOV | Src.K, 1, 0, 0, 4),
      insn(LD_IMM64_CODE, 2, 4, 0, 6), insn(0),
      insn(Cls.ALU64 | AluOp.MOV | Src.K, 3, 0, 0, 0),
      insn(Cls.ALU64 | AluOp.MOV | Src.K, 4, 0, 0, 0),
      insn(Cls.JMP | JmpOp.CALL, 0, 0, 0, 181),
    ],
  };
}

function withTail(g: Group): { bundle: object; group: Group } {
  const insns = [...g.insns, ...EXIT_TAIL];
  if (g.name === 'call' || g.name === 'func') insns.push(...EXIT_TAIL); // the subprogram
  const full = { ...g, insns };
  return { group: full, bundle: { progType: g.progType, insns: insnsToHex(insns), maps: g.maps ?? [], logLevel: 2, license: 'GPL' } };
}

/** The "Live regs before insn:" section: `  12: .1........ (bf) r1 = r2` (`  4 12: ...` inside a loop). */
function liveRegsLines(log: string): Record<number, string> {
  const lines: Record<number, string> = {};
  const start = log.indexOf('Live regs before insn:');
  if (start < 0) return lines;
  for (const line of log.slice(start).split('\n').slice(1)) {
    const m = /^\s*(?:\d+ +)?(\d+): [.0-9]{10} (\(.*)$/.exec(line); // loops carry an SCC number first
    if (!m) break;
    lines[Number(m[1])] = m[2];
  }
  return lines;
}

const groups: Group[] = [aluGroup(), memGroup(), skbGroup(), jumpGroup(), callGroup(), ldImmGroup(), funcGroup()];
for (const id of [0, 212, 1000, -1]) groups.push(helperIdGroup(id));

const prepared = groups.map(withTail);
const input = prepared.map((p) => JSON.stringify(p.bundle)).join('\n') + '\n';
const output = execFileSync('python3', [KBPF, '--batch', '-'], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
const results = output.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; log: string; errorLine: string | null });

const golden = prepared.map((p, i) => {
  const lines = liveRegsLines(results[i].log ?? '');
  const n = Object.keys(lines).length;
  console.error(`${p.group.name}: ${results[i].verdict} (${results[i].errorLine ?? ''}), ${n} lines of ${p.group.insns.length} slots`);
  return {
    name: p.group.name,
    progType: p.group.progType,
    insns: insnsToHex(p.group.insns),
    maps: p.group.maps ?? [],
    errorLine: n === 0 ? results[i].errorLine : null,
    lines,
  };
});

mkdirSync('test-data/asm', { recursive: true });
writeFileSync(
  'test-data/asm/kernel-disasm.json',
  JSON.stringify({ source: 'Linux 6.18 verifier log level 2, "Live regs before insn:" section; generated by scripts/gen-asm-golden.ts', programs: golden }, null, 1) + '\n',
);
