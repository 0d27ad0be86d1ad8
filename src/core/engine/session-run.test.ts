/**
 * Runs with live maps through the real engine. The expected contents come
 * from the Linux 6.18 kernel: test-data/engine/counter-ringbuf.kernel.json is
 * kbpf.py's answer for counter-ringbuf.bundle.json (same program, a seed of
 * 10 in counts[1], two packets).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from './index.ts';
import { applySeeds } from './session-run.ts';

const dir = new URL('../../../test-data/engine/', import.meta.url);
const SOURCE = readFileSync(new URL('counter-ringbuf.s', dir), 'utf8');
const bundle = JSON.parse(readFileSync(new URL('counter-ringbuf.bundle.json', dir), 'utf8')) as { runs: { data: string }[] };
const kernel = JSON.parse(readFileSync(new URL('counter-ringbuf.kernel.json', dir), 'utf8')) as {
  runs: { retval: number; dataOut: string }[];
  mapsAfter: { name: string; entries?: { key: string; value: string }[]; records?: string[] }[];
};

describe('runs with maps and helpers', () => {
  it('a seeded counter and ring-buffer records match the kernel after two packets', async () => {
    const reply = await createEngine().run({
      source: SOURCE,
      packets: bundle.runs.map((r) => r.data),
      mapSeeds: [{ map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' }],
    });
    if (!reply.ok || !reply.run) throw new Error(JSON.stringify(reply));
    const run = reply.run;
    expect(run.packets.map((p) => [Number(p.retval), p.dataOutHex])).toEqual(kernel.runs.map((r) => [r.retval, r.dataOut]));
    expect(run.packets.map((p) => p.verdict)).toEqual(['XDP_PASS', 'XDP_PASS']);
    const counts = run.maps.find((m) => m.name === 'counts')!;
    const kCounts = kernel.mapsAfter.find((m) => m.name === 'counts')!;
    expect(counts.entries.map((e) => ({ key: e.keyHex, value: e.valueHex }))).toEqual(kCounts.entries);
    const events = run.maps.find((m) => m.name === 'events')!;
    expect(events.records).toEqual(kernel.mapsAfter.find((m) => m.name === 'events')!.records);
    // Each packet's run emitted one record: the counter after its increment.
    expect(run.packets.map((p) => p.events)).toEqual(kernel.mapsAfter.find((m) => m.name === 'events')!.records!.map((hex) => [{ kind: 'ringbuf', map: 'events', hex }]));
  });

  it('starts every Run from the declared contents (maps do not leak between Runs)', async () => {
    const engine = createEngine();
    const packets = [bundle.runs[0]!.data];
    await engine.run({ source: SOURCE, packets });
    const second = await engine.run({ source: SOURCE, packets });
    if (!second.ok || !second.run) throw new Error('no run');
    expect(second.run.maps.find((m) => m.name === 'counts')!.entries[1]).toEqual({ keyHex: '01000000', valueHex: '0100000000000000' });
  });

  it('shows every CPU of a per-CPU map; the program runs on CPU 0', async () => {
    const src = `.map pc percpu_array key=4 value=8 entries=1
      *(u32 *)(r10 - 4) = 0
      r1 = map[pc] ll
      r2 = r10
      r2 += -4
      call bpf_map_lookup_elem
      if r0 == 0 goto out
      r1 = 5
      *(u64 *)(r0 + 0) = r1
    out:
      r0 = 2
      exit`;
    const reply = await createEngine().run({ source: src });
    if (!reply.ok || !reply.run) throw new Error('no run');
    const [entry] = reply.run.maps[0]!.entries;
    expect(entry!.perCpuHex).toEqual(['0500000000000000', '0000000000000000']);
  });

  it('bpf_trace_printk lines come back per packet', async () => {
    const src = `.prog socket_filter
      r1 = 0x0a6968 ; "hi\\n"
      *(u64 *)(r10 - 8) = r1
      r1 = r10
      r1 += -8
      r2 = 4
      call bpf_trace_printk
      r0 = 0
      exit`;
    // The kernel refuses socket_filter test runs on frames of 14 bytes or less; the other packets still run.
    const reply = await createEngine().run({ source: src, packets: ['00'.repeat(15), '00'.repeat(14), '00'.repeat(20)] });
    if (!reply.ok || !reply.run) throw new Error(JSON.stringify(reply));
    expect(reply.run.packets.map((p) => [p.printk, p.verdict, p.refused === null])).toEqual([
      [['hi'], 'drop (0 bytes kept)', true],
      [[], null, false],
      [['hi'], 'drop (0 bytes kept)', true],
    ]);
  });

  it('explains bad seeds and bad map declarations instead of throwing', async () => {
    expect(applySeeds([], [{ map: 'nope', keyHex: '00', valueHex: '00' }])).toBe("map seed 1: the program has no map named 'nope'");
    const reply = await createEngine().run({ source: SOURCE, mapSeeds: [{ map: 'counts', keyHex: '01', valueHex: '00' }] });
    expect(reply).toMatchObject({ ok: true, run: null, refused: expect.stringMatching(/^load maps: map counts: init\[0\]: /) });
    const bad = await createEngine().run({ source: SOURCE, mapSeeds: [{ map: 'counts', keyHex: 'xyz', valueHex: '00' }] });
    expect(bad).toMatchObject({ ok: true, run: null, refused: expect.stringMatching(/key: /) });
  });
});
