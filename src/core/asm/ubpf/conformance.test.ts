/**
 * Golden test: the `-- asm` section of every bpf_conformance test program
 * assembles to exactly the instruction bytes that tests.jsonl records for it
 * (bytes produced by the bpf_conformance toolchain, not by this code).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeInsns } from '../../isa/insn.ts';
import { assembleUbpf } from './assembler.ts';
import { parseConformanceData } from './data-file.ts';

const dir = new URL('../../../../test-data/conformance/', import.meta.url);

interface GoldenRow {
  file: string;
  insns: string;
  mem: string;
}

const golden: GoldenRow[] = readFileSync(new URL('tests.jsonl', dir), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as GoldenRow);

function dataFile(row: GoldenRow): string {
  return readFileSync(new URL(`tests/${row.file.replace(/^.*\//, '')}`, dir), 'utf8');
}

describe('bpf_conformance programs', () => {
  it('has all 313 golden programs', () => {
    expect(golden.length).toBe(313);
  });

  it('assembles every -- asm section to the golden bytes', () => {
    const mismatches: string[] = [];
    for (const row of golden) {
      const parsed = parseConformanceData(dataFile(row));
      if (!parsed.ok || parsed.data.asm === null) {
        mismatches.push(`${row.file}: cannot read the file: ${JSON.stringify(parsed.diagnostics)}`);
        continue;
      }
      const result = assembleUbpf(parsed.data.asm);
      if (!result.ok) {
        mismatches.push(`${row.file}: ${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
        continue;
      }
      const hex = bytesToHex(encodeInsns(result.program.insns));
      if (hex !== row.insns) mismatches.push(`${row.file}: got ${hex}, want ${row.insns}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('reads each -- mem section to the golden bytes', () => {
    for (const row of golden) {
      const parsed = parseConformanceData(dataFile(row));
      expect(parsed.ok && bytesToHex(parsed.data.mem), row.file).toBe(row.mem);
    }
  });
});
