import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsToHex } from '../../isa/insn.ts';
import { conformanceProgram, parseConformanceData } from './data-file.ts';

const testsDir = new URL('../../../../test-data/conformance/tests/', import.meta.url);

describe('parseConformanceData', () => {
  it('reads the 64-bit-word form of -- raw (lddw.data) to the golden bytes', () => {
    const parsed = parseConformanceData(readFileSync(new URL('lddw.data', testsDir), 'utf8'));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // tests.jsonl records lddw.data as these bytes.
    expect(insnsToHex(parsed.data.raw ?? [])).toBe('180000008877665500000000443322119500000000000000');
    expect(parsed.data.result).toBe(0x1122334455667788n);
    expect(parsed.data.sections).toEqual(['asm', 'raw', 'result']);
    // raw wins over asm, as in bpf_conformance's reader
    const prog = conformanceProgram(parsed.data);
    expect(prog.ok && insnsToHex(prog.program.insns)).toBe('180000008877665500000000443322119500000000000000');
  });

  it('reads mem, result, notes and asm line numbers', () => {
    const text = '# header\n-- asm\nmov %r0, %r2\nexit\n-- mem\n00 01\nff\n-- no register offset\n-- result\n0x3\n';
    const parsed = parseConformanceData(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect([...parsed.data.mem]).toEqual([0, 1, 255]);
    expect(parsed.data.result).toBe(3n);
    expect(parsed.data.expectedError).toBeNull();
    expect(parsed.data.asmFirstLine).toBe(3);
    const prog = conformanceProgram(parsed.data);
    expect(prog.ok && prog.program.sourceMap?.map((l) => l?.line)).toEqual([3, 4]);
  });

  it('keeps the expected error text', () => {
    const parsed = parseConformanceData('-- asm\nexit\n-- error\nInvalid number of operands for lock');
    expect(parsed.ok && parsed.data.expectedError).toBe('Invalid number of operands for lock');
  });

  it('reports bad sections, bytes and results with their lines', () => {
    const parsed = parseConformanceData('stray\n-- asm\nexit\n-- mem\n0g\n-- result\nlots\n-- raw\n95 00 00\n-- asm\n');
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => [d.line, d.message.slice(0, 28)])).toEqual([
      [1, 'text before the first sectio'],
      [5, "'0g' in '-- mem' is not a he"],
      [7, "'-- result' should be a numb"],
      [8, "'-- raw': program is 3 bytes"],
      [10, "section '-- asm' appears twi"],
    ]);
  });

  it('keeps a negative decimal result as its 64-bit pattern', () => {
    const parsed = parseConformanceData('-- asm\nexit\n-- result\n-1');
    expect(parsed.ok && parsed.data.result).toBe(0xffffffffffffffffn);
  });
});
