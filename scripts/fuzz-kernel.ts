/**
 * Differential fuzzer: random programs (src/core/verifier/testing/gen.ts)
 * through the real kernel (../shared/tools/kbpf.py) and through our
 * verifier; prints verdict agreement, false accepts, first-error-insn and
 * error-line agreement, processed-insn ratio.
 *
 *   npx tsx scripts/fuzz-kernel.ts [--count N] [--seed S] [--show K]
 *       [--save FILE.jsonl]   # write bundles + kernel results (a golden corpus)
 *       [--kernel FILE.jsonl] # reuse kernel results recorded earlier
 *       [--gen shapes]        # the independent shape generator (testing/shapes.ts)
 *       [--shape NAME]        # with --gen shapes: only this shape
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insnsFromHex, insnsToHex } from '../src/core/isa/insn.ts';
import type { ProgramSpec } from '../src/core/program.ts';
import { verify } from '../src/core/verifier/index.ts';
import { generate } from '../src/core/verifier/testing/gen.ts';
import { generateShape } from '../src/core/verifier/testing/shapes.ts';

interface KernelResult {
  verdict: string;
  errorInsn: number | null;
  errorLine: string | null;
  processedInsns: number | null;
  log?: string;
}

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

const count = Number(arg('--count', '500'));
const seed = Number(arg('--seed', String(Date.now() % 1e9)));
const show = Number(arg('--show', '8'));
const save = arg('--save', '');
const reuse = arg('--kernel', '');
const kbpf = arg('--kbpf', '/work/shared/tools/kbpf.py');
/** also compare our level-1 log with the kernel's for programs both reject */
const compareLogs = process.argv.includes('--logs');

const useShapes = arg('--gen', 'mix') === 'shapes';
const onlyShape = arg('--shape', '') || undefined;
let unassembled = 0;
interface SavedRow {
  bundle: { id: string; progType: ProgramSpec['progType']; insns: string; maps: ProgramSpec['maps'] };
  kernel: KernelResult;
}
// --kernel: replay the saved bundles themselves, so a generator changed since then cannot pair programs with the wrong results
const savedRows: SavedRow[] | null = reuse ? readFileSync(reuse, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SavedRow) : null;
const fromSaved = (row: SavedRow, i: number) => {
  const d = insnsFromHex(row.bundle.insns);
  if (!d.ok) throw new Error(`${row.bundle.id}: ${d.error}`);
  return { seed: i, kind: row.bundle.id, progType: row.bundle.progType, insns: d.insns, maps: row.bundle.maps };
};
const programs = savedRows ? savedRows.map(fromSaved) : Array.from({ length: count }, (_, i) => {
  if (!useShapes) return { seed: seed + i, ...generate(seed + i) };
  const p = generateShape(seed + i, onlyShape);
  if (!p) unassembled++;
  return p ? { seed: seed + i, ...p } : null;
}).filter((p) => p !== null);
const bundles = programs.map((p) => ({
  id: savedRows ? p.kind : `${p.kind}-${p.seed}`,
  progType: p.progType,
  insns: insnsToHex(p.insns),
  maps: p.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags })),
  logLevel: 1,
}));

let kernel: KernelResult[];
if (savedRows) {
  kernel = savedRows.map((r) => r.kernel);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-kernel-'));
  const file = join(dir, 'bundles.jsonl');
  writeFileSync(file, bundles.map((x) => JSON.stringify(x)).join('\n') + '\n');
  const out = execFileSync('python3', [kbpf, '--batch', file, '--fast', ...(compareLogs ? [] : ['--no-log'])], { maxBuffer: 1 << 30, encoding: 'utf8' });
  kernel = out.trim().split('\n').map((l) => {
    const j = JSON.parse(l);
    const r: KernelResult = { verdict: j.verdict, errorInsn: j.errorInsn ?? null, errorLine: j.errorLine ?? null, processedInsns: j.processedInsns ?? null };
    if (compareLogs && j.verdict === 'rejected') r.log = j.log;
    return r;
  });
}

