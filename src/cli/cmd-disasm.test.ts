import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { main } from './main.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function fakeIo(stdin = '', files: Record<string, string> = {}) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    readStdin: async () => stdin,
    readFile: async (p) => (p in files ? new TextEncoder().encode(files[p]) : new Uint8Array(await readFile(`${root}${p}`))),
  };
  return { io, out };
}

describe('bpfiddle disasm', () => {
  it('prints hex from stdin in the kernel verifier log style by default', async () => {
    const { io, out } = fakeIo('b7000000020000009500000000000000\n');
    expect(await main(['disasm', '-'], io)).toBe(0);
    expect(out.stdout).toBe('0: (b7) r0 = 2\n1: (95) exit\n');
  });

  it('reads a bundle and prints reassemblable assembly with --style asm', async () => {
    const { io, out } = fakeIo();
    expect(await main(['disasm', '--style', 'asm', 'test-data/asm/dns_drop.json'], io)).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual(['.prog xdp', '.map counters array key=4 value=8 entries=2', '    r6 = r1']);
    expect(out.stdout).toContain('    r1 = map[counters] ll\n');
    expect(out.stdout).toContain('    if r4 > r3 goto L32\n');

    const again = fakeIo(out.stdout);
    expect(await main(['asm', '-'], again.io)).toBe(0);
    const bundle = fakeIo();
    await main(['asm', 'test-data/asm/dns_drop.s'], bundle.io);
    expect(again.out.stdout).toBe(bundle.out.stdout);
  });

  it('disassembles an assembly file (assembled first); --no-labels gives offsets', async () => {
    const { io, out } = fakeIo('', { 'p.s': 'if r1 == 0 goto skip\nr1 = 1\nskip: exit\n' });
    expect(await main(['disasm', '--style=asm', '--no-labels', 'p.s'], io)).toBe(0);
    expect(out.stdout).toBe('.prog xdp\nif r1 == 0x0 goto +1\nr1 = 1\nexit\n');
  });

  it('rejects broken input with exit 2 and a one-line message', async () => {
    const cases: [string[], string, RegExp][] = [
      [['disasm', '-'], 'b70000000200', /not a multiple of 8/],
      [['disasm', '-'], '{"insns": 5}', /neither "insns"/],
      [['disasm', '-'], '{not json', /not valid JSON/],
      [['disasm', '--style', 'pretty', '-'], '', /--style must be kernel or asm/],
    ];
    for (const [args, stdin, message] of cases) {
      const { io, out } = fakeIo(stdin);
      expect(await main(args, io), stdin).toBe(2);
      expect(out.stderr).toMatch(message);
      expect(out.stderr.trim().split('\n')).toHaveLength(1);
    }
    const bad = fakeIo('r1 = = 2\n');
    expect(await main(['disasm', '-'], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/^<stdin>:1:/);
  });

  it('--help', async () => {
    const { io, out } = fakeIo();
    expect(await main(['disasm', '-h'], io)).toBe(0);
    expect(out.stdout).toMatch(/--style kernel/);
  });
});
