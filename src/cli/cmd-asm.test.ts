import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './testing/fake-io.ts';
import { main } from './main.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const DNS_S = 'test-data/asm/dns_drop.s';
/** the bundle that ships with the kernel oracle; its insns were made by the reference assembler */
const DNS_BUNDLE = JSON.parse(readFileSync(`${root}test-data/asm/dns_drop.json`, 'utf8')) as { insns: string };

describe('bpfiddle asm', () => {
  it('prints the instructions as one line of lowercase hex', async () => {
    const io = fakeIo();
    expect(await main(['asm', DNS_S], io)).toBe(0);
    expect(io.out).toBe(DNS_BUNDLE.insns + '\n');
    expect(io.err).toBe('');
  });

  it('--json gives insns, maps and progType in the bundle format', async () => {
    const src = '.prog sched_cls\n.map m hash key=4 value=8 entries=16\nr1 = map[m] ll\nr0 = 0\nexit\n';
    const io = fakeIo({ stdin: src });
    expect(await main(['asm', '--json', '-'], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      insns: '18110000000000000000000000000000b7000000000000009500000000000000',
      maps: [{ name: 'm', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 16, flags: 0 }],
      progType: 'sched_cls',
      license: 'GPL',
      dialect: 'kernel',
    });
  });

  it('prints every assembly error as FILE:LINE:COL: message and exits 2', async () => {
    const io = fakeIo({ stdin: '', files: { 'bad.s': 'r0 = 1\nr1 =+ 2\nif r1 > 1 goto out\nexit\n' } });
    expect(await main(['asm', 'bad.s'], io)).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toBe(
      "bad.s:2:4: unknown instruction 'r1 =+ 2'; expected an assignment like 'r1 += 2' (the operator comes before '=')\n" +
        "bad.s:3:16: undefined label 'out'\n",
    );
  });

  it('--json carries initial map data and freezing, so the bundle runs as the source reads', async () => {
    const src = '.prog xdp\n.rodata want "ab"\n.map m hash key=4 value=8 entries=4\n.init m 7 = 9\nr0 = 0\nexit\n';
    const io = fakeIo({ stdin: src });
    expect(await main(['asm', '--json', '-'], io)).toBe(0);
    const maps = JSON.parse(io.out).maps;
    expect(maps[0]).toEqual({ name: 'want', type: 'array', keySize: 4, valueSize: 3, maxEntries: 1, flags: 0x80, init: [{ key: '00000000', value: '616200' }], frozen: true });
    expect(maps[1].init).toEqual([{ key: '07000000', value: '0900000000000000' }]);
  });

  it('assembles the uBPF dialect, detected or forced', async () => {
    for (const args of [['asm', '-'], ['asm', '--dialect', 'ubpf', '-'], ['asm', '--dialect=ubpf', '-']]) {
      const io = fakeIo({ stdin: 'mov32 %r0, 2\nexit\n' });
      expect(await main(args, io)).toBe(0);
      expect(io.out).toBe('b4000000020000009500000000000000\n');
    }
  });

  it('bad usage and unreadable input exit 2 with one line on stderr', async () => {
    for (const args of [['asm'], ['asm', '--frob', 'x.s'], ['asm', '--dialect', 'cobol', 'x.s'], ['asm', 'no/such/file.s'], ['asm', 'a.s', 'b.s']]) {
      const io = fakeIo();
      expect(await main(args, io), args.join(' ')).toBe(2);
      expect(io.err.trim().split('\n')).toHaveLength(1);
      expect(io.err).toMatch(/^bpfiddle asm: /);
    }
  });

  it('--help', async () => {
    const io = fakeIo();
    expect(await main(['asm', '--help'], io)).toBe(0);
    expect(io.out).toMatch(/^Usage: bpfiddle asm .*--dialect/s);
  });

  it('runs for real as bin/bpfiddle', async () => {
    const { stdout } = await promisify(execFile)(`${root}bin/bpfiddle`, ['asm', DNS_S], { cwd: root });
    expect(stdout).toBe(DNS_BUNDLE.insns + '\n');
  });
});
