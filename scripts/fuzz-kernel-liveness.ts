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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insnsFromHex } from '../src/core/isa/insn.ts';
import type { ProgramSpec } from '../src/core/program.ts';
import { verify } from '../src/core/verifier/index.ts';
import { comparableLog2 } from '../src/core/verifier/log-compare.ts';

interface Row {
  id?: string;
  bundle: { id?: string; progType: ProgramSpec['progType']; insns: string; maps: ProgramSpec['maps'] };
  kernel: { processedInsns: number | null };
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}
const file = process.argv[2];
const maxInsns = Number(arg('--max-insns', '20000'));
const out = arg('--write', '');
const show = Number(arg('--show', '3'));
const onlyLiveness = process.argv.includes('--only-liveness');
const kbpf = arg('--kbpf', '/work/shared/tools/kbpf.py');

const LIVENESS_LINE = /^\(\d+(,\d+)*\) (frame \d+ insn \d+ |live stack update done)/;
/** whole log, only addresses and kbpf's extra stats lines normalised */
const whole = (log: string): string =>
  log.replace(/0xffff[0-9a-f]{12}/g, 'ADDR').split('\n').filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth')).join('\n');
const livenessLines = (log: string): string[] => log.split('\n').filter((l) => LIVENESS_LINE.test(l));

const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row)
  .filter((r) => (r.kernel.processedInsns ?? 0) <= maxInsns);
const bundles = rows.map((r, i) => ({ ...r.bundle, id: r.id ?? r.bundle.id ?? `row-${i}`, logLevel: 2 }));
const dir = mkdtempSync(join(tmpdir(), 'fuzz-live-'));
writeFileSync(join(dir, 'b.jsonl'), bundles.map((b) => JSON.stringify(b)).join('\n') + '\n');
const kout = execFileSync('python3', [kbpf, '--batch', join(dir, 'b.jsonl'), '--log-level', '2'], { maxBuffer: 1 << 30, encoding: 'utf8' });
const kernel = kout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; errorInsn: number | null; errorLine: string | null; processedInsns: number; totalStates?: number; peakStates?: number; log: string });

let compared = 0;
let withLiveness = 0;
let fullOk = 0;
let liveOk = 0;
let explOk = 0;
const keep: string[] = [];
const diffs: string[] = [];
const firstDiff = (id: string, what: string, a: string[], c: string[]): string => {
  let j = 0;
  while (j < a.length && a[j] === c[j]) j++;
  return `${id} ${what} line ${j + 1}\n    kernel: ${a[j]}\n    ours:   ${c[j]}`;
};
bundles.forEach((b, i) => {
  const k = kernel[i];
  if (!k || typeof k.log !== 'string' || /ENOSPC|log buffer/i.test(k.errorLine ?? '')) return;
  const d = insnsFromHex(b.insns);
  if (!d.ok) return;
  const kl = livenessLines(k.log);
  if (onlyLiveness && !kl.length) return;
  const o = verify({ name: b.id, progType: b.progType, insns: d.insns, maps: b.maps, license: 'GPL' }, { logLevel: 2 });
  compared++;
  if (kl.length) withLiveness++;
  const ol = livenessLines(o.log);
  if (kl.join('\n') === ol.join('\n')) liveOk++;
  else if (diffs.length < show) diffs.push(firstDiff(b.id, 'liveness', kl, ol));
  if (comparableLog2(k.log, true) === comparableLog2(o.log, true)) explOk++;
  const kw = whole(k.log);
  const ow = whole(o.log);
  if (kw === ow) {
    fullOk++;
    keep.push(JSON.stringify({ id: b.id, bundle: { progType: b.progType, insns: b.insns, maps: b.maps }, kernel: { verdict: k.verdict, errorInsn: k.errorInsn, errorLine: k.errorLine, processedInsns: k.processedInsns, totalStates: k.totalStates, peakStates: k.peakStates, log: k.log } }));
  } else if (diffs.length < 2 * show) diffs.push(firstDiff(b.id, 'whole', kw.split('\n'), ow.split('\n')));
});
const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : 'n/a');
console.log(`${compared} programs compared at log level 2 (${withLiveness} with liveness lines)`);
console.log(`whole level-2 log exact:              ${pct(fullOk, compared)}`);
console.log(`liveness lines exact:                 ${pct(liveOk, compared)}`);
console.log(`exploration without liveness lines:   ${pct(explOk, compared)}`);
for (const x of diffs) console.log(`  ${x}`);
if (out) writeFileSync(out, keep.join('\n') + (keep.length ? '\n' : ''));
