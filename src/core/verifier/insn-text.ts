/**
 * Adapter to the project's disassembler for the instruction text of the
 * log (`(bf) r1 = r2`): the one place the verifier depends on src/core/asm,
 * so it can be swapped or stubbed.
 */
import { disasmKernelInsn } from '../asm/disasm/kernel-log.ts';
import type { Insn } from '../isa/insn.ts';

export type InsnFormatter = (insns: readonly Insn[], index: number) => string;

/**
 * The kernel prints the kernel address a map reference resolved to; there is
 * no such address here, so maps get stable fake ones in the kernel's range.
 */
function fakeKernelAddress(lo: Insn, hi: Insn): bigint {
  if (lo.src === 1 || lo.src === 5) return 0xffff888100000000n + BigInt(lo.imm) * 0x1000n;
  if (lo.src === 2 || lo.src === 6) return 0xffffc90000000000n + BigInt(lo.imm) * 0x100000n + BigInt(hi.imm >>> 0);
  return (BigInt(hi.imm >>> 0) << 32n) | BigInt(lo.imm >>> 0);
}

export const kernelInsnText: InsnFormatter = (insns, index) => {
  try {
    return disasmKernelInsn(insns, index, { ldImm64Value: fakeKernelAddress });
  } catch {
    const ins = insns[index];
    return `(${(ins?.code ?? 0).toString(16).padStart(2, '0')}) ?`;
  }
};
