/**
 * Replays kernel-recorded bundles (test-data/verifier/corpus.jsonl, or a
 * file saved by fuzz-kernel.ts --save) through our verifier and compares
 * with the recorded kernel results: verdicts, false accepts, error insn and
 * line, and the processed-instruction and state counts (exact-match rate
 * and median ratio, for accepted and for rejected programs).
 *
 *   npx tsx scripts/fuzz-kernel-replay.ts FILE.jsonl [FILE2.jsonl ...]
 *       [--root DIR]   # verify with the src/ of another checkout (a git worktree of a base revision)
 *       [--show K]     # print K examples of each kind of difference
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProgramSpec } from '../src/core/program.ts';
import type { VerifyResult } from '../src/core/verifier/types.ts';

interface Row {
  id?: string;
  bundle: { id?: string; progType: ProgramSpec['progType']; insns: string; maps: ProgramSpec['maps'] };
  kernel: { verdict: string; errorInsn: number | null; errorLine: string | null; processedInsns: number | null; totalStates?: number; peakStates?: number };
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

const root = resolve(arg('--root', resolve(import.meta.dirname, '..')));
const show = Number(arg('--show', '5'));
const files = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !['--root', '--show'].includes(all[i - 1] ?? ''));

const { verify } = (await import(pathToFileURL(`${root}/src/core/verifier/index.ts`).href)) as {
  verify: (p: ProgramSpec, o: { logLevel: 0 }) => VerifyResult;
};
const { insnsFromHex } = (await import(pathToFileURL(`${root}/src/core/isa/insn.ts`).href)) as typeof import('../src/core/isa/insn.ts');

const rows: Row[] = files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row));
const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : 'n/a');
const median = (xs: number[]): string => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(3) : 'n/a');

let agree = 0;
let falseAccept = 0;
let falseReject = 0;
let bothRejected = 0;
let insnAgree = 0;
let insnKnown = 0;
let lineAgree = 0;
const ratio = { accepted: [] as number[], rejected: [] as number[] };
const exact = { accepted: 0, rejected: 0 };
let statesExact = 0;
let statesCompared = 0;
const examples: Record<string, string[]> = { falseAccept: [], falseReject: [], processed: [] };
const started = Date.now();
for (const row of rows) {
  const id = row.id ?? row.bundle.id ?? '?';
  const d = insnsFromHex(row.bundle.insns);
  if (!d.ok) continue;
  const k = row.kernel;
  const o = verify({ name: id, progType: row.bundle.progType, insns: d.insns, maps: row.bundle.maps, license: 'GPL' }, { logLevel: 0 });
  if (o.verdict === k.verdict) agree++;
  else if (o.verdict === 'accepted') {
    falseAccept++;
    examples.falseAccept.push(`${id} kernel@${k.errorInsn}: ${k.errorLine}`);
  } else {
    falseReject++;
    examples.falseReject.push(`${id} ours@${o.error?.insn}: ${o.error?.message}`);
  }
  if (o.verdict === 'rejected' && k.verdict === 'rejected') {
    bothRejected++;
    if (k.errorInsn !== null) {
      insnKnown++;
      if (k.errorInsn === (o.error?.insn ?? null)) insnAgree++;
    }
    if ((k.errorLine ?? '').replace(/verification time \d+ usec$/, '') === o.error?.message) lineAgree++;
  }
  if (o.verdict === k.verdict && k.processedInsns) {
    const kind = k.verdict === 'accepted' ? 'accepted' : 'rejected';
    const r = o.stats.processedInsns / k.processedInsns;
    ratio[kind].push(r);
    if (r === 1) exact[kind]++;
    else if (examples.processed.length < 1000) examples.processed.push(`${id} ${k.verdict} ours ${o.stats.processedInsns} kernel ${k.processedInsns}`);
    if (k.totalStates !== undefined) {
      statesCompared++;
      if (k.totalStates === o.stats.totalStates && k.peakStates === o.stats.peakStates) statesExact++;
    }
  }
}
console.log(`${rows.length} programs from ${files.join(', ')}; verifier of ${root}; ${Date.now() - started} ms`);
console.log(`verdict agreement:           ${pct(agree, rows.length)}`);
console.log(`false accepts:               ${pct(falseAccept, rows.length)}`);
console.log(`false rejects:               ${pct(falseReject, rows.length)}`);
console.log(`error insn agreement:        ${pct(insnAgree, insnKnown)}`);
console.log(`error line exact match:      ${pct(lineAgree, bothRejected)}`);
console.log(`processed exact (accepted):  ${pct(exact.accepted, ratio.accepted.length)}, median ratio ${median(ratio.accepted)}`);
console.log(`processed exact (rejected):  ${pct(exact.rejected, ratio.rejected.length)}, median ratio ${median(ratio.rejected)}`);
if (statesCompared) console.log(`total+peak states exact:     ${pct(statesExact, statesCompared)}`);
for (const [kind, xs] of Object.entries(examples)) {
  if (!xs.length || !show) continue;
  console.log(`\n${kind} (${xs.length}):`);
  for (const x of xs.slice(0, show)) console.log(`  ${x}`);
}
