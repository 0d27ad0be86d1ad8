/**
 * Level-2 logs with the 6.18 stack-liveness lines kept: loads each bundle of
 * a saved JSON-lines file (fuzz-kernel.ts --save, precision.jsonl) on the
 * real kernel at log level 2 and compares with ours three ways: the whole
 * log (liveness debug lines and "Live regs" listing included), the
 * liveness lines alone, and the exploration without liveness lines (what
 * fuzz-kernel-log2.ts compares). --write FILE keeps the kernel records of
 * the programs whose whole log we match (a golden set such as
 * test-data/verifier/liveness.jsonl).
 *
 *   npx tsx scripts/fuzz-kernel-liveness.ts FILE.jsonl [--max-insns N] [--write OUT.jsonl] [--show K] [--only-liveness]
 */
import { verify } from '../src/core/verifier/index.ts';
import { comparableLog2 } from '../src/core/verifier/log-compare.ts';
import { firstDiff, goldenRecord, kernelLog2Cases, options, pct, writeGolden } from './kernel-log2.ts';

const onlyLiveness = process.argv.includes('--only-liveness');

const LIVENESS_LINE = /^\(\d+(,\d+)*\) (frame \d+ insn \d+ |live stack update done)/;
/** whole log, only addresses and kbpf's extra stats lines normalised */
const whole = (log: string): string =>
  log.replace(/0xffff[0-9a-f]{12}/g, 'ADDR').split('\n').filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth')).join('\n');
const livenessLines = (log: string): string[] => log.split('\n').filter((l) => LIVENESS_LINE.test(l));

let compared = 0;
let withLiveness = 0;
let fullOk = 0;
let liveOk = 0;
let explOk = 0;
const keep: string[] = [];
const diffs: string[] = [];
for (const c of kernelLog2Cases()) {
  const k = c.kernel;
  const kl = livenessLines(k.log);
  if (onlyLiveness && !kl.length) continue;
  const o = verify(c.program, { logLevel: 2 });
  compared++;
  if (kl.length) withLiveness++;
  const ol = livenessLines(o.log);
  if (kl.join('\n') === ol.join('\n')) liveOk++;
  else if (diffs.length < options.show) diffs.push(firstDiff(c.id, 'liveness', kl, ol));
  if (comparableLog2(k.log, true) === comparableLog2(o.log, true)) explOk++;
  const kw = whole(k.log);
  const ow = whole(o.log);
  if (kw === ow) {
    fullOk++;
    keep.push(goldenRecord(c));
  } else if (diffs.length < 2 * options.show) diffs.push(firstDiff(c.id, 'whole', kw.split('\n'), ow.split('\n')));
}
console.log(`${compared} programs compared at log level 2 (${withLiveness} with liveness lines)`);
console.log(`whole level-2 log exact:              ${pct(fullOk, compared)}`);
console.log(`liveness lines exact:                 ${pct(liveOk, compared)}`);
console.log(`exploration without liveness lines:   ${pct(explOk, compared)}`);
for (const x of diffs) console.log(`  ${x}`);
writeGolden(keep);
