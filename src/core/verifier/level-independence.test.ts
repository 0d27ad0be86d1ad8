/**
 * The log level changes what the verifier prints, never what it concludes:
 * processed counts at levels 0, 1 and 2 all equal the kernel's. Data: the
 * kernel-accepted programs of `npx tsx scripts/fuzz-kernel.ts --gen shapes
 * --shape callbacks --count 300 --seed 31000 --save FILE` (Linux 6.18), where a
 * backtracking shortcut taken only below level 2 once gave bpf_loop programs
 * other counts (callbacks-31025: 50 instead of 36).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import { isProgType, type ProgramSpec } from '../program.ts';
import { verify } from './index.ts';

interface Recorded {
  bundle: { id: string; progType: string; insns: string; maps?: ProgramSpec['maps']; license?: string };
  kernel: { verdict: string; processedInsns: number };
}

const records = readFileSync(new URL('../../../test-data/verifier/level-independence.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Recorded);

describe('processed counts do not depend on the log level', () => {
  it('has the recorded programs', () => expect(records.length).toBeGreaterThan(50));
  it.each(records.map((r) => [r.bundle.id, r] as const))('%s', (_id, r) => {
    const decoded = insnsFromHex(r.bundle.insns);
    if (!decoded.ok || !isProgType(r.bundle.progType)) throw new Error(`bad record ${r.bundle.id}`);
    const program: ProgramSpec = { name: r.bundle.id, progType: r.bundle.progType, insns: decoded.insns, maps: r.bundle.maps ?? [], license: r.bundle.license ?? 'GPL' };
    const counts = ([0, 1, 2] as const).map((logLevel) => verify(program, { logLevel }).stats.processedInsns);
    expect(counts).toEqual([r.kernel.processedInsns, r.kernel.processedInsns, r.kernel.processedInsns]);
  });
});
