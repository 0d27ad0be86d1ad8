/**
 * Every gallery example against the Linux 6.18 kernel's answer recorded in
 * test-data/engine/examples.kernel.json (record-kernel.mts): the verdict and
 * error line, each packet's return value and data out, and the maps after.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../index.ts';
import { GALLERY } from './gallery.ts';

interface KernelExample {
  packets: string[];
  verdict: 'accepted' | 'rejected';
  errorLine: string | null;
  runs: { retval: number; dataOut: string }[];
  mapsAfter: { name: string; entries?: { key: string; value: string }[]; records?: string[] }[];
}
const recorded = JSON.parse(readFileSync(new URL('../../../../test-data/engine/examples.kernel.json', import.meta.url), 'utf8')) as { examples: Record<string, KernelExample> };

describe('the examples gallery', () => {
  it('has at least ten examples, each with a kernel recording', () => {
    expect(GALLERY.length).toBeGreaterThanOrEqual(10);
    expect(Object.keys(recorded.examples).sort()).toEqual(GALLERY.map((e) => e.id).sort());
  });

  const verdictMatches = async (id: string, source: string) => {
    const k = recorded.examples[id]!;
    const verified = await createEngine().verify({ source });
    if (!verified.ok || !verified.verification) throw new Error(JSON.stringify(verified));
    expect([verified.verification.verdict, verified.verification.errorLine]).toEqual([k.verdict, k.errorLine]);
  };

  for (const example of GALLERY) {
    it(`${example.id}: the verifier's verdict is the kernel's`, () => verdictMatches(example.id, example.source));
  }

  it.each(GALLERY.filter((e) => recorded.examples[e.id]!.verdict === 'accepted').map((e) => [e.id, e] as const))('%s runs as on the kernel', async (id, example) => {
    const k = recorded.examples[id]!;
    const engine = createEngine();
    const ran = await engine.run({ source: example.source, packets: k.packets });
    if (!ran.ok || !ran.run) throw new Error(JSON.stringify(ran));
    expect(ran.run.packets.map((p) => [Number(BigInt(p.retval ?? '-1') & 0xffffffffn), p.dataOutHex])).toEqual(k.runs.map((r) => [r.retval, r.dataOut]));
    for (const km of k.mapsAfter) {
      const mine = ran.run.maps.find((m) => m.name === km.name)!;
      if (km.entries) expect(mine.entries.map((e) => ({ key: e.keyHex, value: e.valueHex }))).toEqual(km.entries);
      if (km.records) expect(mine.records).toEqual(km.records);
    }
  });
});
