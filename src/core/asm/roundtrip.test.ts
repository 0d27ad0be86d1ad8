/**
 * assemble(disassemble(x)) reproduces x byte for byte: every valid opcode
 * with representative register/offset/immediate values, and every program
 * of the bpf_conformance suite.
 */
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../num/prng.ts';
import { describe, expect, it } from 'vitest';
import { Insn, insnsFromHex, insnsToHex } from '../isa/insn.ts';
import { AtomicOp, Cls, JmpOp, LD_IMM64_CODE, Mode, PseudoCall, PseudoLd, cls, mode } from '../isa/opcodes.ts';
import { isKnownOpcode, validateProgram } from '../isa/validate.ts';
import type { ProgramSpec } from '../program.ts';
import { assemble, disassemble } from './index.ts';

const REGS: [number, number][] = [[0, 1], [1, 10], [10, 9], [5, 0]];
const OFFS = [0, 1, -1, 8, -8, 32767, -32768];
const IMMS = [0, 1, -1, 16, 32, 64, 0x7fffffff, -0x80000000, 0x1234];
const ATOMICS = [
  AtomicOp.ADD, AtomicOp.OR, AtomicOp.AND, AtomicOp.XOR,
  AtomicOp.ADD | AtomicOp.FETCH, AtomicOp.OR | AtomicOp.FETCH, AtomicOp.AND | AtomicOp.FETCH, AtomicOp.XOR | AtomicOp.FETCH,
  AtomicOp.XCHG, AtomicOp.CMPXCHG, AtomicOp.LOAD_ACQ, AtomicOp.STORE_REL,
];

/** Every field combination of `code` from the value lists that the strict validator accepts. */
function variants(code: number): Insn[][] {
  const out: Insn[][] = [];
  const imms = cls(code) === Cls.STX && mode(code) === Mode.ATOMIC ? ATOMICS : IMMS;
  for (const [dst, src] of REGS) {
    for (const off of [...OFFS, 16, 32]) {
      for (const imm of imms) {
        for (const s of code === (Cls.JMP | JmpOp.CALL) ? [PseudoCall.HELPER, PseudoCall.CALL, PseudoCall.KFUNC] : [src]) {
          const prog = [{ code, dst, src: s, off, imm }];
          if (validateProgram(prog).length === 0) out.push(prog);
          // operands without a src register are encoded with src = 0
          const zeroSrc = [{ code, dst, src: 0, off, imm }];
          if (s !== 0 && validateProgram(zeroSrc).length === 0) out.push(zeroSrc);
        }
      }
    }
  }
  return out;
}

function roundTrip(insns: Insn[], spec?: Partial<ProgramSpec>): string {
  const program: ProgramSpec = { name: 'p', progType: 'xdp', maps: [], license: 'GPL', ...spec, insns };
  const text = disassemble(program, { style: 'asm' });
  const r = assemble(text, { dialect: 'kernel' });
  if (!r.ok) return `assembly error ${r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')} in:\n${text}`;
  return insnsToHex(r.program.insns);
}

