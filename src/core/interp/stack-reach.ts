/**
 * Decode-time bound on how much of its 512-byte stack a program can touch,
 * so a run zeroes only that part (zeroing the whole stack costs ~13 ns, about
 * as much as a short XDP program). Runs stay deterministic: every byte a
 * program can reach is zero when it starts, the rest stays zero.
 *
 * Conservative: the answer is 0 (the whole stack) whenever r10 escapes
 * where a constant offset cannot be followed — copied into a register other
 * than for the one pattern below, spilled, compared, or used as a call target.
 */
import type { Insn } from '../isa/insn.ts';
import { Cls, STACK_SIZE, cls } from '../isa/opcodes.ts';

const FP = 10;
const MOV64_X = 0xbf;
const ADD64_K = 0x07;
const CALL = 0x85;
/** callx names its target register in imm */
const CALLX = 0x8d;
/**
 * bpf_map_lookup_elem, bpf_map_update_elem, bpf_map_delete_elem: they only
 * read key/value bytes at and above the pointer they are given, and take no
 * callback that could receive it.
 */
const KEY_HELPERS = new Set([1, 2, 3]);

/**
 * The lowest stack byte offset (0..STACK_SIZE, from the bottom of the stack
 * buffer) the program can read or write; STACK_SIZE when it never reaches
 * its stack.
 */
export function stackReach(insns: readonly Insn[]): number {
  let low = STACK_SIZE;
  const reach = (off: number): void => {
    low = Math.min(low, Math.max(0, STACK_SIZE + off));
  };
  for (let pc = 0; pc < insns.length; pc++) {
    const ins = insns[pc];
    if (ins.code === CALLX && ins.imm === FP) return 0;
    const dst = ins.dst & 0x0f;
    const src = ins.src & 0x0f;
    if (dst !== FP && src !== FP) continue;
    const c = cls(ins.code);
    // *(size *)(r10 + off) = imm / rX, and atomics on r10 + off: bytes at and above off
    if ((c === Cls.ST || c === Cls.STX) && dst === FP && src !== FP) {
      reach(ins.off);
      continue;
    }
    // rX = *(size *)(r10 + off) (rX = r10 is refused by the decoder anyway)
    if (c === Cls.LDX && src === FP && dst !== FP) {
      reach(ins.off);
      continue;
    }
    // rX = r10; rX += imm; call map helper — the pointer lives only until the
    // call clobbers rX (r1..r5), and the helper reads upward from it.
    // Nothing can jump between the three: mov and add fall through.
    if (ins.code === MOV64_X && src === FP && dst >= 1 && dst <= 5 && ins.off === 0 && pc + 2 < insns.length) {
      const add = insns[pc + 1];
      const call = insns[pc + 2];
      if (add.code === ADD64_K && (add.dst & 0x0f) === dst && (add.src & 0x0f) === 0 && add.off === 0 && add.imm <= 0 && call.code === CALL && (call.src & 0x0f) === 0 && KEY_HELPERS.has(call.imm)) {
        reach(add.imm);
        continue;
      }
    }
    return 0;
  }
  return low;
}
