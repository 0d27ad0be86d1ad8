/**
 * Replays the kernel-recorded corpus (test-data/verifier/corpus.jsonl, made
 * by scripts/record-verifier-goldens.ts on Linux 6.18): verdicts, first
 * error instruction and error line must match the kernel's; level-1 logs
 * must match too, except for the differences listed in KNOWN_LOG_GAPS.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import type { MapSpec, ProgType } from '../program.ts';
import { verify } from './index.ts';

interface GoldenEntry {
  id: string;
  bundle: { progType: ProgType; insns: string; maps: MapSpec[] };
  kernel: { verdict: string; errorInsn: number | null; errorLine: string | null; processedInsns: number; log: string };
}

const corpus: GoldenEntry[] = readFileSync(new URL('../../../test-data/verifier/corpus.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as GoldenEntry);

function run(e: GoldenEntry, logLevel: 0 | 1) {
  const decoded = insnsFromHex(e.bundle.insns);
  if (!decoded.ok) throw new Error(`${e.id}: ${decoded.error}`);
  return verify({ name: e.id, progType: e.bundle.progType, insns: decoded.insns, maps: e.bundle.maps, license: 'GPL' }, { logLevel });
}

/** Kernel addresses change from run to run; kbpf appends its stats lines. */
function normalizeLog(t: string): string {
  return t
    .replace(/0xffff[0-9a-f]{12}/g, 'ADDR')
    .split('\n')
    .filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth'))
    .join('\n');
}

/**
 * Log differences this verifier does not model yet (none left: the "P"
 * marks of precise scalars in "infinite loop detected" dumps now match).
 */
const KNOWN_LOG_GAPS: RegExp[] = [];

describe('golden corpus recorded from the Linux 6.18 kernel', () => {
  it(`has a corpus of ${corpus.length} programs with both verdicts`, () => {
    const accepted = corpus.filter((e) => e.kernel.verdict === 'accepted').length;
    expect(accepted).toBeGreaterThan(corpus.length / 5);
    expect(corpus.length - accepted).toBeGreaterThan(corpus.length / 5);
  });

  it('gives the kernel verdict, error instruction and error line for every program', () => {
    const mismatches: string[] = [];
    for (const e of corpus) {
      const r = run(e, 0);
      const got = { verdict: r.verdict, errorInsn: r.error?.insn ?? null, errorLine: r.error?.message ?? null };
      const want = { verdict: e.kernel.verdict, errorInsn: e.kernel.errorInsn, errorLine: e.kernel.errorLine };
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push(`${e.id}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('prints the kernel level-1 log for rejected programs', () => {
    const mismatches: string[] = [];
    for (const e of corpus.filter((x) => x.kernel.verdict === 'rejected')) {
      const want = normalizeLog(e.kernel.log);
      if (KNOWN_LOG_GAPS.some((rx) => rx.test(want))) continue;
      const got = normalizeLog(run(e, 1).log);
      if (got !== want) mismatches.push(`${e.id}:\n--- kernel\n${want}\n--- ours\n${got}`);
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });

  it('prints only the summary line at level 1 for accepted programs, with the kernel counters', () => {
    const mismatches: string[] = [];
    for (const e of corpus.filter((x) => x.kernel.verdict === 'accepted')) {
      const r = run(e, 1);
      if (normalizeLog(r.log) !== normalizeLog(e.kernel.log)) mismatches.push(`${e.id}: ${r.log} vs ${e.kernel.log}`);
    }
    // processed-insn and state counts are part of the summary line; a few may differ (pruning is approximate)
    expect(mismatches.length).toBeLessThanOrEqual(Math.ceil(corpus.length * 0.02));
  });
});
