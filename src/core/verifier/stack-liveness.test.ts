/**
 * Linux 6.18's stack liveness and the level-2 log details around it,
 * against test-data/verifier/liveness.jsonl: programs whose level-2 logs
 * were recorded from the kernel with kbpf.py (scripts/fuzz-kernel-liveness.ts
 * --write keeps the ones we match; a few handwritten ones cover sub-programs
 * writing their caller's stack and direct map-value loads). The whole log —
 * the "Live regs" listing with its loop numbers, the "(0) frame 0 insn 5
 * +live -8" lines, the states with dead slots dropped — and the counts must
 * be the kernel's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Insn } from '../isa/insn.ts';
import { insnsFromHex } from '../isa/insn.ts';
import type { MapSpec, ProgType } from '../program.ts';
import { verify } from './index.ts';
import { subprogPostorder } from './stack-liveness.ts';

interface LivenessGolden {
  id: string;
  bundle: { progType: ProgType; insns: string; maps: MapSpec[] };
  kernel: { verdict: string; errorLine: string | null; processedInsns: number; totalStates: number; peakStates: number; log: string };
}

const goldens: LivenessGolden[] = readFileSync(new URL('../../../test-data/verifier/liveness.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LivenessGolden);

/** kernel addresses differ from run to run; kbpf appends two stats lines of its own */
const normal = (log: string): string =>
  log.replace(/0xffff[0-9a-f]{12}/g, 'ADDR').split('\n').filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth')).join('\n');

function run(g: LivenessGolden) {
  const d = insnsFromHex(g.bundle.insns);
  if (!d.ok) throw new Error(`${g.id}: ${d.error}`);
  return verify({ name: g.id, progType: g.bundle.progType, insns: d.insns, maps: g.bundle.maps, license: 'GPL' }, { logLevel: 2 });
}

describe('stack liveness and level-2 log details, as recorded from Linux 6.18', () => {
  it('covers liveness updates in sub-programs, must-write marks, loop numbers, map-value load errors and scalar forks', () => {
    const logs = goldens.map((g) => g.kernel.log);
    expect(logs.filter((l) => /^\(0\) live stack update done/m.test(l)).length).toBeGreaterThan(30);
    expect(logs.filter((l) => /^\(\d+,\d+\) frame 0 insn \d+ \+(live|written)/m.test(l)).length).toBeGreaterThan(2);
    expect(logs.filter((l) => / \+written -/.test(l)).length).toBeGreaterThan(10);
    expect(logs.filter((l) => /^ +\d+ +\d+: [.0-9]{10} /m.test(l)).length).toBeGreaterThan(5);
    expect(goldens.filter((g) => /^invalid access to map value pointer/.test(g.kernel.errorLine ?? '')).length).toBeGreaterThan(2);
    // maybe_fork_scalars: the queued copy re-runs the instruction it split on
    expect(logs.filter((l) => /^from (\d+) to \1: /m.test(l)).length).toBeGreaterThan(5);
  });

  it('prints the kernel level-2 log, whole, and the kernel counts', () => {
    const mismatches: string[] = [];
    for (const g of goldens) {
      const o = run(g);
      const want = normal(g.kernel.log);
      const got = normal(o.log);
      if (got !== want) {
        const a = want.split('\n');
        const b = got.split('\n');
        let i = 0;
        while (i < a.length && a[i] === b[i]) i++;
        mismatches.push(`${g.id} line ${i + 1}\n  kernel: ${a[i]}\n  ours:   ${b[i]}`);
        continue;
      }
      const k = g.kernel;
      if (o.verdict !== k.verdict || o.stats.processedInsns !== k.processedInsns || o.stats.totalStates !== k.totalStates || o.stats.peakStates !== k.peakStates) {
        mismatches.push(`${g.id}: ours ${o.verdict} ${o.stats.processedInsns}/${o.stats.totalStates}/${o.stats.peakStates}, kernel ${k.verdict} ${k.processedInsns}/${k.totalStates}/${k.peakStates}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses direct map-value loads the kernel refuses, with its message and no instruction', () => {
    for (const g of goldens.filter((x) => x.id.startsWith('mapvalue-'))) {
      const o = run(g);
      expect(o.verdict, g.id).toBe(g.kernel.verdict);
      expect(o.error?.message ?? null, g.id).toBe(g.kernel.errorLine);
    }
  });
});

describe('subprogPostorder', () => {
  const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });
  it('explores a jump target before the fall-through (all successors are pushed at once)', () => {
    const prog = [
      insn(0x25, 1, 0, 2, 0), // 0: if r1 > 0 goto 3
      insn(0xb7, 0, 0, 0, 0), // 1: r0 = 0
      insn(0x95, 0, 0, 0, 0), // 2: exit
      insn(0xb7, 0, 0, 0, 1), // 3: r0 = 1
      insn(0x95, 0, 0, 0, 0), // 4: exit
    ];
    // worked by hand: 0 pushes 1 and 3; 3 (on top) finishes via 4 first
    expect(subprogPostorder(prog, 0, prog.length)).toEqual([4, 3, 2, 1, 0]);
  });
});
