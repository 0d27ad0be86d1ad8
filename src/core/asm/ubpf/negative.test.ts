/**
 * bpf_conformance's negative tests (test-data/conformance/negative). Each
 * file is bad at one layer; this says which, and checks that layer objects.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsToHex } from '../../isa/insn.ts';
import { validateProgram } from '../../isa/validate.ts';
import { assembleUbpf } from './assembler.ts';
import { conformanceProgram, parseConformanceData } from './data-file.ts';

const dir = new URL('../../../../test-data/conformance/negative/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const dataFiles = readdirSync(dir).filter((f) => f.endsWith('.data'));
/** The recorded raw bytes of the unused-field files (negative_unused_fields.jsonl). */
const unusedGolden = new Map(
  readFileSync(new URL('../negative_unused_fields.jsonl', dir), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { file: string; insns: string })
    .map((row) => [row.file, row.insns]),
);

/** The assembler must reject these, with a message about the named thing. */
const ASSEMBLER_ERRORS: Record<string, { line: number; column: number; says: RegExp }> = {
  'invalid_imm32_dec_range.data': { line: 2, column: 12, says: /2147483648 does not fit in 32 bits/ },
  'invalid_imm32_hex_range.data': { line: 2, column: 12, says: /0x100000000 does not fit in 32 bits/ },
  'invalid_label.data': { line: 1, column: 4, says: /undefined label 'NOT_A_LABEL'/ },
  'invalid_lock.data': { line: 1, column: 1, says: /'lock or' takes 2 operands/ },
  'invalid_lock2.data': { line: 1, column: 1, says: /'lock' needs an operation/ },
  'invalid_mnemonic.data': { line: 2, column: 1, says: /unknown instruction 'ldxq'/ },
  'invalid_offset.data': { line: 1, column: 11, says: /expected a memory operand like \[%r1\+4\]/ },
  'invalid_offset_range.data': { line: 2, column: 11, says: /0x10000 does not fit in 16 bits/ },
  'invalid_operand_count.data': { line: 1, column: 1, says: /'lddw' takes 2 operands/ },
  'invalid_register.data': { line: 1, column: 9, says: /'%r50' does not exist/ },
};

/** The file itself is malformed: the .data reader rejects it. */
const FILE_ERRORS: Record<string, RegExp> = {
  'empty.data': /no '-- asm' or '-- raw' section/,
  'empty_instructions.data': /no '-- asm' or '-- raw' section/,
  'invalid_unknown_directive.data': /unknown section '-- Unknown directive'/,
};

/**
 * Well-formed assembly whose failure comes later: error.data reads the
 * uninitialised r0 (the verifier rejects it), incorrect_return_value_high_bits
 * expects a wrong result (the runner must report a mismatch).
 */
const LATER_LAYERS: Record<string, string> = {
  // or %r0, %r10: ALU64|OR|X = 0x4f, src 10 in the high nibble
  'error.data': '4fa0000000000000' + '9500000000000000',
  // ldxdw %r0, [%r1+2]: LDX|MEM|DW = 0x79, src 1, off 2
  'incorrect_return_value_high_bits.data': '7910020000000000' + '9500000000000000',
};

describe('negative conformance files', () => {
  it('classifies every file', () => {
    const unused = dataFiles.filter((f) => f.startsWith('unused-'));
    const named = [...Object.keys(ASSEMBLER_ERRORS), ...Object.keys(FILE_ERRORS), ...Object.keys(LATER_LAYERS)];
    expect([...named, ...unused].sort()).toEqual([...dataFiles].sort());
    expect(unused.length).toBe(45);
  });

  it.each(Object.entries(ASSEMBLER_ERRORS))('%s is an assembly error', (file, want) => {
    const parsed = parseConformanceData(read(file));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.data.asm === null) return;
    const r = assembleUbpf(parsed.data.asm);
    expect(r.ok).toBe(false);
    const first = r.diagnostics[0];
    // Lines are relative to the asm section; comment lines count.
    expect({ line: first.line, column: first.column }).toEqual({ line: want.line, column: want.column });
    expect(first.message).toMatch(want.says);
    // Through conformanceProgram the line is the file's own line number.
    const viaFile = conformanceProgram(parsed.data);
    expect(!viaFile.ok && viaFile.diagnostics[0].line).toBe(parsed.data.asmFirstLine + want.line - 1);
  });

  it.each(Object.entries(FILE_ERRORS))('%s is rejected by the .data reader', (file, says) => {
    const parsed = parseConformanceData(read(file));
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => d.message).join('\n')).toMatch(says);
  });

  it.each(Object.entries(LATER_LAYERS))('%s assembles (its failure is for the verifier or runner)', (file, hex) => {
    const parsed = parseConformanceData(read(file));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const r = conformanceProgram(parsed.data);
    expect(r.ok && insnsToHex(r.program.insns)).toBe(hex);
  });

  it.each(dataFiles.filter((f) => f.startsWith('unused-')))('%s: raw bytes decode, and the encoding validator objects', (file) => {
    const parsed = parseConformanceData(read(file));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(insnsToHex(parsed.data.raw ?? [])).toBe(unusedGolden.get(file));
    expect(parsed.data.expectedError).toBe('');
    const problems = validateProgram(parsed.data.raw ?? [], { strict: true });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].index).toBe(0);
  });
});
