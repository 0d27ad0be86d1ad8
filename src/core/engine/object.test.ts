/**
 * ELF objects through the engine. Expected verdicts, return values and map
 * contents are the Linux 6.18 kernel's (test-data/elf/kernel-results.json,
 * recorded with libbpf by scripts/record-elf-goldens.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createEngine } from './index.ts';

const elf = (name: string) => new Uint8Array(readFileSync(new URL(`../../../test-data/elf/${name}`, import.meta.url)));
const packets = readFileSync(new URL('../../../test-data/elf/packets.hex', import.meta.url), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'));

interface KernelProgram {
  name: string;
  section: string;
  progType: string;
  verdict: string;
  errorLine: string | null;
  runs?: { packet: number; retval: number; dataOut: string }[];
  mapsAfter?: { name: string; entries: { key: string; value: string }[] | null }[];
}
const kernel = JSON.parse(readFileSync(new URL('../../../test-data/elf/kernel-results.json', import.meta.url), 'utf8')) as {
  objects: { object: string; programs: KernelProgram[] }[];
};
const kernelObject = (file: string) => kernel.objects.find((o) => o.object === file)!;

describe('ELF objects in the engine', () => {
  it('lists the programs of an object with their sections and types, and a listing with C lines', async () => {
    const reply = await createEngine().openObject({ bytes: elf('sections.o'), fileName: 'sections.o' });
    if (!reply.ok) throw new Error(reply.error);
    const k = kernelObject('sections.o');
    expect(reply.object.programs.map((p) => [p.section, p.name])).toEqual(k.programs.map((p) => [p.section, p.name]));
    const parse = await createEngine().openObject({ bytes: elf('xdp_parse.o'), fileName: 'xdp_parse.o' });
    if (!parse.ok) throw new Error(parse.error);
    const listing = parse.object.programs[0]!.listing;
    expect(listing).toMatch(/^; xdp_parse: section "xdp", xdp program/);
    // C lines from BTF line info, as comments naming file and line.
    expect(listing).toMatch(/\n; .*\/\/ xdp_parse\.c:\d+\n/);
    expect(parse.object.hasBtf).toBe(true);
  });

  it('verifies and runs a program of the object like the kernel: verdict, return values, maps after', async () => {
    const k = kernelObject('xdp_parse.o').programs[0]!;
    const object = { bytes: elf('xdp_parse.o'), fileName: 'xdp_parse.o', program: 'xdp_parse' };
    const engine = createEngine();
    const verified = await engine.verify({ source: '', object });
    expect(verified).toMatchObject({ ok: true, verification: { verdict: k.verdict } });
    const ran = await engine.run({ source: '', object, packets });
    if (!ran.ok || !ran.run) throw new Error(JSON.stringify(ran));
    expect(ran.run.packets.map((p) => Number(p.retval))).toEqual(k.runs!.map((r) => r.retval));
    const counters = ran.run.maps.find((m) => m.name === 'counters')!;
    expect(counters.entries.map((e) => ({ key: e.keyHex, value: e.valueHex }))).toEqual(k.mapsAfter!.find((m) => m.name === 'counters')!.entries);
    // BTF types the entries: the key and value are integers in the C source.
    expect(counters.entries[1]!.valueText).toBe('5');
  });

  it('pins a rejection to the listing line of the failing instruction', async () => {
    const k = kernelObject('mistakes.o').programs.find((p) => p.name === 'null_map_value')!;
    const reply = await createEngine().verify({ source: '', object: { bytes: elf('mistakes.o'), fileName: 'mistakes.o', program: 'null_map_value' } });
    if (!reply.ok || !reply.verification) throw new Error(JSON.stringify(reply));
    expect(reply.verification).toMatchObject({ verdict: 'rejected', errorLine: k.errorLine });
    const listing = await createEngine().openObject({ bytes: elf('mistakes.o'), fileName: 'mistakes.o' });
    if (!listing.ok) throw new Error(listing.error);
    const text = listing.object.programs.find((p) => p.name === 'null_map_value')!.listing.split('\n');
    const line = text[reply.verification.errorSourceLine! - 1]!;
    expect(line.trim()).toMatch(/^r\d = \*\(u\d+ \*\)\(r\d [+-] \d+\)$|^\*\(u\d+ \*\)/);
  });

  it('explains bad objects and unknown programs instead of throwing', async () => {
    const engine = createEngine();
    await expect(engine.openObject({ bytes: new Uint8Array([1, 2, 3]), fileName: 'x.o' })).resolves.toMatchObject({ ok: false, error: expect.stringMatching(/^load object: x\.o: /) });
    await expect(engine.openObject(null as unknown as { bytes: Uint8Array; fileName: string })).resolves.toMatchObject({ ok: false });
    const missing = await engine.verify({ source: '', object: { bytes: elf('xdp_parse.o'), fileName: 'xdp_parse.o', program: 'nope' } });
    expect(missing).toEqual({ ok: false, error: "load object: the object has no program named 'nope' (it has xdp_parse)" });
  });

  it('fills prog_array slots with the object\'s programs, so tail calls land as on the kernel', async () => {
    const k = kernelObject('prog_array_init.o').programs.find((p) => p.name === 'xdp_first')!;
    const ran = await createEngine().run({ source: '', object: { bytes: elf('prog_array_init.o'), fileName: 'prog_array_init.o', program: 'xdp_first' }, packets });
    if (!ran.ok || !ran.run) throw new Error(JSON.stringify(ran));
    // XDP_TX (3) from xdp_second, not xdp_first's own XDP_ABORTED.
    expect(ran.run.packets.map((p) => Number(p.retval))).toEqual(k.runs!.map((r) => r.retval));
    const empty = kernelObject('tail_calls.o').programs.find((p) => p.name === 'xdp_dispatch')!;
    const fallThrough = await createEngine().run({ source: '', object: { bytes: elf('tail_calls.o'), fileName: 'tail_calls.o', program: 'xdp_dispatch' }, packets });
    if (!fallThrough.ok || !fallThrough.run) throw new Error(JSON.stringify(fallThrough));
    expect(fallThrough.run.packets.map((p) => Number(p.retval))).toEqual(empty.runs!.map((r) => r.retval));
  });
});
