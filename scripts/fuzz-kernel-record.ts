/**
 * Add fuzzer cases to the kernel-recorded golden corpus
 * (test-data/verifier/corpus.jsonl, replayed by src/core/verifier/golden.test.ts):
 * the named bundles of a `fuzz-kernel.ts --save` file are loaded again on the
 * real kernel at log level 1 (full error log) and appended, skipping ids the
 * corpus already has.
 *
 *   npx tsx scripts/fuzz-kernel-record.ts --from saved.jsonl --prefix shapes- ID...
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = argv.indexOf(name);
  if (i < 0 || argv[i + 1] === undefined) return dflt;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const from = opt('--from', '');
const prefix = opt('--prefix', 'shapes-');
const corpus = opt('--corpus', 'test-data/verifier/corpus.jsonl');
const kbpf = opt('--kbpf', '/work/shared/tools/kbpf.py');
const ids = new Set(argv);
if (!from || ids.size === 0) {
  console.error('usage: fuzz-kernel-record.ts --from saved.jsonl [--prefix P] ID...');
  process.exit(2);
}

const have = new Set(readFileSync(corpus, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { id: string }).id));
const picked = readFileSync(from, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { bundle: { id: string; progType: string; insns: string; maps: object[] } })
  .filter((r) => ids.has(r.bundle.id) && !have.has(prefix + r.bundle.id));
const dir = mkdtempSync(join(tmpdir(), 'fuzz-record-'));
const file = join(dir, 'bundles.jsonl');
writeFileSync(file, picked.map((r) => JSON.stringify({ ...r.bundle, logLevel: 1 })).join('\n') + '\n');
const out = execFileSync('python3', [kbpf, '--batch', file], { maxBuffer: 1 << 28, encoding: 'utf8' }).trim().split('\n');
const lines = picked.map((r, i) => {
  const k = JSON.parse(out[i]) as Record<string, unknown>;
  const { id, ...bundle } = r.bundle;
  return JSON.stringify({
    id: prefix + id,
    bundle: { ...bundle, logLevel: 1 },
    kernel: {
      verdict: k.verdict,
      errorInsn: k.errorInsn ?? null,
      errorLine: k.errorLine ?? null,
      processedInsns: k.processedInsns,
      totalStates: k.totalStates,
      peakStates: k.peakStates,
      log: k.log,
      version: k.kernel,
    },
  });
});
if (lines.length) appendFileSync(corpus, lines.join('\n') + '\n');
console.log(`appended ${lines.length} of ${ids.size} ids to ${corpus}`);
