/**
 * The debugger's traced run through the real engine, on the same program and
 * packets as session-run.test.ts (counter-ringbuf: a seed of 10 in counts[1],
 * two packets; the kernel's answer in counter-ringbuf.kernel.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { regionBytesAt, registerValue } from '../interp/trace-view.ts';
import { createEngine } from './index.ts';

const dir = new URL('../../../test-data/engine/', import.meta.url);
const SOURCE = readFileSync(new URL('counter-ringbuf.s', dir), 'utf8');
const bundle = JSON.parse(readFileSync(new URL('counter-ringbuf.bundle.json', dir), 'utf8')) as { runs: { data: string }[] };
const kernel = JSON.parse(readFileSync(new URL('counter-ringbuf.kernel.json', dir), 'utf8')) as {
  runs: { retval: number }[];
  mapsAfter: { name: string; entries?: { key: string; value: string }[] }[];
};
const seeds = [{ map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' }];
const packets = bundle.runs.map((r) => r.data);

describe('engine.debug', () => {
  it('traces the second packet after the first ran, with the map value as the kernel leaves it', async () => {
    const reply = await createEngine().debug({ source: SOURCE, packets, mapSeeds: seeds, packetIndex: 1 });
    if (!reply.ok || !reply.trace) throw new Error(JSON.stringify(reply));
    const t = reply.trace;
    expect(reply.packetIndex).toBe(1);
    expect(t.end).toEqual({ kind: 'exit', r0: BigInt(kernel.runs[1]!.retval) });
    // Slot 8 is `lock *(u64 *)(r0 + 0) += r1`; r0 points at counts[1] (offset 8 of the array's storage).
    const atLock = Array.from(t.pcs).indexOf(8);
    expect(atLock).toBeGreaterThan(0);
    expect(registerValue(t, atLock, 0).pointer).toBe('map_value(counts)+8');
    expect(registerValue(t, atLock, 1).dec).toBe('1');
    const region = t.regions.find((r) => r.kind === 'map_value')!;
    const before = regionBytesAt(t, region.id, atLock)!;
    const after = regionBytesAt(t, region.id, atLock + 1)!;
    // counts[1] was 10, the first packet made it 11; this packet's add makes it the kernel's final value.
    expect(before[8]).toBe(11);
    const finalHex = kernel.mapsAfter.find((m) => m.name === 'counts')!.entries!.find((e) => e.key === '01000000')!.value;
    expect(Buffer.from(after.subarray(8, 16)).toString('hex')).toBe(finalHex);
    // Stack pointer arguments read as the verifier writes them.
    const atCall = Array.from(t.pcs).indexOf(5);
    expect(registerValue(t, atCall, 2).pointer).toBe('stack+508 (fp-4)');
    expect(registerValue(t, 0, 1).pointer).toBe('xdp_md+0');
  });

  it('refuses a packet index that is not there, and a bad maxSteps, with messages', async () => {
    const engine = createEngine();
    const missing = await engine.debug({ source: SOURCE, packets, packetIndex: 5 });
    expect(missing).toMatchObject({ ok: true, trace: null, refused: 'debug: there is no packet 6 (2 packets)' });
    const bad = await engine.debug({ source: SOURCE, maxSteps: 0 });
    expect(bad).toEqual({ ok: false, error: 'debug: maxSteps must be a whole number from 1 to 1000000' });
  });

  it('cuts a runaway program with a truncation message', async () => {
    const reply = await createEngine().debug({ source: '.prog xdp\nl:\n    goto l\n', maxSteps: 1000 });
    if (!reply.ok || !reply.trace) throw new Error(JSON.stringify(reply));
    expect(reply.trace.pcs.length).toBe(1001);
    expect(reply.trace.end).toEqual({ kind: 'truncated', message: 'trace truncated after 1000 instructions: the program did not finish within the debugger\'s limit' });
  });

  it('reports assembly errors through the assembly report, without a trace', async () => {
    const reply = await createEngine().debug({ source: 'r0 = nonsense\n' });
    expect(reply.ok && reply.trace === null && !reply.assembly.assembled).toBe(true);
  });
});
