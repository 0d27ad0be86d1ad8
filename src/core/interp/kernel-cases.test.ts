import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { run } from './vm.ts';

/**
 * ISA edge cases whose results were recorded from the Linux 6.18 kernel
 * (BPF_PROG_TEST_RUN through ../shared/tools/kbpf.py; regenerate with
 * test-data/interp/kernel-cases.py). The programs were assembled by the
 * reference assembler, so only the interpreter is under test here.
 */
interface KernelCase {
  name: string;
  asm: string;
  insns: string;
  r0: string;
}

const data = JSON.parse(readFileSync(new URL('../../../test-data/interp/kernel-cases.json', import.meta.url), 'utf8')) as { cases: KernelCase[] };

describe('interpreter agrees with the kernel', () => {
  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const decoded = insnsFromHex(c.insns);
    if (!decoded.ok) throw new Error(decoded.error);
    const result = run(decodeProgram(decoded.insns));
    if (!result.ok) throw new Error(`fault: ${result.fault.message}`);
    expect(`0x${result.r0.toString(16)}`).toBe(c.r0);
  });
});
