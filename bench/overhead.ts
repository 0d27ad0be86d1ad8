/**
 * `npx tsx bench/overhead.ts`: the fixed cost of one interpreter run — a
 * 2-instruction program (r0 = 2; exit), with and without r10 use — so per-run
 * savings (run() entry, VM reuse, stack zeroing, result) can be seen apart
 * from instruction costs.
 */
import { insn } from '../src/core/isa/insn.ts';
import { decodeProgram } from '../src/core/interp/decode.ts';
import { Memory } from '../src/core/interp/memory.ts';
import { run } from '../src/core/interp/vm.ts';

const RUNS = 200_000;
const variants = {
  'r0 = 2; exit': [insn(0xb7, 0, 0, 0, 2), insn(0x95)],
  '*(u32 *)(r10 - 4) = 0; exit': [insn(0x62, 10, 0, -4, 0), insn(0x95)],
  'r2 = *(u64 *)(r10 - 512); exit': [insn(0x79, 2, 10, -512), insn(0x95)],
};
const memory = new Memory();
const opts = { memory, args: [0n] };
for (const [name, insns] of Object.entries(variants)) {
  const prog = decodeProgram(insns);
  let best = Infinity;
  for (let s = 0; s < 15; s++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < RUNS; i++) run(prog, opts);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / RUNS);
  }
  console.log(`${name.padEnd(34)} ${best.toFixed(1)} ns/run`);
}
