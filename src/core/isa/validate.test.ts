import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { insnsFromHex, encodeInsns, bytesToHex } from './insn.ts';
import { validateProgram } from './validate.ts';

const negatives = readFileSync(new URL('../../../test-data/conformance/negative_unused_fields.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { file: string; insns: string });

describe('reserved fields', () => {
  it('has all 45 negative programs', () => {
    expect(negatives).toHaveLength(45);
  });
  for (const t of negatives) {
    it(`rejects ${t.file}`, () => {
      const dec = insnsFromHex(t.insns);
      expect(dec.ok).toBe(true);
      if (!dec.ok) return;
      const problems = validateProgram(dec.insns);
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0].message).toMatch(/reserved|unknown opcode|invalid/);
    });
  }
});

describe('conformance programs are well formed', () => {
  const tests = readFileSync(new URL('../../../test-data/conformance/tests.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { file: string; insns: string });
  it('decodes and re-encodes every program byte for byte', () => {
    for (const t of tests) {
      const dec = insnsFromHex(t.insns);
      expect(dec.ok, t.file).toBe(true);
      if (dec.ok) expect(bytesToHex(encodeInsns(dec.insns))).toBe(t.insns);
    }
  });
});
