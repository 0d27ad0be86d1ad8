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
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insnsFromHex } from '../src/core/isa/insn.ts';
import type { ProgramSpec } from '../src/core/program.ts';
import { verify } from '../src/core/verifier/index.ts';
import { comparableLog2, precisionLines } from '../src/core/verifier/log-compare.ts';

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
const onlyPrecise = process.argv.includes('--only-precise');
const kbpf = arg('--kbpf', '/work/shared/tools/kbpf.py');

const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row)
  .filter((r) => (r.kernel.processedInsns ?? 0) <= maxInsns);
const bundles = rows.map((r, i) => ({ ...r.bundle, id: r.id ?? r.bundle.id ?? `row-${i}`, logLevel: 2 }));
const dir = mkdtempSync(join(tmpdir(), 'fuzz-log2-'));
writeFileSync(join(dir, 'b.jsonl'), bundles.map((b) => JSON.stringify(b)).join('\n') + '\n');
const kout = execFileSync('python3', [kbpf, '--batch', join(dir, 'b.jsonl'), '--log-level', '2'], { maxBuffer: 1 << 30, encoding: 'utf8' });
const kernel = kout.trim().split('\n').map((l) => JSON.parse(l) as { verdict: string; errorInsn: number | null; errorLine: string | null; processedInsns: number; totalStates?: number; peakStates?: number; log: string });

let full = 0;
let prec = 0;
let withPrecision = 0;
let compared = 0;
const keep: string[] = [];
const diffs: string[] = [];
const precDiffs: string[] = [];
bundles.forEach((b, i) => {
  const k = kernel[i];
  if (!k || typeof k.log !== 'string' || /ENOSPC|log buffer/i.test(k.errorLine ?? '')) return;
  const d = insnsFromHex(b.insns);
  if (!d.ok) return;
  const o = verify({ name: b.id, progType: b.progType, insns: d.insns, maps: b.maps, license: 'GPL' }, { logLevel: 2 });
  const kl = comparableLog2(k.log, true);
  const ol = comparableLog2(o.log, true);
  const kp = precisionLines(k.log);
  if (onlyPrecise && !kp.length) return;
  compared++;
  if (kp.length) withPrecision++;
  const op = precisionLines(o.log);
  if (kp.join('\n') === op.join('\n')) prec++;
  else if (precDiffs.length < show) {
    let j = 0;
    while (j < kp.length && kp[j] === op[j]) j++;
    precDiffs.push(`${b.id} precision line ${j + 1}\n    kernel: ${kp[j]}\n    ours:   ${op[j]}`);
  }
  if (kl === ol) {
    full++;
    keep.push(JSON.stringify({ id: b.id, bundle: { progType: b.progType, insns: b.insns, maps: b.maps }, kernel: { verdict: k.verdict, errorInsn: k.errorInsn, errorLine: k.errorLine, processedInsns: k.processedInsns, totalStates: k.totalStates, peakStates: k.peakStates, log: k.log } }));
  } else if (diffs.length < show) {
    const a = kl.split('\n');
    const c = ol.split('\n');
    let j = 0;
    while (j < a.length && a[j] === c[j]) j++;
    diffs.push(`${b.id} line ${j + 1}\n    kernel: ${a[j]}\n    ours:   ${c[j]}`);
  }
});
const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : 'n/a');
console.log(`${compared} programs compared at log level 2 (${withPrecision} with precision lines)`);
console.log(`level-2 log exact (without the Live regs listing): ${pct(full, compared)}`);
console.log(`precision lines exact:       ${pct(prec, compared)}`);
for (const x of [...precDiffs, ...diffs]) console.log(`  ${x}`);
if (out) writeFileSync(out, keep.join('\n') + (keep.length ? '\n' : ''));