describe('assemble(disassemble(x)) === x', () => {
  it('for every valid opcode with representative fields', () => {
    const wrong: string[] = [];
    let count = 0;
    for (let code = 0; code < 256; code++) {
      if (!isKnownOpcode(code) || code === LD_IMM64_CODE) continue;
      const vs = variants(code);
      expect(vs.length, `opcode ${code.toString(16)} has valid variants`).toBeGreaterThan(0);
      for (const prog of vs) {
        count++;
        const want = insnsToHex(prog);
        const got = roundTrip(prog);
        if (got !== want) wrong.push(`${want}: ${got}`);
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(count).toBeGreaterThan(5000);
  });

  it('for every LD_IMM64 form, with and without map names', () => {
    const maps = [
      { name: 'counters', type: 'array' as const, keySize: 4, valueSize: 8, maxEntries: 2, flags: 0 },
      { name: 'table', type: 'hash' as const, keySize: 8, valueSize: 16, maxEntries: 64, flags: 1 },
    ];
    const ld = (dst: number, src: number, lo: number, hi: number): Insn[] => [
      { code: LD_IMM64_CODE, dst, src, off: 0, imm: lo },
      { code: 0, dst: 0, src: 0, off: 0, imm: hi },
    ];
    const exit: Insn = { code: Cls.JMP | JmpOp.EXIT, dst: 0, src: 0, off: 0, imm: 0 };
    const cases: Insn[][] = [];
    for (const [lo, hi] of [[0, 0], [1, 0], [-1, -1], [0x12345678, 0x9abcdef], [-0x80000000, 0x7fffffff]]) cases.push(ld(3, PseudoLd.NONE, lo, hi));
    for (const idx of [0, 1]) {
      cases.push(ld(1, PseudoLd.MAP_FD, idx, 0));
      for (const off of [0, 8, -4, 0x7fffffff]) cases.push(ld(2, PseudoLd.MAP_VALUE, idx, off));
    }
    cases.push(ld(4, PseudoLd.BTF_ID, 77, 0), ld(5, PseudoLd.MAP_IDX, 3, 0), ld(6, PseudoLd.MAP_IDX_VALUE, 2, 24));
    cases.push([...ld(2, PseudoLd.FUNC, 1, 0), exit, exit]);
    cases.push([exit, ...ld(2, PseudoLd.FUNC, -4, 0), exit]);
    for (const c of cases) {
      expect(roundTrip(c, { maps })).toBe(insnsToHex(c));
      expect(roundTrip(c)).toBe(insnsToHex(c));
    }
  });

  it('keeps program type, maps and license', () => {
    const insns = insnsFromHex('18110000000000000000000000000000b7000000000000009500000000000000');
    if (!insns.ok) throw new Error(insns.error);
    const spec: ProgramSpec = {
      name: 'p',
      progType: 'sched_cls',
      license: 'Dual BSD/GPL',
      insns: insns.insns,
      maps: [{ name: 'm', type: 'percpu_hash', keySize: 4, valueSize: 8, maxEntries: 16, flags: 1 }],
    };
    const r = assemble(disassemble(spec, { style: 'asm' }));
    expect(r.ok && { progType: r.program.progType, license: r.program.license, maps: r.program.maps }).toEqual({
      progType: spec.progType,
      license: spec.license,
      maps: spec.maps,
    });
  });

  it('keeps frozen maps, .rodata and initial contents (numbers, strings, hex)', () => {
    const insns = insnsFromHex('18210000000000000000000003000000' + '18120000010000000000000000000000' + '9500000000000000');
    if (!insns.ok) throw new Error(insns.error);
    const b = (...x: number[]): Uint8Array => Uint8Array.from(x);
    const all = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
    const maps: ProgramSpec['maps'] = [
      // exactly what `.rodata` makes: printed back as .rodata, with a string or hex data
      { name: 'greeting', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0x80, frozen: true, init: [{ key: b(0, 0, 0, 0), value: b(0x68, 0x69, 0x09, 0x22, 0x5c, 0x0a, 0x7e, 0) }] },
      { name: 'table', type: 'array', keySize: 4, valueSize: 3, maxEntries: 1, flags: 0x80, frozen: true, init: [{ key: b(0, 0, 0, 0), value: b(1, 0, 2) }] },
      // almost .rodata (not frozen; two entries), so .map and .init
      { name: 'ro', type: 'array', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0x80, init: [{ key: b(0, 0, 0, 0), value: b(0x61, 0x62, 0x63, 0) }] },
      { name: 'cfg', type: 'array', keySize: 4, valueSize: 40, maxEntries: 3, flags: 0, frozen: true, init: [
        { key: b(2, 0, 0, 0), value: all },
        { key: b(0, 0, 0, 0), value: new Uint8Array(40) },
        { key: b(1, 0, 0, 0), value: Uint8Array.from([...'eth0'].map((c) => c.charCodeAt(0)).concat(new Array<number>(36).fill(0))) },
      ] },
      { name: 'h', type: 'hash', keySize: 8, valueSize: 8, maxEntries: 4, flags: 1, init: [
        { key: b(1, 2, 3, 4, 5, 6, 7, 0xff), value: b(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) },
        { key: b(7, 0, 0, 0, 0, 0, 0, 0), value: b(0x41, 0x42, 0, 0, 0, 0, 0, 0) },
        { key: b(8, 0, 0, 0, 0, 0, 0, 0), value: b(0x41, 0x42, 0x43, 0x44, 0, 0, 0, 0) },
      ] },
      { name: 'big', type: 'hash', keySize: 12, valueSize: 2, maxEntries: 2, flags: 0, init: [{ key: b(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9), value: b(0x34, 0x12) }] },
      { name: 'q', type: 'queue', keySize: 0, valueSize: 4, maxEntries: 2, flags: 0, init: [{ key: b(), value: b(9, 0, 0, 0) }, { key: b(), value: b(0, 0, 0, 0x80) }] },
      { name: 'bf', type: 'bloom_filter', keySize: 0, valueSize: 4, maxEntries: 8, flags: 0, mapExtra: 3, init: [{ key: b(), value: b(1, 2, 3, 4) }] },
    ];
    const spec: ProgramSpec = { name: 'p', progType: 'xdp', license: 'GPL', insns: insns.insns, maps };
    const text = disassemble(spec, { style: 'asm' });
    expect(text).toContain('.rodata greeting "hi\\t\\"\\\\\\n~"\n.rodata table x"010002"\n');
    expect(text).toContain('.init cfg 1 = "eth0"\n');
    const r = assemble(text);
    if (!r.ok) throw new Error(`${r.diagnostics[0].line}: ${r.diagnostics[0].message} in\n${text}`);
    expect(r.diagnostics).toEqual([]);
    expect(insnsToHex(r.program.insns)).toBe(insnsToHex(insns.insns));
    expect(r.program.maps).toEqual(maps);
  });

  it('for seeded random data directives: never an internal error, and maps survive the round trip', () => {
    const random = mulberry32(0x5eed);
    const n = (k: number): number => Math.floor(random() * k);
    const pick = <T,>(a: readonly T[]): T => a[n(a.length)];
    const literal = (): string =>
      pick([
        () => String(n(300)),
        () => `-${n(5)}`,
        () => `0x${n(1 << 30).toString(16)}${n(1 << 30).toString(16)}`,
        () => `"${pick(['', 'a', 'ab\\n', '\u00e9', '\\x7f\\0z', '\\"', ';#', 'a longer string'])}"`,
        () => `x"${pick(['', '00', 'ff01', '0102030405060708090a'])}"`,
      ])();
    let assembled = 0;
    for (let i = 0; i < 3000; i++) {
      const lines: string[] = [];
      for (let l = 1 + n(6); l > 0; l--) {
        const name = pick(['m', 'n', 'q']);
        const kind = n(3);
        if (kind === 0) {
          const type = pick(['array', 'hash', 'queue', 'percpu_array', 'lru_hash', 'stack', 'bloom_filter', 'lpm_trie']);
          lines.push(`.map ${name} ${type} key=${pick([0, 4, 8, 12])} value=${pick([1, 4, 8, 16])} entries=${pick([1, 2, 4])}${pick(['', ' frozen', ' flags=0x80 frozen', ' flags=1', ' extra=2'])}`);
        } else if (kind === 1) lines.push(n(3) ? `.init ${name} ${literal()} = ${literal()}` : `.init ${name} = ${literal()}`);
        else lines.push(`.rodata ${name} ${literal()}`);
      }
      const source = [...lines, 'r0 = 0', 'exit'].join('\n');
      const r = assemble(source, { dialect: 'kernel' });
      expect(r.diagnostics.filter((d) => d.message.startsWith('internal')), source).toEqual([]);
      if (!r.ok) continue;
      assembled++;
      const text = disassemble(r.program, { style: 'asm' });
      const again = assemble(text, { dialect: 'kernel' });
      expect(again.ok && again.program.maps, text).toEqual(r.program.maps);
    }
    expect(assembled).toBeGreaterThan(300);
  });

  it('keeps invalid encodings too (as .raw)', () => {
    const odd: Insn[] = [
      { code: 0xff, dst: 1, src: 2, off: 3, imm: 4 },
      { code: Cls.ALU64 | 0x00, dst: 12, src: 0, off: 0, imm: 0 },
      { code: Cls.JMP | JmpOp.EXIT, dst: 0, src: 0, off: 5, imm: 0 },
      { code: LD_IMM64_CODE, dst: 1, src: 0, off: 0, imm: 0 },
    ];
    expect(roundTrip(odd)).toBe(insnsToHex(odd));
  });

  const conformance = readFileSync(new URL('../../../test-data/conformance/tests.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; insns: string });

  it(`for all ${conformance.length} bpf_conformance programs, with labels and without, in both styles where lossless`, () => {
    expect(conformance.length).toBe(313);
    const wrong: string[] = [];
    for (const t of conformance) {
      const dec = insnsFromHex(t.insns);
      if (!dec.ok) throw new Error(`${t.file}: ${dec.error}`);
      for (const labels of [true, false]) {
        const text = disassemble(dec.insns, { style: 'asm', labels });
        const r = assemble(text, { dialect: 'kernel' });
        const got = r.ok ? insnsToHex(r.program.insns) : r.diagnostics[0].message;
        if (got !== t.insns) wrong.push(`${t.file} (labels ${labels}): ${got}`);
      }
      // the kernel-log style reassembles too, except LD_IMM64 pseudo forms (printed as
      // addresses) and callx, which the kernel's printer shows as a helper call
      const lossy = (i: Insn): boolean => (i.code === LD_IMM64_CODE && i.src !== 0) || i.code === (Cls.JMP | JmpOp.CALL | 0x08);
      if (!dec.insns.some(lossy)) {
        const r = assemble(disassemble(dec.insns, { style: 'kernel' }), { dialect: 'kernel' });
        const got = r.ok ? insnsToHex(r.program.insns) : r.diagnostics[0].message;
        if (got !== t.insns) wrong.push(`${t.file} (kernel style): ${got}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('disassemble', () => {
  const prog = (hex: string): Insn[] => {
    const d = insnsFromHex(hex);
    if (!d.ok) throw new Error(d.error);
    return d.insns;
  };

  it('prints the kernel style as the verifier log does, skipping the second LD_IMM64 slot', () => {
    // r1 = 0x100000002 ll; if r1 > 0x5 goto pc+1; r0 = 0; exit
    const insns = prog('1801000002000000' + '0000000001000000' + '2501010005000000' + 'b700000000000000' + '9500000000000000');
    expect(disassemble(insns, { style: 'kernel' })).toBe(
      '0: (18) r1 = 0x100000002\n2: (25) if r1 > 0x5 goto pc+1\n3: (b7) r0 = 0\n4: (95) exit\n',
    );
  });

  it('names jump and call targets with labels, preferring the program’s own', () => {
    // 0: if r1 == 0 goto +1; 1: call pc+1; 2: exit; 3: r0 = 0; 4: exit
    const insns = prog('1501010000000000' + '8510000001000000' + '9500000000000000' + 'b700000000000000' + '9500000000000000');
    const spec: ProgramSpec = { name: 'p', progType: 'xdp', maps: [], license: 'GPL', insns, labels: { 3: 'helper_fn' } };
    expect(disassemble(spec, { style: 'asm' })).toBe(
      '.prog xdp\n    if r1 == 0x0 goto L2\n    call helper_fn\nL2:\n    exit\nhelper_fn:\n    r0 = 0\n    exit\n',
    );
    expect(disassemble(insns, { style: 'asm', labels: false })).toBe('if r1 == 0x0 goto +1\ncall pc+1\nexit\nr0 = 0\nexit\n');
  });
});
