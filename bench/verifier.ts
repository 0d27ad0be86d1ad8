/**
 * Verifier bench (called from `npm run bench`): processed instructions per
 * second on large programs (bench/verifier-programs.ts), and the ratio of our
 * verification time to the Linux 6.18 kernel's BPF_PROG_LOAD time for the
 * same program, recorded once by scripts/fuzz-kernel-bench.ts into
 * test-data/verifier/bench-kernel.json (target: within 2x).
 *
 * Two figures per program: the best of the first ten verifications after one
 * warm-up ("first 10": small programs are still partly in V8's interpreter and
 * baseline tiers there, and every new program shape deoptimises some code
 * tuned on the previous one), and the best once the code is warm (sampling
 * for at least WARM_MS): the state in which the editor re-verifies a program
 * on every pause in typing. The ratio to the kernel is given for both; the
 * kernel's figure is a median of several loads of compiled C.
 *
 * The verifier is bundled with esbuild first, as vite bundles it for the
 * browser: running it through tsx's per-module transform adds export getters
 * on every cross-module call and would measure the loader, not the verifier.
 *
 * To compare a change with an earlier revision, use bench/verifier-ab.ts
 * (both verifiers in one process, sampled alternately): on the shared
 * machine, figures of separate runs of this bench drift by 20-30%.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VerifyOptions, VerifyResult } from '../src/core/verifier/index.ts';
import type { ProgramSpec } from '../src/core/program.ts';
import { benchPrograms } from './verifier-programs.ts';

type VerifyFn = (p: ProgramSpec, o?: VerifyOptions) => VerifyResult;

interface KernelFigures {
  kernel: string | null;
  programs: Record<string, { verdict: string; processedInsns: number; loadNsMedian: number }>;
}

async function loadVerifier(): Promise<{ verify: VerifyFn; how: string }> {
  const entry = new URL('../src/core/verifier/index.ts', import.meta.url).pathname;
  try {
    const { build } = await import('esbuild');
    const out = join(mkdtempSync(join(tmpdir(), 'bench-verifier-')), 'verifier.mjs');
    await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile: out, logLevel: 'error' });
    const mod = (await import(pathToFileURL(out).href)) as { verify: VerifyFn };
    return { verify: mod.verify, how: 'esbuild bundle' };
  } catch (e) {
    const mod = (await import('../src/core/verifier/index.ts')) as { verify: VerifyFn };
    return { verify: mod.verify, how: `tsx modules (esbuild failed: ${e instanceof Error ? e.message : String(e)})` };
  }
}

export interface VerifierBenchRow {
  id: string;
  what: string;
  processedInsns: number;
  /** best once warm */
  ms: number;
  /** best of the first `samples` verifications after one warm-up */
  firstMs: number;
  insnsPerSec: number;
  kernelMs: number | null;
  /** warm ms / kernel ms */
  ratio: number | null;
  /** first-samples ms / kernel ms */
  firstRatio: number | null;
  /** how many verifications the "first" figure is the best of */
  samples: number;
}

/** Sampling time per program for the warm figure (small programs get many samples). */
const WARM_MS = 400;

/** Per program: best of `samples` verifications after one warm-up, then the best once warm. */
export async function runVerifierBench(samples = 10): Promise<VerifierBenchRow[]> {
  const { verify, how } = await loadVerifier();
  const kernel = JSON.parse(readFileSync(new URL('../test-data/verifier/bench-kernel.json', import.meta.url), 'utf8')) as KernelFigures;
  const rows: VerifierBenchRow[] = [];
  for (const p of benchPrograms()) {
    const n = p.samples ?? samples;
    verify(p.program, { logLevel: 0 });
    let first = Infinity;
    let processed = 0;
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = verify(p.program, { logLevel: 0 });
      first = Math.min(first, performance.now() - t);
      processed = r.stats.processedInsns;
    }
    let best = first;
    for (let i = 0; i < n || performance.now() - started < WARM_MS; i++) {
      const t = performance.now();
      verify(p.program, { logLevel: 0 });
      best = Math.min(best, performance.now() - t);
    }
    const k = kernel.programs[p.id];
    const kernelMs = k ? k.loadNsMedian / 1e6 : null;
    rows.push({
      id: p.id,
      what: p.what,
      processedInsns: processed,
      ms: best,
      firstMs: first,
      insnsPerSec: (processed / best) * 1000,
      kernelMs,
      ratio: kernelMs ? best / kernelMs : null,
      firstRatio: kernelMs ? first / kernelMs : null,
      samples: n,
    });
  }
  console.log(`\n[verifier] (${how}; kernel ${kernel.kernel ?? '?'} figures from test-data/verifier/bench-kernel.json; target <= 2x the kernel)`);
  for (const r of rows) {
    const k = kernel.programs[r.id];
    const kernelNote = k
      ? `kernel ${r.kernelMs!.toFixed(2)} ms (${k.processedInsns} insns), ours/kernel ${r.ratio!.toFixed(2)}x warm, ${r.firstRatio!.toFixed(2)}x first ${r.samples}`
      : 'no kernel figure';
    console.log(`  ${r.id.padEnd(10)} ${r.what}: ${r.processedInsns} insns in ${r.ms.toFixed(2)} ms warm (${r.firstMs.toFixed(2)} ms first ${r.samples}) = ${(r.insnsPerSec / 1e6).toFixed(2)} M insns/s; ${kernelNote}`);
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runVerifierBench();
