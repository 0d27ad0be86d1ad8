import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { bundleMapJson, parseBundle, parseBundleText } from './bundle.ts';
import { main } from './main.ts';
import { fakeIo } from './testing/fake-io.ts';

const RET_2 = 'b7000000020000009500000000000000';

describe('parseBundle', () => {
  it('applies kbpf.py defaults', () => {
    const r = parseBundle({ insns: RET_2 }, 'b');
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.program.progType).toBe('xdp');
    expect(r.bundle.program.license).toBe('GPL');
    expect(r.bundle.logLevel).toBe(2);
    expect(r.bundle.runs).toEqual([]);
    expect(r.bundle.program.insns.map((i) => i.code)).toEqual([0xb7, 0x95]);
  });

  it('reads maps with init entries, runs with repeat, and program type aliases', () => {
    const r = parseBundle(
      {
        progType: 'tc',
        insns: RET_2,
        maps: [{ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4, init: [{ key: '01000000', value: '0200000000000000' }] }, {}],
        runs: [{ data: '0011', repeat: 3 }, {}],
      },
      'b',
    );
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.program.progType).toBe('sched_cls');
    expect(r.bundle.program.maps[0]).toMatchObject({ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 });
    expect([...r.bundle.program.maps[0].init![0].value]).toEqual([2, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.bundle.program.maps[1]).toMatchObject({ name: 'm1', type: 'array', keySize: 4, valueSize: 8, maxEntries: 16 });
    expect(r.bundle.runs.map((x) => [[...x.data], x.repeat])).toEqual([
      [[0x00, 0x11], 3],
      [[], 1],
    ]);
  });

  it('reads maps of maps as kbpf.py does: innerMap as an object or an earlier map, init slots naming maps', () => {
    const inner = { name: 'inner', type: 'array', keySize: 4, valueSize: 8, maxEntries: 4 };
    const r = parseBundle(
      {
        insns: RET_2,
        maps: [
          inner,
          { name: 'byIndex', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 2, innerMap: 0, init: [{ key: '01000000', map: 0 }] },
          { name: 'byObject', type: 'hash_of_maps', keySize: 4, valueSize: 4, maxEntries: 2, innerMap: { type: 'hash', keySize: 8, valueSize: 2, maxEntries: 9 } },
          { name: 'byDefault', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 1 },
        ],
      },
      'b',
    );
    if (!r.ok) throw new Error(r.error);
    const [, byIndex, byObject, byDefault] = r.bundle.program.maps;
    expect(byIndex.innerMap).toMatchObject(inner);
    expect(byIndex.init).toEqual([{ key: new Uint8Array([1, 0, 0, 0]), value: new Uint8Array([0, 0, 0, 0]), mapIndex: 0 }]);
    expect(byObject.innerMap).toMatchObject({ type: 'hash', keySize: 8, valueSize: 2, maxEntries: 9 });
    expect(byDefault.innerMap).toMatchObject({ type: 'array', keySize: 4, valueSize: 4, maxEntries: 1 });
    expect(r.bundle.program.maps[0].innerMap).toBeUndefined();

    const bad = (maps: unknown[]) => parseBundle({ insns: RET_2, maps }, 'x');
    expect(bad([{ type: 'array_of_maps', valueSize: 4, innerMap: 3 }])).toEqual({ ok: false, error: 'x: maps[0].innerMap index out of range' });
    expect(bad([{ type: 'array_of_maps', valueSize: 4, init: [{ key: '00000000', map: 5 }] }])).toEqual({ ok: false, error: 'x: maps[0].init[0].map index out of range' });
    expect(bad([{ type: 'array_of_maps', valueSize: 4, innerMap: { type: 'nope' } }])).toEqual({ ok: false, error: "x: maps[0].innerMap.type: unknown map type 'nope'" });
  });

  it('reads the "frozen" extension on maps (kbpf.py ignores it; kbpf-frozen.py freezes)', () => {
    const rodata = { name: 's', type: 'array', keySize: 4, valueSize: 3, maxEntries: 1, flags: 0x80, frozen: true, init: [{ key: '00000000', value: '686900' }] };
    const r = parseBundle({ insns: RET_2, maps: [rodata, { name: 'plain' }, { name: 'thawed', frozen: false }] }, 'b');
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.program.maps.map((m) => m.frozen)).toEqual([true, undefined, undefined]);
    expect(r.bundle.program.maps[0]).toMatchObject({ flags: 0x80, init: [{ key: new Uint8Array(4), value: new Uint8Array([0x68, 0x69, 0]) }] });
    expect(parseBundle({ insns: RET_2, maps: [{ frozen: 1 }] }, 'x')).toEqual({ ok: false, error: 'x: maps[0].frozen must be true or false' });
  });

  it('a frozen read-only map holds bpf_strncmp’s string: verify and run as the kernel did with the map frozen', async () => {
    type Recorded = { verdict: string; errorLine: string | null; processedInsns: number; runs: { retval: number; dataOut: string }[] };
    const kernel = JSON.parse(await readFile('test-data/cli/rodata-strncmp.kernel.json', 'utf8')) as { frozen: Recorded; kbpfAlone: Recorded };
    const io = fakeIo();
    expect(await main(['run', '--json', 'test-data/cli/rodata-strncmp.json'], io)).toBe(0);
    const r = JSON.parse(io.out) as Recorded;
    expect([r.verdict, r.errorLine, r.processedInsns]).toEqual([kernel.frozen.verdict, kernel.frozen.errorLine, kernel.frozen.processedInsns]);
    expect(r.runs.map((x) => [x.retval, x.dataOut])).toEqual(kernel.frozen.runs.map((x) => [x.retval, x.dataOut]));
    // without "frozen" (what kbpf.py alone loads) the kernel refuses the string
    const bundle = JSON.parse(await readFile('test-data/cli/rodata-strncmp.json', 'utf8')) as { maps: Record<string, unknown>[] };
    delete bundle.maps[0].frozen;
    const thawed = fakeIo({ files: { 't.json': JSON.stringify(bundle) } });
    await main(['verify', '--json', 't.json'], thawed);
    const v = JSON.parse(thawed.out) as Recorded;
    expect([v.verdict, v.errorLine, v.processedInsns]).toEqual([kernel.kbpfAlone.verdict, kernel.kbpfAlone.errorLine, kernel.kbpfAlone.processedInsns]);
  });

  it('writes maps back in the bundle spelling that parses to the same maps', () => {
    const maps = [
      { name: 'inner', type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 },
      { name: 'outer', type: 'array_of_maps', keySize: 4, valueSize: 4, maxEntries: 2, flags: 0, innerMap: { name: 'inner', type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 }, init: [{ key: '01000000', map: 0 }] },
      { name: 's', type: 'array', keySize: 4, valueSize: 3, maxEntries: 1, flags: 128, init: [{ key: '00000000', value: '686900' }], frozen: true },
      { name: 'bf', type: 'bloom_filter', keySize: 0, valueSize: 4, maxEntries: 8, flags: 0, mapExtra: 3 },
    ];
    const r = parseBundle({ insns: RET_2, maps }, 'b');
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.program.maps.map(bundleMapJson)).toEqual(maps);
  });

  it('keeps the maps an "asm" bundle declares with .rodata and .init', () => {
    const r = parseBundle({ asm: '.rodata s "hi"\n.map c array key=4 value=4 entries=1 frozen\n.init c 0 = 7\nr0 = 0\nexit\n' }, 'b');
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.program.maps.map((m) => [m.name, m.frozen, m.flags, [...m.init![0].value]])).toEqual([
      ['s', true, 0x80, [0x68, 0x69, 0]],
      ['c', true, 0, [7, 0, 0, 0]],
    ]);
  });

  it('passes runs[].cpu and runs[].flags through, as kbpf.py does', () => {
    const r = parseBundle({ insns: RET_2, runs: [{ cpu: 1, flags: 1 }, {}] }, 'b');
    if (!r.ok) throw new Error(r.error);
    expect(r.bundle.runs.map((x) => [x.cpu, x.flags])).toEqual([[1, 1], [undefined, undefined]]);
    expect(parseBundle({ insns: RET_2, runs: [{ cpu: -1 }] }, 'x')).toEqual({ ok: false, error: 'x: runs[0].cpu must be an integer from 0 to 4294967295' });
  });

  it('prefers insns over asm', () => {
    const r = parseBundle({ insns: RET_2, asm: 'this is not assembly' }, 'b');
    expect(r.ok).toBe(true);
  });

  it('accepts insnsList', () => {
    const r = parseBundle({ insnsList: ['b700000002000000', '9500000000000000'] }, 'b');
    expect(r.ok && r.bundle.program.insns.length).toBe(2);
  });

  it('explains what is wrong, naming the input', () => {
    expect(parseBundleText('{', 'x.json')).toMatchObject({ ok: false, error: expect.stringMatching(/^x\.json: not valid JSON/) });
    expect(parseBundle([], 'x')).toEqual({ ok: false, error: 'x: a bundle must be a JSON object' });
    expect(parseBundle({}, 'x')).toEqual({ ok: false, error: 'x: the bundle has neither "insns" (hex) nor "asm" (text)' });
    expect(parseBundle({ insns: 'b70000' }, 'x')).toEqual({ ok: false, error: 'x: "insns": program is 3 bytes, not a multiple of 8 (each instruction is 8 bytes)' });
    expect(parseBundle({ insns: RET_2, progType: 'warp' }, 'x')).toEqual({ ok: false, error: "x: unknown progType 'warp'" });
    expect(parseBundle({ insns: RET_2, maps: [{ type: 'nope' }] }, 'x')).toEqual({ ok: false, error: "x: maps[0].type: unknown map type 'nope'" });
    expect(parseBundle({ insns: RET_2, maps: [{ keySize: -1 }] }, 'x')).toEqual({ ok: false, error: 'x: maps[0].keySize must be a non-negative integer' });
    expect(parseBundle({ insns: RET_2, runs: [{ data: 'zz' }] }, 'x')).toEqual({ ok: false, error: "x: runs[0].data: 'z' at position 0 is not a hex digit" });
  });
});
