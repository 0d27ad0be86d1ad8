import { describe, expect, it } from 'vitest';
import { Insn, insn, insnsToHex } from '../../isa/insn.ts';
import { AluOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, Size, Src } from '../../isa/opcodes.ts';
import type { Diagnostic } from '../../program.ts';
import { assembleKernel } from './assemble.ts';

function ok(source: string) {
  const r = assembleKernel(source);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column}: ${d.message}`).join('\n'));
  return r.program;
}

function errors(source: string): Diagnostic[] {
  const r = assembleKernel(source);
  expect(r.ok).toBe(false);
  return r.diagnostics.filter((d) => d.severity === 'error');
}

const EXIT = insn(Cls.JMP | JmpOp.EXIT);
const hex = (insns: Insn[]): string => insnsToHex(insns);

describe('labels and jumps', () => {
  it('computes forward and backward offsets relative to the next instruction', () => {
    const p = ok(`
start:
    r1 = 0
loop:
    r1 += 1          // count
    if r1 < 10 goto loop
    if r1 == r2 goto out
    goto +0
    r2 = 0x1 ll       # a 2-slot instruction moves the label below
out:
    exit
`);
    expect(hex(p.insns)).toBe(
      hex([
        insn(Cls.ALU64 | AluOp.MOV | Src.K, 1),
        insn(Cls.ALU64 | AluOp.ADD | Src.K, 1, 0, 0, 1),
        insn(Cls.JMP | JmpOp.JLT | Src.K, 1, 0, -2, 10),
        insn(Cls.JMP | JmpOp.JEQ | Src.X, 1, 2, 3),
        insn(Cls.JMP | JmpOp.JA),
        insn(LD_IMM64_CODE, 2, 0, 0, 1),
        insn(0),
        EXIT,
      ]),
    );
    expect(p.labels).toEqual({ 0: 'start', 1: 'loop', 7: 'out' });
    expect(p.sourceMap?.[2]).toEqual({ line: 6, column: 5 });
    expect(p.sourceMap?.[6]).toEqual({ line: 9, column: 5 });
  });

  it('calls a subprogram by label (src 1, relative imm) and loads its address (src 4)', () => {
    const p = ok('call my_subprog\nr1 = &my_subprog\nr2 = func my_subprog ll\nr3 = my_subprog ll\nexit\nmy_subprog: r0 = 0\nexit');
    expect(p.insns[0]).toEqual(insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.CALL, 0, 7));
    expect(p.insns[1]).toEqual(insn(LD_IMM64_CODE, 1, PseudoLd.FUNC, 0, 6));
    expect(p.insns[3]).toEqual(insn(LD_IMM64_CODE, 2, PseudoLd.FUNC, 0, 4));
    expect(p.insns[5]).toEqual(insn(LD_IMM64_CODE, 3, PseudoLd.FUNC, 0, 2));
  });

  it('gotol reaches beyond 16 bits; goto to a label that far is an error', () => {
    const far = 'r0 = 0\n'.repeat(40000);
    const p = ok(`gotol end\n${far}end: exit`);
    expect(p.insns[0]).toEqual(insn(Cls.JMP32 | JmpOp.JA, 0, 0, 0, 40000));
    const [e] = errors(`goto end\n${far}end: exit`);
    expect(e).toMatchObject({ line: 1, column: 6, endColumn: 9 });
    expect(e.message).toMatch(/too far for a 16-bit offset.*gotol/);
  });
});

describe('helpers, maps and directives', () => {
  it('resolves helper names, ids and the log form', () => {
    const p = ok('call bpf_map_lookup_elem\ncall map_update_elem\ncall 3\ncall bpf_map_lookup_elem#1\ncall pc+3\ncallx r2\nexit');
    expect(p.insns.map((i) => [i.src, i.imm])).toEqual([[0, 1], [0, 2], [0, 3], [0, 1], [1, 3], [0, 0], [0, 0]]);
    expect(p.insns[5]).toEqual(insn(Cls.JMP | JmpOp.CALL | Src.X, 2));
  });

  it('declares maps and references them by name, index, value offset and bare symbol', () => {
    const p = ok(`
