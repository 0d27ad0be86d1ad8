import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexToBytes, insnsFromHex } from '../isa/insn.ts';
import { parseConformanceData, runConformanceCase } from './conformance.ts';

/**
 * The bpf_conformance suite (test-data/conformance, upstream commit in COMMIT):
 * tests.jsonl holds each .data file's program pre-assembled, its memory and
 * the expected r0 written by the suite's authors.
 */
interface SuiteLine {
  file: string;
  insns: string;
  mem: string;
  result: string;
}

const suiteUrl = new URL('../../../test-data/conformance/tests.jsonl', import.meta.url);
const lines: SuiteLine[] = readFileSync(suiteUrl, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as SuiteLine);

describe('bpf_conformance on the interpreter', () => {
  it('has the whole suite', () => {
    expect(lines.length).toBe(313);
  });

  it.each(lines.map((l) => [l.file.replace('../tests/', ''), l] as const))('%s', (_name, line) => {
    const insns = insnsFromHex(line.insns);
    const mem = hexToBytes(line.mem);
    if (!insns.ok || !mem.ok) throw new Error('bad suite line');
    const outcome = runConformanceCase(insns.insns, mem.bytes, BigInt.asUintN(64, BigInt(line.result)));
    expect(outcome.detail).toBe(`r0 = 0x${BigInt.asUintN(64, BigInt(line.result)).toString(16)}`);
    expect(outcome.passed).toBe(true);
  });
});

describe('parseConformanceData', () => {
  it('reads asm, mem, raw and result sections', () => {
    const text = readFileSync(new URL('../../../test-data/conformance/tests/lddw.data', import.meta.url), 'utf8');
    const r = parseConformanceData(text);
    if (!r.ok) throw new Error(r.error);
    expect(r.testCase.asm).toBe('lddw %r0, 0x1122334455667788\nexit');
    expect(r.testCase.result).toBe(0x1122334455667788n);
    expect(r.testCase.raw?.map((i) => i.code)).toEqual([0x18, 0x00, 0x95]);
    expect(r.testCase.raw?.[0].imm).toBe(0x55667788);
    expect(r.testCase.raw?.[1].imm).toBe(0x11223344);
  });

  it('reads memory bytes', () => {
    const r = parseConformanceData('-- asm\nexit\n-- mem\naa bb\n11\n-- result\n0x0\n');
    if (!r.ok) throw new Error(r.error);
    expect([...r.testCase.mem]).toEqual([0xaa, 0xbb, 0x11]);
  });

  it('reports malformed files instead of throwing', () => {
    expect(parseConformanceData('no sections at all')).toEqual({ ok: false, error: 'no "-- asm" section' });
    expect(parseConformanceData('-- asm\nexit\n-- result\nbanana\n')).toEqual({ ok: false, error: `bad "-- result" value 'banana'` });
    expect(parseConformanceData('-- asm\nexit\n-- mem\nzz\n-- result\n1').ok).toBe(false);
  });
});
