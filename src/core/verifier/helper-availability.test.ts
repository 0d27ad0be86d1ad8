/**
 * Which helpers each program type may call, and under which license, as
 * Linux 6.18 decided it: every helper id 1..211 called by a minimal program
 * (r2..r5 = 0, r1 the ctx) for each modelled program type, GPL and not,
 * recorded with test-data/verifier/helper-availability-record.py. The
 * verifier must give the kernel's verdict and error line for each; the only
 * allowed difference is a helper bpfiddle does not model, which it must say
 * so instead of accepting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Insn } from '../isa/insn.ts';
import { isProgType } from '../program.ts';
import { helperProtoFor } from './helper-protos.ts';
import { verify } from './index.ts';

interface Case {
  id: number;
  progType: string;
  license: string;
  verdict: 'accepted' | 'rejected';
  errorLine: string | null;
}

const data = JSON.parse(readFileSync(new URL('../../../test-data/verifier/helper-availability.json', import.meta.url), 'utf8')) as { cases: Case[] };

const insn = (code: number, dst: number, imm: number): Insn => ({ code, dst, src: 0, off: 0, imm });
function program(id: number): Insn[] {
  return [insn(0xb7, 2, 0), insn(0xb7, 3, 0), insn(0xb7, 4, 0), insn(0xb7, 5, 0), insn(0x85, 0, id), insn(0xb7, 0, 0), insn(0x95, 0, 0)];
}

function ours(c: Case): string | null {
  if (!isProgType(c.progType)) throw new Error(`prog type ${c.progType}`);
  const r = verify({ name: 'p', progType: c.progType, insns: program(c.id), maps: [], license: c.license });
  return r.error ? r.error.message : null;
}

describe('helper availability agrees with Linux 6.18', () => {
  it('covers every helper id for seven program types and two licenses', () => {
    expect(data.cases.length).toBe(211 * 7 * 2);
  });

  it('gives the kernel error line, or says plainly that the helper is not modelled', () => {
    const wrong: string[] = [];
    let unmodelled = 0;
    for (const c of data.cases) {
      const got = ours(c);
      if (got === c.errorLine) continue;
      const proto = isProgType(c.progType) ? helperProtoFor(c.id, c.progType) : undefined;
      if (proto?.unmodelled && got?.startsWith('bpfiddle cannot verify a call to')) {
        unmodelled++;
        continue;
      }
      wrong.push(`${c.id} ${c.progType} ${c.license}: kernel ${c.errorLine} / ours ${got}`);
    }
    expect(wrong).toEqual([]);
    // bpf_get_current_task_btf (returns a BTF pointer) in each of the seven types
    expect(unmodelled).toBe(7);
  });

  it('refuses exactly the helpers the kernel does not offer a program type', () => {
    const kernelRefused = data.cases.filter((c) => c.errorLine?.startsWith('program of this type cannot use helper')).length;
    const oursRefused = data.cases.filter((c) => ours(c)?.startsWith('program of this type cannot use helper')).length;
    expect(oursRefused).toBe(kernelRefused);
  });
});