let agree = 0;
let falseAccept = 0;
let falseReject = 0;
let bothRejected = 0;
let insnAgree = 0;
let insnUnavailable = 0;
let lineAgree = 0;
let kAccepted = 0;
const ratios: number[] = [];
const examples: Record<string, string[]> = { falseAccept: [], falseReject: [], insn: [], line: [], log: [] };
let logCompared = 0;
let logAgree = 0;
const started = Date.now();
const lines: string[] = [];
programs.forEach((p, i) => {
  const k = kernel[i];
  const spec: ProgramSpec = { name: p.kind, progType: p.progType, insns: p.insns, maps: p.maps, license: 'GPL' };
  const o = verify(spec, { logLevel: compareLogs && k.log !== undefined ? 1 : 0 });
  if (compareLogs && k.log !== undefined && o.verdict === 'rejected') {
    logCompared++;
    // kernel addresses differ run to run; kbpf adds stats lines
    const norm = (t: string): string[] =>
      t.replace(/0xffff[0-9a-f]{12}/g, 'ADDR').split('\n').filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth'));
    const kl = norm(k.log);
    const ol = norm(o.log);
    if (kl.join('\n') === ol.join('\n')) logAgree++;
    else {
      let d = 0;
      while (d < kl.length && kl[d] === ol[d]) d++;
      examples.log.push(`${bundles[i].id} line ${d + 1}\n    kernel: ${kl[d]}\n    ours:   ${ol[d]}`);
    }
  }
  if (save) lines.push(JSON.stringify({ bundle: bundles[i], kernel: k }));
  if (k.verdict === 'accepted') kAccepted++;
  const oLine = o.error?.message ?? null;
  if (o.verdict === k.verdict) agree++;
  else if (o.verdict === 'accepted') {
    falseAccept++;
    examples.falseAccept.push(`${bundles[i].id} ${bundles[i].progType} kernel@${k.errorInsn}: ${k.errorLine}  ${bundles[i].insns}`);
  } else {
    falseReject++;
    examples.falseReject.push(`${bundles[i].id} ${bundles[i].progType} ours@${o.error?.insn}: ${oLine}  ${bundles[i].insns}`);
  }
  if (k.verdict === 'rejected' && o.verdict === 'rejected') {
    bothRejected++;
    // kbpf --fast does not reload programs that hit the insn limit: no error insn to compare
    if (k.errorInsn === null && /^BPF program is too large/.test(k.errorLine ?? '')) insnUnavailable++;
    else if (k.errorInsn === (o.error?.insn ?? null)) insnAgree++;
    else examples.insn.push(`${bundles[i].id} kernel@${k.errorInsn} ours@${o.error?.insn}: ${k.errorLine} | ${oLine}`);
    // a few kernel messages end without "\n" (e.g. "expected prog array map
    // for tail call"), so kbpf --fast glues the level-4 stats line onto them
    const kLine = k.errorLine?.replace(/verification time \d+ usec$/, '') ?? null;
    if (kLine === oLine) lineAgree++;
    else examples.line.push(`${bundles[i].id} ${bundles[i].progType}\n    kernel: ${k.errorLine}\n    ours:   ${oLine}  ${bundles[i].insns}`);
  }
  if (k.verdict === 'accepted' && o.verdict === 'accepted' && k.processedInsns) ratios.push(o.stats.processedInsns / k.processedInsns);
});
if (save) writeFileSync(save, lines.join('\n') + '\n');
const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : 'n/a');
ratios.sort((a, b) => a - b);
if (unassembled) console.log(`${unassembled} generated programs did not assemble (skipped)`);
console.log(`seed ${seed}, ${programs.length} programs, kernel accepted ${pct(kAccepted, programs.length)}; ours took ${Date.now() - started} ms`);
console.log(`verdict agreement:      ${pct(agree, programs.length)}`);
console.log(`false accepts:          ${pct(falseAccept, programs.length)}`);
console.log(`false rejects:          ${pct(falseReject, programs.length)}`);
console.log(`error insn agreement:   ${pct(insnAgree, bothRejected - insnUnavailable)}${insnUnavailable ? ` (${insnUnavailable} insn-limit rejects without a kernel error insn left out)` : ''}`);
console.log(`error line exact match: ${pct(lineAgree, bothRejected)}`);
if (compareLogs) console.log(`level-1 log exact match: ${pct(logAgree, logCompared)}`);
if (ratios.length) console.log(`processed ours/kernel (accepted): median ${ratios[Math.floor(ratios.length / 2)].toFixed(3)}, exact ${pct(ratios.filter((r) => r === 1).length, ratios.length)}, mean ${(ratios.reduce((a, b) => a + b, 0) / ratios.length).toFixed(3)}`);
for (const [k, xs] of Object.entries(examples)) {
  if (!xs.length) continue;
  console.log(`\n${k} (${xs.length}):`);
  for (const x of xs.slice(0, show)) console.log(`  ${x}`);
}
