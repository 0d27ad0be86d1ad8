/**
 * `npm run fuzz -- [--iterations N] [--seed S]`: long seeded fuzzing of the
 * decode → validate → disassemble → run pipeline (src/core/interp/fuzz.ts).
 * Exits 1 when anything threw, faulted internally or overran its budget, and
 * prints each finding with the program's hex so it can be replayed.
 */
import { bytesToHex, encodeInsns } from '../src/core/isa/insn.ts';
import { fuzz } from '../src/core/interp/fuzz.ts';

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    process.stderr.write(`fuzz: ${name} needs a non-negative integer\n`);
    process.exit(2);
  }
  return v;
}

const iterations = option('--iterations', 100_000);
const seed = option('--seed', Date.now() % 0x7fffffff);
const started = performance.now();
const findings = fuzz(seed, iterations, (f, i) => {
  process.stdout.write(`case ${i}: ${f.kind}: ${f.message.split('\n')[0]}\n  insns ${bytesToHex(encodeInsns(f.insns))}\n`);
});
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`fuzz: seed ${seed}, ${iterations} cases in ${seconds.toFixed(1)} s, ${findings} finding(s)\n`);
process.exitCode = findings === 0 ? 0 : 1;
