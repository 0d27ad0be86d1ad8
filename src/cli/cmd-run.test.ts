import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { main } from './main.ts';

/** In-process CLI with captured output; `files` are served before the real file system. */
function fakeIo(files: Record<string, string> = {}, stdin = ''): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    readStdin: async () => stdin,
    readFile: async (p: string) => (p in files ? new TextEncoder().encode(files[p]) : new Uint8Array(await readFile(p))),
  };
  return io;
}

// Raw programs (hex of 8-byte instructions), so these tests do not depend on the assembler.
const RET_2 = 'b7000000020000009500000000000000'; // r0 = 2; exit
// r2 = data; r3 = data_end; r0 = r3; r0 -= r2; exit  (packet length)
const PKT_LEN = '61120000000000006113040000000000bf300000000000001f200000000000009500000000000000';
// r2 = data; r0 = *(u8 *)(r2 + 200); exit  (reads past a short packet)
const OOB = '6112000000000000' + '7120c80000000000' + '9500000000000000';

describe('bpfiddle run', () => {
  it('runs a bundle over each packet and prints JSON in the CLI.md shape', async () => {
    const bundle = JSON.stringify({ progType: 'xdp', insns: PKT_LEN, runs: [{ data: '00'.repeat(14) }, { data: 'ab'.repeat(60), repeat: 3 }] });
    const io = fakeIo({ 'b.json': bundle });
    expect(await main(['run', '--json', 'b.json'], io)).toBe(0);
    const result = JSON.parse(io.out);
    expect(result).toMatchObject({ verdict: null, errorInsn: null, errorLine: null, log: '', mapsAfter: [] });
    expect(result.runs).toHaveLength(2);
    expect(result.runs[0]).toMatchObject({ retval: 14, dataOut: '00'.repeat(14), events: [], printk: [] });
    expect(result.runs[1]).toMatchObject({ retval: 60, dataOut: 'ab'.repeat(60) });
    expect(typeof result.runs[1].durationNs).toBe('number');
  });

  it('prints retval in decimal and hex with the XDP action', async () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ insns: RET_2 }) });
    expect(await main(['run', 'p.json'], io)).toBe(0);
    expect(io.out).toContain('run 0: retval 2 (0x2) XDP_PASS');
    expect(io.out).toContain('not verified');
  });

  it('takes packets from --packets, one hex frame per line', async () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ insns: PKT_LEN }), 'pk.hex': '00'.repeat(20) + '\n# comment\n' + '11'.repeat(30) + '\n' });
    expect(await main(['run', '--json', '--packets', 'pk.hex', 'p.json'], io)).toBe(0);
    expect(JSON.parse(io.out).runs.map((r: { retval: number }) => r.retval)).toEqual([20, 30]);
  });

  it('uses a 64-byte default packet', async () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ insns: PKT_LEN }) });
    await main(['run', '--json', 'p.json'], io);
    expect(JSON.parse(io.out).runs[0].retval).toBe(64);
  });

  it('reports a fault with its instruction index, and refuses short packets', async () => {
    const io = fakeIo({ 'p.json': JSON.stringify({ insns: OOB, runs: [{ data: '00'.repeat(20) }, { data: '00'.repeat(4) }] }) });
    expect(await main(['run', '--no-verify', 'p.json'], io)).toBe(0);
    expect(io.out).toContain('run 0: fault at insn 1: invalid read of 1 byte at packet data+200: outside the 20-byte packet');
    expect(io.out).toContain('run 1: refused: the packet is 4 bytes');
    expect(io.out).not.toContain('not verified');
  });

  it('runs JSON-lines bundles with --batch, one result per line, errors in place', async () => {
    const stdin = [JSON.stringify({ insns: RET_2 }), 'not json', JSON.stringify({ insns: PKT_LEN, runs: [{ data: '00'.repeat(16) }] })].join('\n');
    const io = fakeIo({}, stdin);
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
    const io = fakeIo({ 'd.json': bundle });
    expect(await main(['run', '--json', 'd.json'], io)).toBe(0);
    const ours = JSON.parse(io.out);
    expect(ours.runs.map((r: { retval: number; dataOut: string }) => ({ retval: r.retval, dataOut: r.dataOut }))).toEqual(kernel.runs);
    expect(ours.mapsAfter).toEqual(kernel.mapsAfter);
  });

  it('seeds maps with --map-update', async () => {
    // r1 = map[0] ll; r2 = r10 - 4; *(u32 *)(r10 - 4) = 0; call bpf_map_lookup_elem; r0 = *(u64 *)(r0 + 0) if found
    const insns = '620afcff00000000' + 'bfa2000000000000' + '07020000fcffffff' + '1811000000000000' + '0000000000000000' + '8500000001000000' + '1500010000000000' + '7900000000000000' + '9500000000000000';
    const bundle = JSON.stringify({ progType: 'socket_filter', insns, maps: [{ name: 'm', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }] });
    const io = fakeIo({ 'm.json': bundle });
    expect(await main(['run', '--json', '--map-update', 'm', '00000000', '2a00000000000000', 'm.json'], io)).toBe(0);
    expect(JSON.parse(io.out).runs[0].retval).toBe(42);
    const bad = fakeIo({ 'm.json': bundle });
    expect(await main(['run', '--map-update', 'nope', '00', '00', 'm.json'], bad)).toBe(2);
    expect(bad.err).toContain("no map named 'nope'");
  });

  it('bad input is one line on stderr and exit 2', async () => {
    for (const [args, files] of [
      [['run', 'missing.json'], {}],
      [['run', 'p.json'], { 'p.json': '{"insns": "b70000"}' }],
      [['run', 'p.json'], { 'p.json': '{"progType": "nope", "insns": "' + RET_2 + '"}' }],
      [['run', '--jit', 'p.json'], { 'p.json': '{}' }],
      [['run', '--bogus'], {}],
    ] as const) {
      const io = fakeIo(files as Record<string, string>);
      expect(await main([...args], io)).toBe(2);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.out).toBe('');
    }
  });
});

