import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './testing/fake-io.ts';
import { main } from './main.ts';

// Raw programs (hex of 8-byte instructions), so these tests do not depend on the assembler.
const RET_2 = 'b7000000020000009500000000000000'; // r0 = 2; exit
// r2 = data; r3 = data_end; r0 = r3; r0 -= r2; exit  (packet length)
const PKT_LEN = '61120000000000006113040000000000bf300000000000001f200000000000009500000000000000';
// r2 = data; r0 = *(u8 *)(r2 + 200); exit  (reads past a short packet)
const OOB = '6112000000000000' + '7120c80000000000' + '9500000000000000';

describe('bpfiddle run', () => {
  it('runs a bundle over each packet and prints JSON in the CLI.md shape', async () => {
    const bundle = JSON.stringify({ progType: 'xdp', insns: PKT_LEN, runs: [{ data: '00'.repeat(14) }, { data: 'ab'.repeat(60), repeat: 3 }] });
    const io = fakeIo({ files: { 'b.json': bundle } });
    expect(await main(['run', '--json', 'b.json'], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result).toMatchObject({ verdict: 'accepted', errorInsn: null, errorLine: null, mapsAfter: [] });
    expect(result.processedInsns).toBeGreaterThan(0);
    expect(result.runs).toHaveLength(2);
    expect(result.runs[0]).toMatchObject({ retval: 14, dataOut: '00'.repeat(14), events: [], printk: [] });
    expect(result.runs[1]).toMatchObject({ retval: 60, dataOut: 'ab'.repeat(60) });
    expect(typeof result.runs[1].durationNs).toBe('number');
  });

  it('prints retval in decimal and hex with the XDP action', async () => {
    const io = fakeIo({ files: { 'p.json': JSON.stringify({ insns: RET_2 }) } });
    expect(await main(['run', 'p.json'], io)).toBe(0);
    expect(io.out).toContain('run 0: retval 2 (0x2) XDP_PASS');
    expect(io.out).toContain('verifier: accepted');
  });

  it('takes packets from --packets, one hex frame per line', async () => {
    const io = fakeIo({ files: { 'p.json': JSON.stringify({ insns: PKT_LEN }), 'pk.hex': '00'.repeat(20) + '\n# comment\n' + '11'.repeat(30) + '\n' } });
    expect(await main(['run', '--json', '--packets', 'pk.hex', 'p.json'], io)).toBe(0);
    expect(JSON.parse(io.out).runs.map((r: { retval: number }) => r.retval)).toEqual([20, 30]);
  });

  it('uses a 64-byte default packet', async () => {
    const io = fakeIo({ files: { 'p.json': JSON.stringify({ insns: PKT_LEN }) } });
    await main(['run', '--json', 'p.json'], io);
    expect(JSON.parse(io.out).runs[0].retval).toBe(64);
  });

  it('reports a fault with its instruction index, and refuses short packets', async () => {
    const io = fakeIo({ files: { 'p.json': JSON.stringify({ insns: OOB, runs: [{ data: '00'.repeat(20) }, { data: '00'.repeat(4) }] }) } });
    expect(await main(['run', '--no-verify', 'p.json'], io)).toBe(0);
    expect(io.out).toContain('run 0: fault at insn 1: invalid read of 1 byte at packet data+200: outside the 20-byte packet');
    expect(io.out).toContain('run 1: refused: EINVAL: the packet is 4 bytes');
    expect(io.out).toContain('not verified (--no-verify)');
  });

  it('runs JSON-lines bundles with --batch, one result per line, errors in place', async () => {
    const stdin = [JSON.stringify({ insns: RET_2 }), 'not json', JSON.stringify({ insns: PKT_LEN, runs: [{ data: '00'.repeat(16) }] })].join('\n');
    const io = fakeIo({ files: {}, stdin });
    expect(await main(['run', '--batch'], io)).toBe(0);
    const lines = io.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0].runs[0].retval).toBe(2);
    expect(lines[1].error).toMatch(/^line 2: not valid JSON/);
    expect(lines[2].runs[0].retval).toBe(16);
  });

  it('keeps maps across packets and repeats, matching the kernel (dns_drop example)', async () => {
    const bundle = await readFile('test-data/interp/dns_drop.json', 'utf8');
    const kernel = JSON.parse(await readFile('test-data/interp/dns_drop.kernel.json', 'utf8'));
    const io = fakeIo({ files: { 'd.json': bundle } });
    expect(await main(['run', '--json', 'd.json'], io)).toBe(0);
    const ours = JSON.parse(io.out);
    expect(ours.runs.map((r: { retval: number; dataOut: string }) => ({ retval: r.retval, dataOut: r.dataOut }))).toEqual(kernel.runs);
    expect(ours.mapsAfter).toEqual(kernel.mapsAfter);
  });

  it('seeds maps with --map-update', async () => {
    // r1 = map[0] ll; r2 = r10 - 4; *(u32 *)(r10 - 4) = 0; call bpf_map_lookup_elem; r0 = *(u64 *)(r0 + 0) if found
    const insns = '620afcff00000000' + 'bfa2000000000000' + '07020000fcffffff' + '1811000000000000' + '0000000000000000' + '8500000001000000' + '1500010000000000' + '7900000000000000' + '9500000000000000';
    const bundle = JSON.stringify({ progType: 'socket_filter', insns, maps: [{ name: 'm', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }] });
    const io = fakeIo({ files: { 'm.json': bundle } });
    expect(await main(['run', '--json', '--map-update', 'm', '00000000', '2a00000000000000', 'm.json'], io)).toBe(0);
    expect(JSON.parse(io.out).runs[0].retval).toBe(42);
    const bad = fakeIo({ files: { 'm.json': bundle } });
    expect(await main(['run', '--map-update', 'nope', '00', '00', 'm.json'], bad)).toBe(2);
    expect(bad.err).toContain("no map named 'nope'");
  });

  it('does not run a program the verifier rejects, and reports why', async () => {
    // the OOB read of a packet without a bounds check: the kernel's message
    const io = fakeIo({ files: { 'p.json': JSON.stringify({ insns: OOB, runs: [{ data: '00'.repeat(20) }] }) } });
    expect(await main(['run', '--json', 'p.json'], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect(r).toMatchObject({ verdict: 'rejected', errorInsn: 1, runs: [] });
    expect(r.errorLine).toBe('R2 offset is outside of the packet'); // Linux 6.18 (kbpf.py)
    expect(r.log).toContain(r.errorLine);
  });

  it('tail-calls a program given with --prog-array; an empty slot falls through', async () => {
    // r2 = map[0] ll; r3 = 0; call bpf_tail_call; r0 = 2; exit
    const caller = '1812000000000000' + '0000000000000000' + 'b703000000000000' + '850000000c000000' + 'b700000002000000' + '9500000000000000';
    const maps = [{ name: 'jmp', type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 2 }];
    const files = { 'c.json': JSON.stringify({ insns: caller, maps }), 't.json': JSON.stringify({ insns: 'b7000000010000009500000000000000' }) };
    const io = fakeIo({ files });
    expect(await main(['run', '--json', '--prog-array', 'jmp', '0', 't.json', 'c.json'], io)).toBe(0);
    expect(JSON.parse(io.out).runs[0].retval).toBe(1); // XDP_DROP from the target
    const empty = fakeIo({ files });
    expect(await main(['run', '--json', 'c.json'], empty)).toBe(0);
    expect(JSON.parse(empty.out).runs[0].retval).toBe(2); // fell through
    const bad = fakeIo({ files });
    expect(await main(['run', '--prog-array', 'jmp', '5', 't.json', 'c.json'], bad)).toBe(2);
    expect(bad.err).toContain('E2BIG');
  });

  it('a map update with the wrong key size gives the kernel error, not a crash', async () => {
    const bundle = JSON.stringify({ insns: RET_2, maps: [{ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4 }] });
    const io = fakeIo({ files: { 'm.json': bundle } });
    expect(await main(['run', '--map-update', 'm', '0000', '0000000000000000', 'm.json'], io)).toBe(2);
    expect(io.err).toContain('EINVAL');
  });

  it('runs every program of an ELF object with shared maps (CLI.md ELF shape)', async () => {
    const io = fakeIo();
    expect(await main(['run', '--json', '--packets', 'test-data/elf/packets.hex', 'test-data/elf/tail_calls.o'], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect(r.programs.map((p: { name: string; verdict: string }) => [p.name, p.verdict])).toEqual([
      ['xdp_dispatch', 'accepted'],
      ['xdp_even', 'accepted'],
      ['xdp_odd', 'accepted'],
    ]);
    expect(r.programs[0]).toMatchObject({ section: 'xdp', progType: 'xdp', errorInsn: null });
    expect(r.programs[2].runs.every((x: { retval: number }) => x.retval === 3)).toBe(true);
    // the object's prog array is empty: the dispatcher falls through to XDP_PASS
    expect(r.programs[0].runs.every((x: { retval: number }) => x.retval === 2)).toBe(true);
    expect(r.maps.map((m: { name: string }) => m.name)).toEqual(['jmp']);
    const named = fakeIo();
    expect(await main(['run', '--json', '--prog-array', 'jmp', '1', 'xdp_odd', 'test-data/elf/tail_calls.o'], named)).toBe(0);
    // the default 64-byte frame has an even length: slot 0, still empty
    expect(JSON.parse(named.out).programs[0].runs[0].retval).toBe(2);
  });

  it('runs a map-of-maps bundle (innerMap, init slots naming maps) as the kernel did', async () => {
    const kernel = JSON.parse(await readFile('test-data/cli/map-in-map.kernel.json', 'utf8')) as {
      verdict: string;
      processedInsns: number;
      runs: { retval: number; dataOut: string }[];
      mapsAfter: { name: string; entries: unknown[] }[];
    };
    const io = fakeIo();
    expect(await main(['run', '--json', 'test-data/cli/map-in-map.json'], io)).toBe(0);
    const r = JSON.parse(io.out);
    expect([r.verdict, r.processedInsns]).toEqual([kernel.verdict, kernel.processedInsns]);
    expect(r.runs.map((x: { retval: number; dataOut: string }) => [x.retval, x.dataOut])).toEqual(kernel.runs.map((x) => [x.retval, x.dataOut]));
    // the outer map holds map ids in the kernel's dump, so compare the inner map only
    expect(r.mapsAfter[0]).toEqual(kernel.mapsAfter[0]);
  });

  it('bad input is one line on stderr and exit 2', async () => {
    for (const [args, files] of [
      [['run', 'missing.json'], {}],
      [['run', 'p.json'], { 'p.json': '{"insns": "b70000"}' }],
      [['run', 'p.json'], { 'p.json': '{"progType": "nope", "insns": "' + RET_2 + '"}' }],
      [['run', '--jit', 'p.json'], { 'p.json': '{}' }],
      [['run', '--bogus'], {}],
    ] as const) {
      const io = fakeIo({ files: files as Record<string, string> });
      expect(await main([...args], io)).toBe(2);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.out).toBe('');
    }
  });
});

