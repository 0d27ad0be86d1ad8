import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../../isa/insn.ts';
import { LD_IMM64_CODE, PseudoLd } from '../../isa/opcodes.ts';
import { disasmKernelInsn } from './kernel-log.ts';

/** Lines recorded from the Linux 6.18 verifier (scripts/gen-asm-golden.ts). */
interface GoldenProgram {
  name: string;
  insns: string;
  lines: Record<string, string>;
}
const golden = JSON.parse(readFileSync(new URL('../../../../test-data/asm/kernel-disasm.json', import.meta.url), 'utf8')) as {
  programs: GoldenProgram[];
};

describe('disasmKernelInsn matches the Linux 6.18 verifier log', () => {
  for (const prog of golden.programs) {
    it(`${prog.name} (${Object.keys(prog.lines).length} instructions)`, () => {
      const dec = insnsFromHex(prog.insns);
      if (!dec.ok) throw new Error(dec.error);
      const insns = dec.insns;
      for (const [at, want] of Object.entries(prog.lines)) {
        const i = Number(at);
        const ins = insns[i];
        const isMapRef = ins.code === LD_IMM64_CODE && (ins.src === PseudoLd.MAP_FD || ins.src === PseudoLd.MAP_VALUE);
        if (isMapRef) {
          // The kernel prints the map's kernel address; feed that address back in
          // and check the format around it.
          const addr = BigInt(/= (0x[0-9a-f]+)$/.exec(want)![1]);
          expect(disasmKernelInsn(insns, i, { ldImm64Value: () => addr })).toBe(want);
        } else {
          expect(disasmKernelInsn(insns, i), `insn ${i}`).toBe(want);
        }
      }
    });
  }

  it('prints kfuncs by the name the caller resolves, else as the kernel does without BTF', () => {
    const call = { code: 0x85, dst: 0, src: 2, off: 0, imm: 1234 };
    expect(disasmKernelInsn([call], 0, { kfuncName: () => 'bpf_obj_new_impl' })).toBe('(85) call bpf_obj_new_impl#1234');
    expect(disasmKernelInsn([call], 0)).toBe('(85) call kernel-function#1234');
  });

  it('never throws on garbage', () => {
    for (let code = 0; code < 256; code++) {
      expect(typeof disasmKernelInsn([{ code, dst: 15, src: 15, off: -1, imm: -1 }], 0)).toBe('string');
    }
    expect(disasmKernelInsn([], 3)).toMatch(/BUG/);
  });
});