.prog socket_filter
.license "Dual BSD/GPL"
.map counters array key=4 value=8 entries=2
.map flows hash key=8 value=16 entries=1024 flags=1
r1 = map[flows] ll
r1 = map[0] ll
r1 = map[flows][0] + 16
r1 = map_value[counters] + 8 ll
r1 = map_value(flows)
r1 = counters ll
r1 = map[id:5]
exit
`);
    expect(p.progType).toBe('socket_filter');
    expect(p.license).toBe('Dual BSD/GPL');
    expect(p.maps).toEqual([
      { name: 'counters', type: 'array', keySize: 4, valueSize: 8, maxEntries: 2, flags: 0 },
      { name: 'flows', type: 'hash', keySize: 8, valueSize: 16, maxEntries: 1024, flags: 1 },
    ]);
    const pairs = [];
    for (let i = 0; i < p.insns.length - 1; i += 2) pairs.push([p.insns[i].src, p.insns[i].imm, p.insns[i + 1].imm]);
    expect(pairs).toEqual([
      [PseudoLd.MAP_FD, 1, 0],
      [PseudoLd.MAP_FD, 0, 0],
      [PseudoLd.MAP_VALUE, 1, 16],
      [PseudoLd.MAP_VALUE, 0, 8],
      [PseudoLd.MAP_VALUE, 1, 0],
      [PseudoLd.MAP_FD, 0, 0],
      [PseudoLd.MAP_FD, 5, 0],
    ]);
  });

  it('reads bpftool\'s pseudo forms: map[id:N] (with a warning), map[idx:N], map[idx:N]+off', () => {
    const r = assembleKernel('r1 = map[id:5]\nr2 = map[id:5][0]+16\nr3 = map[idx:2]\nr4 = map[idx:2]+8\nexit');
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const pairs = [];
    for (let i = 0; i < 8; i += 2) pairs.push([r.program.insns[i].src, r.program.insns[i].imm, r.program.insns[i + 1].imm]);
    expect(pairs).toEqual([
      [PseudoLd.MAP_FD, 5, 0],
      [PseudoLd.MAP_VALUE, 5, 16],
      [PseudoLd.MAP_IDX, 2, 0],
      [PseudoLd.MAP_IDX_VALUE, 2, 8],
    ]);
    expect(r.diagnostics.map((d) => [d.severity, d.line, d.column])).toEqual([['warning', 1, 10], ['warning', 2, 10]]);
    expect(r.diagnostics[0].message).toMatch(/kernel map id; bpfiddle uses it as map index 5/);
  });

  it('defaults to xdp, GPL, no maps; map[N] works without declarations (bundle maps)', () => {
    const p = ok('r1 = map[2] ll\nexit');
    expect([p.progType, p.license, p.maps, p.insns[0].imm]).toEqual(['xdp', 'GPL', [], 2]);
  });

  it('emits .raw bytes verbatim', () => {
    expect(hex(ok('.raw ff12345678abcdef\nexit').insns)).toBe('ff12345678abcdef9500000000000000');
  });
});

describe('syntax details', () => {
  it('accepts comments of every kind, including block comments over lines', () => {
    const p = ok('r0 = 1 ; semicolon\nr0 = 2 // slashes\n# hash line\nr0 = 3 # hash\n/* block\n r0 = 99\n*/ r0 = 4 /* inline */\nexit');
    expect(p.insns.map((i) => i.imm)).toEqual([1, 2, 3, 4, 0]);
  });

  it('strips pasted verifier-log and llvm-objdump prefixes, state comments and state-only lines', () => {
    const p = ok(
      [
        '0: R1=ctx() R10=fp0',
        '0: (bf) r6 = r1                       ; R1=ctx() R6=ctx()',
        '      1: .1........ (7b) *(u64 *)(r10 -8) = r1',
        '       2:\t15 01 01 00 00 00 00 00\tif r1 == 0x0 goto +0x1 <LBB0_2>',
        '0000000000000000 <xdp_prog>:',
        '4: (18) r1 = 0xffff88810468be00',
        '(95) exit',
      ].join('\n'),
    );
    expect(hex(p.insns)).toBe(
      hex([
        insn(Cls.ALU64 | AluOp.MOV | Src.X, 6, 1),
        insn(Cls.STX | Mode.MEM | Size.DW, 10, 1, -8),
        insn(Cls.JMP | JmpOp.JEQ | Src.K, 1, 0, 1, 0),
        insn(LD_IMM64_CODE, 1, 0, 0, 0x0468be00),
        insn(0, 0, 0, 0, 0xffff8881 | 0),
        EXIT,
      ]),
    );
    expect(p.labels?.[3]).toBe('xdp_prog');
  });

  it('applies llvm-objdump -dr relocation lines to the instruction above them', () => {
    const p = ok(
      [
        '.map counters array key=4 value=8 entries=2',
        '0000000000000000 <xdp_prog>:',
        '       0:\t18 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00\tr1 = 0x0 ll',
        '\t\t0000000000000000:  R_BPF_64_64\tcounters',
        '       2:\t85 10 00 00 ff ff ff ff\tcall -0x1',
        '\t\t0000000000000010:  R_BPF_64_32\tsub',
        '       3:\t95 00 00 00 00 00 00 00\texit',
        '0000000000000020 <sub>:',
        '       4:\tb7 00 00 00 00 00 00 00\tr0 = 0x0',
        '       5:\t95 00 00 00 00 00 00 00\texit',
      ].join('\n'),
    );
    expect(p.insns[0]).toEqual(insn(LD_IMM64_CODE, 1, PseudoLd.MAP_FD, 0, 0));
    expect(p.insns[2]).toEqual(insn(Cls.JMP | JmpOp.CALL, 0, PseudoCall.CALL, 0, 1));
    expect(p.labels).toEqual({ 0: 'xdp_prog', 4: 'sub' });
    const [e] = errors('r0 = 0\n  00000008:  R_BPF_64_64 counters\nexit');
    expect(e).toMatchObject({ line: 2, column: 14, message: 'relocation R_BPF_64_64 counters does not follow an instruction it can apply to' });
  });

  it('accepts 32-bit immediates written signed or unsigned, and 64-bit ll constants', () => {
    const p = ok('r1 = 0xffffffff\nr2 = -1\nw3 = 0x80000000\nr4 = 0xfedcba9876543210 ll\nr5 = -2 ll');
    expect(p.insns.map((i) => i.imm)).toEqual([-1, -1, -0x80000000, 0x76543210, 0xfedcba98 | 0, -2, -1]);
  });

  it('writes to r10 are the verifier’s business, not the assembler’s', () => {
    expect(ok('r10 = 0\nexit').insns[0]).toEqual(insn(Cls.ALU64 | AluOp.MOV | Src.K, 10));
  });

  it('marks clang -S bookkeeping directives as ignored, with a warning', () => {
    const r = assembleKernel('.text\n.globl prog\nprog:\nr0 = 0\nexit');
    expect(r.ok).toBe(true);
    expect(r.diagnostics.map((d) => [d.severity, d.line])).toEqual([['warning', 1], ['warning', 2]]);
  });

  it('warns when a pasted (op) prefix disagrees with the text', () => {
    const r = assembleKernel('(b7) r1 = r2\nexit');
    expect(r.ok && r.diagnostics[0]).toMatchObject({ severity: 'warning', line: 1, message: expect.stringMatching(/\(b7\).*\(bf\)/) });
  });

  it('fills sourceMap for both slots of an LD_IMM64', () => {
    const p = ok('  r1 = 5 ll\nexit');
    expect(p.sourceMap).toEqual([{ line: 1, column: 3 }, { line: 1, column: 3 }, { line: 2, column: 1 }]);
  });
});

describe('errors', () => {
  it('explain what was expected, with line, column and end column', () => {
    const cases: [string, RegExp, number, number][] = [
      ['r1 =+ 2', /^unknown instruction 'r1 =\+ 2'; expected an assignment like 'r1 \+= 2'/, 4, 6],
      ['if r1 > 5 goto out', /^undefined label 'out'$/, 16, 19],
      ['r1 = 0x1ffffffff', /^immediate 0x1ffffffff does not fit in 32 bits; for a 64-bit constant write 'r1 = 0x1ffffffff ll'$/, 6, 17],
      ['r11 = 1', /^register r11 does not exist \(r0-r10\)$/, 1, 4],
      ['r1 += w2', /w2 is a 32-bit register and r1 is 64-bit/, 1, 3],
      ['r0 = *(u32 *)(r1 + 40000)', /^offset 40000 does not fit in 16 bits/, 20, 25],
      ['goto +40000', /does not fit in 16 bits.*gotol/, 6, 12],
      ['r1 = map[nope] ll', /^undefined map 'nope'; declare it first, like '\.map nope array/, 10, 14],
      ['call bpf_no_such_helper', /^unknown helper or function 'bpf_no_such_helper'/, 6, 24],
      ['mov r1, 2', /^unknown instruction 'mov r1, 2'; expected an instruction like.*looks like the uBPF mnemonic dialect/, 1, 10],
      ['frobnicate r1', /^unknown instruction 'frobnicate r1'; expected an instruction like .*or 'exit'$/, 1, 14],
      ['r0 = *(u128 *)(r1 + 0)', /^'u128' is not a load size/, 7, 15],
      ['if r1 =< 5 goto +1', /^'=' is not a comparison/, 7, 8],
      ['r1 = 5 6', /^unexpected '6' after the instruction$/, 8, 9],
      ['lock *(u64 *)(r1 + 0) -= r2', /^'-=' is not an atomic operation/, 23, 25],
      ['r2 = atomic_fetch_add((u64 *)(r1 + 0), r3)', /result goes to the value register/, 1, 3],
      ['.prog xdpp', /^unknown program type 'xdpp'; expected one of socket_filter, /, 7, 11],
      ['.map m arrray key=4 value=4 entries=1', /^unknown map type 'arrray'/, 8, 14],
      ['.bogus 1', /^unknown directive '\.bogus'/, 1, 7],
      ['r1 = 12ab', /^'12ab' is not a number/, 6, 10],
      ['r1 = be16 r2', /byte swaps work in place/, 11, 13],
      ['r0 = *(u8 *)skb[r1 + 1', /^expected '\]' to close skb\[\.\.\.\] but the line ended$/, 23, 24],
    ];
    for (const [source, message, column, endColumn] of cases) {
      const [e] = errors(source + '\nexit');
      expect(e, source).toMatchObject({ line: 1, column, endColumn, severity: 'error' });
      expect(e.message, source).toMatch(message);
    }
  });

  it('collects every error, not just the first, in line order', () => {
    const es = errors('r1 =+ 2\nr0 = 1\nr12 = 3\n.map m array key=4 value=4 entries=1\n.map m array key=4 value=4 entries=1\ngoto nowhere\nexit');
    expect(es.map((e) => [e.line, e.message.slice(0, 30)])).toEqual([
      [1, "unknown instruction 'r1 =+ 2';"],
      [3, 'register r12 does not exist (r'],
      [5, "map 'm' is defined twice (firs"],
      [6, "undefined label 'nowhere'"],
    ]);
  });

  it('reports duplicate labels and empty programs', () => {
    expect(errors('a: r0 = 0\na: exit')[0]).toMatchObject({ line: 2, column: 1, message: "label 'a' is defined twice (first on line 1)" });
    expect(errors('  ; nothing here\n')[0].message).toMatch(/no instructions/);
  });

  it('checks numeric map indices against declared maps', () => {
    expect(errors('.map m array key=4 value=4 entries=1\nr1 = map[1] ll\nexit')[0]).toMatchObject({ line: 2, message: expect.stringMatching(/map index 1 does not exist; 1 map/) });
  });
});

describe('MOV forms', () => {
  it('encodes movsx, neg and the endian family like the ISA defines them', () => {
    const p = ok('r1 = (s8)r2\nw1 = (s16)w2\nr1 = (s32)r2\nr3 = -r3\nw3 = -w3\nr4 = be16 r4\nr4 = le64 r4\nr4 = bswap32 r4');
    expect(p.insns).toEqual([
      insn(Cls.ALU64 | AluOp.MOV | Src.X, 1, 2, 8),
      insn(Cls.ALU | AluOp.MOV | Src.X, 1, 2, 16),
      insn(Cls.ALU64 | AluOp.MOV | Src.X, 1, 2, 32),
      insn(Cls.ALU64 | AluOp.NEG, 3),
      insn(Cls.ALU | AluOp.NEG, 3),
      insn(Cls.ALU | AluOp.END | Src.X, 4, 0, 0, 16),
      insn(Cls.ALU | AluOp.END | Src.K, 4, 0, 0, 64),
      insn(Cls.ALU64 | AluOp.END | Src.K, 4, 0, 0, 32),
    ]);
  });
});
