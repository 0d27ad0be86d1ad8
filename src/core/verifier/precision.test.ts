/**
 * Precision tracking against Linux 6.18: test-data/verifier/precision.jsonl
 * holds programs (handwritten ones with their assembly, and fuzzer ones)
 * whose level-2 logs were recorded from the kernel with kbpf.py. Their
 * backtracking lines ("mark_precise: ..."), propagation at pruning
 * ("frame 0: propagating r8"), the fallback ("force_precise: ..."), the P
 * marks in state dumps and the processed-instruction and state counts must
 * all be the kernel's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import type { MapSpec, ProgType } from '../program.ts';
import { verify } from './index.ts';
import { comparableLog2, precisionLines } from './log-compare.ts';
import { computeScc } from './precision-scc.ts';

interface PrecisionGolden {
  id: string;
  asm?: string;
  bundle: { progType: ProgType; insns: string; maps: MapSpec[] };
  kernel: { verdict: string; processedInsns: number; totalStates: number; peakStates: number; log: string };
}

const goldens: PrecisionGolden[] = readFileSync(new URL('../../../test-data/verifier/precision.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as PrecisionGolden);

function run(g: PrecisionGolden) {
  const d = insnsFromHex(g.bundle.insns);
  if (!d.ok) throw new Error(`${g.id}: ${d.error}`);
  return verify({ name: g.id, progType: g.bundle.progType, insns: d.insns, maps: g.bundle.maps, license: 'GPL' }, { logLevel: 2 });
}

const byId = (id: string): PrecisionGolden => {
  const g = goldens.find((x) => x.id === id);
  if (!g) throw new Error(`no golden ${id}`);
  return g;
};

describe('precision tracking, as recorded from Linux 6.18', () => {
  it('covers backtracking into parent states, propagation at pruning, sub-program frames and the fallback', () => {
    const logs = goldens.map((g) => g.kernel.log);
    expect(logs.filter((l) => l.includes('parent state regs=')).length).toBeGreaterThan(20);
    expect(logs.filter((l) => /^frame \d+: propagating /m.test(l)).length).toBeGreaterThan(5);
    expect(logs.filter((l) => /^mark_precise: frame1: /m.test(l)).length).toBeGreaterThan(5);
    expect(logs.some((l) => l.includes('falling back to forcing all scalars precise'))).toBe(true);
  });

  it('prints the kernel level-2 log (precision lines and P marks included) and counts', () => {
    const mismatches: string[] = [];
    for (const g of goldens) {
      const o = run(g);
      const want = comparableLog2(g.kernel.log, true);
      const got = comparableLog2(o.log, true);
      if (got !== want) {
        const a = want.split('\n');
        const b = got.split('\n');
        let i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        mismatches.push(`${g.id} line ${i + 1}:\n  kernel: ${a[i]}\n  ours:   ${b[i]}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('prunes as much as the kernel: processed instructions and states', () => {
    for (const g of goldens) {
      const s = run(g).stats;
      expect({ id: g.id, processed: s.processedInsns, total: s.totalStates, peak: s.peakStates }).toEqual({
        id: g.id,
        processed: g.kernel.processedInsns,
        total: g.kernel.totalStates,
        peak: g.kernel.peakStates,
      });
    }
  });

  it('prunes paths that differ only in a scalar nothing depended on, and propagates what the pruning state needed', () => {
    // hand-prop: r9 is 0 on one path and 1 on the other but never decides anything, r8 does
    const g = byId('hand-prop');
    const o = run(g);
    const safe = (log: string): string[] => log.split('\n').filter((l) => l.endsWith(': safe'));
    expect(safe(g.kernel.log).length).toBeGreaterThan(0);
    expect(safe(o.log)).toEqual(safe(g.kernel.log));
    expect(precisionLines(o.log).filter((l) => l.includes('propagating'))).toEqual(['frame 0: propagating r8', 'frame 0: propagating r8', 'frame 0: propagating r8']);
  });

  it('follows a spilled scalar through the stack and a linked register set', () => {
    for (const id of ['hand-prop2', 'hand-linked']) {
      const g = byId(id);
      expect(precisionLines(run(g).log)).toEqual(precisionLines(g.kernel.log));
    }
  });

  it('stops bpf_loop re-queuing its callback at the precise iteration count', () => {
    const g = byId('hand-cbloop');
    const o = run(g);
    expect(o.verdict).toBe('accepted');
    expect(precisionLines(o.log)).toEqual(precisionLines(g.kernel.log));
  });

  it('numbers loops as the kernel does (the SCC column of its "Live regs" listing)', () => {
    let loops = 0;
    for (const g of goldens) {
      const d = insnsFromHex(g.bundle.insns);
      if (!d.ok) throw new Error(g.id);
      const kernel = new Map<number, number>();
      for (const line of g.kernel.log.split('\n')) {
        const m = /^ ?( {2}\d| \d\d|\d{3}| {3}) +(\d+): [.0-9]{10} /.exec(line);
        if (m) kernel.set(Number(m[2]), Number(m[1].trim() || '0'));
      }
      const ours = computeScc(d.insns);
      for (const [insn, scc] of kernel) expect({ id: g.id, insn, scc: ours[insn] }).toEqual({ id: g.id, insn, scc });
      loops += [...kernel.values()].some((v) => v > 0) ? 1 : 0;
    }
    expect(loops).toBeGreaterThan(3);
  });

  it('logs loop entry and exit ("SCC enter/exit") where the kernel does', () => {
    const scc = (log: string): string[] => log.split('\n').filter((l) => l.startsWith('SCC '));
    for (const g of goldens.filter((x) => x.kernel.log.includes('SCC enter'))) expect({ id: g.id, lines: scc(run(g).log) }).toEqual({ id: g.id, lines: scc(g.kernel.log) });
  });

  it('checks the return value at exit of the program types that confine it, with R0 made precise', () => {
    for (const id of ['hand-retval-a', 'hand-retval-b', 'hand-retval-c', 'hand-retval-d']) {
      const g = byId(id);
      const o = run(g);
      expect({ id, verdict: o.verdict, error: o.error?.message ?? null }).toEqual({ id, verdict: g.kernel.verdict, error: (g.kernel as { errorLine?: string | null }).errorLine ?? null });
    }
  });

  it('treats what an atomic read-modify-write leaves on the stack as unknown data, not a constant', () => {
    // hand-atomic: a constant spilled, then lock-added to; branching on the reload must stay undecided (the kernel rejects the unexplored side)
    for (const id of ['hand-atomic', 'hand-atomic32']) {
      const g = byId(id);
      const o = run(g);
      expect({ id, verdict: o.verdict, error: o.error?.message ?? null, processed: o.stats.processedInsns }).toEqual({
        id,
        verdict: g.kernel.verdict,
        error: (g.kernel as { errorLine?: string | null }).errorLine ?? null,
        processed: g.kernel.processedInsns,
      });
    }
  });

  it('prints the acquired references after the registers (" refs=2") with the kernel ids', () => {
    for (const id of ['ringbuf-888013', 'ringbuf-888020']) {
      const g = byId(id);
      const refs = (log: string): string[] => log.split('\n').filter((l) => / refs=\d/.test(l) || l.startsWith('Unreleased reference'));
      expect(refs(g.kernel.log).length).toBeGreaterThan(0);
      expect(refs(run(g).log)).toEqual(refs(g.kernel.log));
    }
  });
});
