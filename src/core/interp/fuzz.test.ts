import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeInsns } from '../isa/insn.ts';
import { fuzz, type FuzzFinding } from './fuzz.ts';

describe('fuzzing decode/validate/disassemble/run (seeded, small)', () => {
  it('finds no exceptions, internal faults or budget overruns in 3000 cases', () => {
    const findings: string[] = [];
    const record = (f: FuzzFinding, i: number): void => {
      findings.push(`#${i} ${f.kind}: ${f.message.split('\n')[0]} (${bytesToHex(encodeInsns(f.insns))})`);
    };
    fuzz(1, 1500, record);
    fuzz(20260101, 1500, record);
    expect(findings.slice(0, 5)).toEqual([]);
  });
});
