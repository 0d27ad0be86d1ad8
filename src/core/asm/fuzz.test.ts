/**
 * Seeded fuzzing: no input may make the assembler or disassembler throw,
 * diagnostics always point into the text, and any 8-byte slots survive
 * disassemble → assemble unchanged.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Insn, insnsToHex } from '../isa/insn.ts';
import type { AssembleResult } from './types.ts';
import { assemble, disassemble, disasmKernelInsn } from './index.ts';
import { mulberry32 as rng } from '../num/prng.ts';


const PIECES = [
  'r0', 'r1', 'w2', 'r10', 'r11', 'r99999999999', ' = ', ' += ', ' s>>= ', ' -', '+', '*', '(u32 *)', '(s8)', '(r1 + 4)', '(r10 -8)', 'skb[', ']', '[', '(', ')',
  'if ', ' goto ', 'gotol ', 'may_goto ', 'call ', 'callx ', 'exit', 'lock ', 'map[', 'map_value(', 'id:', ' ll', 'func ', '&', 'pc+', 'pc-', ':', ';', '//', '#', '/*', '*/',
  '0x', '0xffffffffffffffffff', '-2147483649', '42', '65536', '.map ', '.prog ', '.license ', '.raw ', 'array ', 'key=', 'value=4', 'entries=', '"GPL"', '"', 'label', 'label:',
  'atomic64_fetch_add(', 'cmpxchg_64(', 'xchg32_32(', 'load_acquire(', 'store_release(', 'be16 ', 'bswap64 ', 'addr_space_cast(', ', ', '\n', '\t', ' ', '%r1', 'mov ', 'lddw ',
  '12: (bf) ', '(18) ', ' ; R1=ctx()', '\u00e9', '\u{1F600}', '\0', '\r\n',
];

const corpus = [
  readFileSync(new URL('../../../test-data/asm/dns_drop.s', import.meta.url), 'utf8'),
  ...(JSON.parse(readFileSync(new URL('../../../test-data/asm/syntax-golden.json', import.meta.url), 'utf8')) as { lines: { source: string }[] }).lines.map((l) => l.source),
];

function checkResult(source: string, r: AssembleResult): void {
  const lineCount = source.split('\n').length;
  if (r.ok) {
    for (const i of r.program.insns) {
      expect(i.code >= 0 && i.code <= 255 && i.dst >= 0 && i.dst <= 15 && i.src >= 0 && i.src <= 15).toBe(true);
      expect(Number.isInteger(i.off) && i.off >= -32768 && i.off <= 32767 && Number.isInteger(i.imm) && i.imm === (i.imm | 0)).toBe(true);
    }
    return;
  }
  expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
  for (const d of r.diagnostics) {
    expect(d.line >= 1 && d.line <= lineCount, `line ${d.line} of ${lineCount}: ${d.message}`).toBe(true);
    expect(d.column >= 1 && (d.endColumn ?? d.column) >= d.column).toBe(true);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/internal assembler error/);
  }
}

describe('fuzz (seeded)', () => {
  it('random token soup never throws and yields well-formed diagnostics', () => {
    const rand = rng(1);
    for (let n = 0; n < 4000; n++) {
      let s = '';
      const len = Math.floor(rand() * 14);
      for (let k = 0; k < len; k++) s += PIECES[Math.floor(rand() * PIECES.length)];
      checkResult(s, assemble(s, { dialect: 'kernel' }));
      expect(() => assemble(s)).not.toThrow();
    }
  });

  it('random characters never throw', () => {
    const rand = rng(2);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(rand() * 60);
      for (let k = 0; k < len; k++) s += String.fromCharCode(rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0x3000));
      checkResult(s, assemble(s, { dialect: 'kernel' }));
    }
  });

  it('mutations of valid programs never throw', () => {
    const rand = rng(3);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    for (let n = 0; n < 4000; n++) {
      let s = pick(corpus);
      for (let m = 1 + Math.floor(rand() * 4); m > 0; m--) {
        const at = Math.floor(rand() * (s.length + 1));
        const r = rand();
        if (r < 0.3) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 4));
        else if (r < 0.6) s = s.slice(0, at) + pick(PIECES) + s.slice(at);
        else if (r < 0.8) s = s.slice(0, at) + String.fromCharCode(32 + Math.floor(rand() * 95)) + s.slice(at);
        else s = s.slice(0, at);
      }
      checkResult(s, assemble(s, { dialect: 'kernel' }));
      expect(() => assemble(s)).not.toThrow();
    }
  });

  it('random instruction slots survive disassemble → assemble, and the kernel printer never throws', () => {
    const rand = rng(4);
    const u = (bits: number): number => Math.floor(rand() * 2 ** bits);
    for (let n = 0; n < 2000; n++) {
      const insns: Insn[] = [];
      for (let k = 1 + u(3); k > 0; k--) {
        insns.push({ code: u(8), dst: u(4), src: u(4), off: u(16) - 32768, imm: (u(32) | 0) });
      }
      for (let i = 0; i < insns.length; i++) expect(typeof disasmKernelInsn(insns, i)).toBe('string');
      const text = disassemble(insns, { style: 'asm' });
      const r = assemble(text, { dialect: 'kernel' });
      expect(r.ok ? insnsToHex(r.program.insns) : `${r.diagnostics[0].message}\n${text}`).toBe(insnsToHex(insns));
    }
  });
});
