/**
 * Level-2 log comparison with the kernel: loads each bundle of a saved
 * JSON-lines file (fuzz-kernel.ts --save, or the golden corpus) on the real
 * kernel at log level 2 and compares the whole log with ours, after
 * dropping the 6.18 stack-liveness debug lines we do not model. Reports
 * the exact-match rate and, separately, the rate for the precision lines
 * alone (mark_precise / propagating / force_precise, and P marks).
 * --write FILE keeps the kernel records of the programs we match exactly
 * (a golden set such as test-data/verifier/precision.jsonl).
 *
 *   npx tsx scripts/fuzz-kernel-log2.ts FILE.jsonl [--max-insns N] [--write OUT.jsonl] [--show K] [--only-precise]
 */
import { verify } from '../src/core/verifier/index.ts';
import { comparableLog2, precisionLines } from '../src/core/verifier/log-compare.ts';
import { firstDiff, goldenRecord, kernelLog2Cases, options, pct, writeGolden } from './kernel-log2.ts';

const onlyPrecise = process.argv.includes('--only-precise');

let full = 0;
let prec = 0;
let withPrecision = 0;
let compared = 0;
const keep: string[] = [];
const diffs: string[] = [];
const precDiffs: string[] = [];
for (const c of kernelLog2Cases()) {
  const k = c.kernel;
  const o = verify(c.program, { logLevel: 2 });
  const kl = comparableLog2(k.log, true);
  const ol = comparableLog2(o.log, true);
  const kp = precisionLines(k.log);
  if (onlyPrecise && !kp.length) continue;
  compared++;
  if (kp.length) withPrecision++;
  const op = precisionLines(o.log);
  if (kp.join('\n') === op.join('\n')) prec++;
  else if (precDiffs.length < options.show) precDiffs.push(firstDiff(c.id, 'precision', kp, op));
  if (kl === ol) {
    full++;
    keep.push(goldenRecord(c));
  } else if (diffs.length < options.show) diffs.push(firstDiff(c.id, 'log', kl.split('\n'), ol.split('\n')));
}
console.log(`${compared} programs compared at log level 2 (${withPrecision} with precision lines)`);
console.log(`level-2 log exact (without the Live regs listing): ${pct(full, compared)}`);
console.log(`precision lines exact:       ${pct(prec, compared)}`);
for (const x of [...precDiffs, ...diffs]) console.log(`  ${x}`);
writeGolden(keep);
