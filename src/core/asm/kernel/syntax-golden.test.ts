import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex, insnsToHex } from '../../isa/insn.ts';
import { LD_IMM64_CODE, PseudoLd } from '../../isa/opcodes.ts';
import { assembleKernel } from './assemble.ts';

const data = (name: string): string => readFileSync(new URL(`../../../../test-data/asm/${name}`, import.meta.url), 'utf8');

/** Lines and the bytes the reference assembler (bpfasm.py) makes of them. */
const syntax = JSON.parse(data('syntax-golden.json')) as { lines: { source: string; hex: string }[] };

describe('kernel/LLVM syntax: same bytes as the reference assembler', () => {
  it(`assembles ${syntax.lines.length} lines like bpfasm.py`, () => {
    const wrong: string[] = [];
    for (const { source, hex } of syntax.lines) {
      const r = assembleKernel(source);
      const got = r.ok ? insnsToHex(r.program.insns) : `error: ${r.diagnostics.map((d) => d.message).join('; ')}`;
      if (got !== hex) wrong.push(`${JSON.stringify(source)}: got ${got}, want ${hex}`);
    }
    expect(wrong).toEqual([]);
  });
});

/** Lines printed by the Linux 6.18 verifier (scripts/gen-asm-golden.ts). */
const kernel = JSON.parse(data('kernel-disasm.json')) as { programs: { name: string; insns: string; lines: Record<string, string> }[] };

describe('lines copied from a Linux 6.18 verifier log assemble back to the loaded instruction', () => {
  for (const prog of kernel.programs) {
    it(prog.name, () => {
      const dec = insnsFromHex(prog.insns);
      if (!dec.ok) throw new Error(dec.error);
      for (const [at, text] of Object.entries(prog.lines)) {
        const i = Number(at);
        const ins = dec.insns[i];
        // the log shows kernel addresses for map references and the raw imm for
        // function pointers: the pseudo kind is not in the text
        if (ins.code === LD_IMM64_CODE && ins.src !== PseudoLd.NONE) continue;
        const r = assembleKernel(`${i}: ${text}      ; R1=ctx() R10=fp0`);
        expect(r.ok ? insnsToHex(r.program.insns) : r.diagnostics[0].message, `${i}: ${text}`).toBe(
          insnsToHex(dec.insns.slice(i, i + (ins.code === LD_IMM64_CODE ? 2 : 1))),
        );
      }
    });
  }
});
