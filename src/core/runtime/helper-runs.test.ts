import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexToBytes, insnsFromHex } from '../isa/insn.ts';
import { isMapType, isProgType, type MapSpec } from '../program.ts';
import { TestRunSession } from './test-run.ts';

/**
 * Helper-calling programs test-run by Linux 6.18 (BPF_PROG_TEST_RUN through
 * kbpf.py; test-data/runtime/record-helper-runs.py), replayed on the
 * interpreter: per packet the retval and data_out (or the errno of a refused
 * packet), and the maps after all packets.
 */
interface RecordedMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  init?: { key: string; value: string }[];
}
interface RecordedCase {
  name: string;
  progType: string;
  insns: string;
  maps: RecordedMap[];
  packets: string[];
  /** ctx_in per packet */
  ctxs?: string[];
  runs: ({ retval: number; dataOut: string } | { errno: string })[];
  mapsAfter: { name: string; entries: { key: string; value?: string; error?: string }[] | null }[];
}

const data = JSON.parse(readFileSync(new URL('../../../test-data/runtime/helper-runs.json', import.meta.url), 'utf8')) as { cases: RecordedCase[] };

function bytes(hex: string): Uint8Array {
  const b = hexToBytes(hex);
  if (!b.ok) throw new Error(b.error);
  return b.bytes;
}

function mapSpec(m: RecordedMap): MapSpec {
  if (!isMapType(m.type)) throw new Error(`map type ${m.type}`);
  return { name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags, init: (m.init ?? []).map((e) => ({ key: bytes(e.key), value: bytes(e.value) })) };
}

describe('helper runs agree with the kernel', () => {
  it('has recorded cases', () => expect(data.cases.length).toBeGreaterThan(100));
  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const insns = insnsFromHex(c.insns);
    if (!insns.ok || !isProgType(c.progType)) throw new Error('bad case');
    const created = TestRunSession.create(c.maps.map(mapSpec));
    if (!created.ok) throw new Error(created.error);
    const s = created.session;
    const id = s.load({ name: 'prog', progType: c.progType, insns: insns.insns, maps: [], license: 'GPL' });
    const runs = s.run(
      id,
      c.packets.map((p, i) => (c.ctxs ? { data: bytes(p), ctx: bytes(c.ctxs[i]!) } : { data: bytes(p) })),
    );
    const got = runs.map((r) => (r.error !== undefined ? { errno: r.error.split(':')[0] } : r.fault ? { fault: r.fault.message } : { retval: r.retval, dataOut: r.dataOut }));
    expect(got).toEqual(c.runs);
    for (const want of c.mapsAfter) {
      // maps user space cannot read back (ringbuf, xskmap) have nothing to compare
      if (want.entries === null || want.entries.some((e) => e.error !== undefined)) continue;
      const have = s.mapsAfter().find((m) => m.name === want.name);
      // kbpf lists entries in get_next_key order (hash order depends on a random seed); compare sorted
      const sorted = (es: { key: string; value?: string }[]) => es.map((e) => ({ key: e.key, value: e.value })).sort((a, b) => a.key.localeCompare(b.key));
      expect(sorted(have?.entries ?? [])).toEqual(sorted(want.entries));
    }
  });
});
