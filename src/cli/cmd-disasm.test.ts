import { describe, expect, it } from 'vitest';
import { fakeIo } from './testing/fake-io.ts';
import { main } from './main.ts';

describe('bpfiddle disasm', () => {
  it('prints hex from stdin in the kernel verifier log style by default', async () => {
    const io = fakeIo({ stdin: 'b7000000020000009500000000000000\n' });
    expect(await main(['disasm', '-'], io)).toBe(0);
    expect(io.out).toBe('0: (b7) r0 = 2\n1: (95) exit\n');
  });

  it('reads a bundle and prints reassemblable assembly with --style asm', async () => {
    const io = fakeIo();
    expect(await main(['disasm', '--style', 'asm', 'test-data/asm/dns_drop.json'], io)).toBe(0);
    const lines = io.out.split('\n');
    expect(lines.slice(0, 3)).toEqual(['.prog xdp', '.map counters array key=4 value=8 entries=2', '    r6 = r1']);
    expect(io.out).toContain('    r1 = map[counters] ll\n');
    expect(io.out).toContain('    if r4 > r3 goto L32\n');

    const again = fakeIo({ stdin: io.out });
    expect(await main(['asm', '-'], again)).toBe(0);
    const bundle = fakeIo();
    await main(['asm', 'test-data/asm/dns_drop.s'], bundle);
    expect(again.out).toBe(bundle.out);
  });

  it('disassembles an assembly file (assembled first); --no-labels gives offsets', async () => {
    const io = fakeIo({ stdin: '', files: { 'p.s': 'if r1 == 0 goto skip\nr1 = 1\nskip: exit\n' } });
    expect(await main(['disasm', '--style=asm', '--no-labels', 'p.s'], io)).toBe(0);
    expect(io.out).toBe('.prog xdp\nif r1 == 0x0 goto +1\nr1 = 1\nexit\n');
  });

  it('rejects broken input with exit 2 and a one-line message', async () => {
    const cases: [string[], string, RegExp][] = [
      [['disasm', '-'], 'b70000000200', /not a multiple of 8/],
      [['disasm', '-'], '{"insns": 5}', /"insns" must be a hex string/],
      [['disasm', '-'], '{"asm": "r0 = = 1"}', /"asm" line 1:/],
      [['disasm', '-'], '{not json', /not valid JSON/],
      [['disasm', '--style', 'pretty', '-'], '', /--style must be kernel or asm/],
    ];
    for (const [args, stdin, message] of cases) {
      const io = fakeIo({ stdin: stdin });
      expect(await main(args, io), stdin).toBe(2);
      expect(io.err).toMatch(message);
      expect(io.err.trim().split('\n')).toHaveLength(1);
    }
    const bad = fakeIo({ stdin: 'r1 = = 2\n' });
    expect(await main(['disasm', '-'], bad)).toBe(2);
    expect(bad.err).toMatch(/^<stdin>:1:/);
  });

  it('--help', async () => {
    const io = fakeIo();
    expect(await main(['disasm', '-h'], io)).toBe(0);
    expect(io.out).toMatch(/--style kernel/);
  });
});
