/**
 * Linked scalar ids with a constant delta, as Linux 6.18 keeps them through
 * `w7 += 15`, `w8 -= 16` and `r6 -= 31` (BPF_ADD_CONST32 / BPF_ADD_CONST64)
 * and prints them as `id=1+15` / `id=1-16`. The cases in
 * test-data/verifier/linked-ids.jsonl were recorded from the kernel at log
 * level 2 with kbpf.py (handwritten probes plus fuzzed programs whose logs
 * show such links, kept by scripts/fuzz-kernel-liveness.ts --write): when the
 * link is kept or dropped (a second delta, a 32-bit add on a value wider
 * than 32 bits, -S32_MIN), how a branch refines the linked registers (a
 * 32-bit delta zero-extends), and how pruning compares two such links.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import type { MapSpec, ProgType } from '../program.ts';
import { verify } from './index.ts';

interface LinkedIdGolden {
  id: string;
  bundle: { progType: ProgType; insns: string; maps: MapSpec[] };
  kernel: { verdict: string; errorLine: string | null; processedInsns: number; log: string };
}

const goldens: LinkedIdGolden[] = readFileSync(new URL('../../../test-data/verifier/linked-ids.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as LinkedIdGolden);

/** kernel addresses differ from run to run; kbpf appends two stats lines of its own */
const normal = (log: string): string =>
  log.replace(/0xffff[0-9a-f]{12}/g, 'ADDR').split('\n').filter((l) => !l.startsWith('verification time') && !l.startsWith('stack depth')).join('\n');

function run(g: LinkedIdGolden) {
  const d = insnsFromHex(g.bundle.insns);
  if (!d.ok) throw new Error(`${g.id}: ${d.error}`);
  return verify({ name: g.id, progType: g.bundle.progType, insns: d.insns, maps: g.bundle.maps, license: 'GPL' }, { logLevel: 2 });
}

describe('linked scalar ids with a constant delta, as recorded from Linux 6.18', () => {
  it('covers 32-bit and subtracted deltas, dropped links and pruning on them', () => {
    const logs = goldens.map((g) => g.kernel.log);
    // a 32-bit add that keeps the link, and a subtraction printed as a negative delta
    expect(logs.filter((l) => /\(04\) w\d \+= \d+ +; R\d=scalar\(id=\d+\+\d+/.test(l)).length).toBeGreaterThan(2);
    expect(logs.filter((l) => /\(14\) w\d -= \d+ +; R\d=scalar\(id=\d+-\d+/.test(l)).length).toBeGreaterThan(2);
    expect(logs.filter((l) => /\(17\) r\d -= \d+ +; R\d=scalar\(id=\d+-\d+/.test(l)).length).toBeGreaterThan(0);
    // a 32-bit add on a value wider than 32 bits drops the link
    expect(logs.filter((l) => /\(04\) w\d \+= \d+ +; R\d=scalar\(smin=0,smax=umax=0xffffffff,var_off/.test(l)).length).toBeGreaterThan(0);
    // the 32-bit and 64-bit adds of pr1 meet at a prune point and must not prune each other
    expect(goldens.find((g) => g.id === 'pr1')?.kernel.processedInsns).toBe(27);
    expect(goldens.find((g) => g.id === 'pr2')?.kernel.processedInsns).toBe(20);
  });

  it('prints the kernel level-2 log, whole, with the kernel verdict and counts', () => {
    const mismatches: string[] = [];
    for (const g of goldens) {
      const o = run(g);
      const want = normal(g.kernel.log).split('\n');
      const got = normal(o.log).split('\n');
      const i = want.findIndex((l, k) => l !== got[k]);
      if (i >= 0 || got.length !== want.length) mismatches.push(`${g.id} line ${i + 1}\n  kernel: ${want[i]}\n  ours:   ${got[i]}`);
      if (o.verdict !== g.kernel.verdict || o.stats.processedInsns !== g.kernel.processedInsns) {
        mismatches.push(`${g.id}: ours ${o.verdict} ${o.stats.processedInsns}, kernel ${g.kernel.verdict} ${g.kernel.processedInsns}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
