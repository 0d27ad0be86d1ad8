/**
 * Record the real kernel's verification figures for the verifier bench's
 * programs (bench/verifier-programs.ts) into test-data/verifier/bench-kernel.json,
 * so `npm run bench` can compare against them without the kernel.
 *
 *   npx tsx scripts/fuzz-kernel-bench.ts [--repeat N] [--kbpf PATH] [--only ID,ID]
 *
 * --only records just the named programs and keeps the other figures of the
 * file (a new bench row without re-timing the others on a different day).
 *
 * loadNs is BPF_PROG_LOAD wall time as kbpf measures it (log level 0 style
 * stats load, --fast); the median of N loads is kept.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchPrograms } from '../bench/verifier-programs.ts';

const argOf = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
};
const repeat = Number(argOf('--repeat', '7'));
const kbpf = argOf('--kbpf', '/work/shared/tools/kbpf.py');

const only = argOf('--only', '').split(',').filter(Boolean);
const programs = benchPrograms().filter((p) => !only.length || only.includes(p.id));
const dir = mkdtempSync(join(tmpdir(), 'bench-kernel-'));
const file = join(dir, 'bundles.jsonl');
const lines: string[] = [];
for (let r = 0; r < repeat; r++) for (const p of programs) lines.push(JSON.stringify({ id: p.id, ...p.bundle, logLevel: 1 }));
writeFileSync(file, lines.join('\n') + '\n');
const out = execFileSync('python3', [kbpf, '--batch', file, '--fast', '--no-log'], { maxBuffer: 1 << 28, encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { verdict: string; processedInsns: number; loadNs: number; kernel: string });

const result: Record<string, { verdict: string; processedInsns: number; loadNsMedian: number; loadNsAll: number[] }> = {};
programs.forEach((p, i) => {
  const runs = out.filter((_, j) => j % programs.length === i);
  const ns = runs.map((r) => r.loadNs).sort((a, b) => a - b);
  result[p.id] = { verdict: runs[0].verdict, processedInsns: runs[0].processedInsns, loadNsMedian: ns[Math.floor(ns.length / 2)], loadNsAll: ns };
});
const target = new URL('../test-data/verifier/bench-kernel.json', import.meta.url);
const now = new Date().toISOString();
if (only.length && existsSync(target)) {
  // keep the file's other rows and its header; the new rows say when they were recorded
  const file = JSON.parse(readFileSync(target, 'utf8')) as { programs: Record<string, unknown> };
  for (const [id, r] of Object.entries(result)) file.programs[id] = { ...r, recorded: now, repeat };
  writeFileSync(target, JSON.stringify(file, null, 1) + '\n');
} else {
  writeFileSync(target, JSON.stringify({ kernel: out[0]?.kernel ?? null, recorded: now, repeat, programs: result }, null, 1) + '\n');
}
console.log(JSON.stringify(result, null, 1));
