import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './testing/fake-io.ts';
import { verifyCommand } from './cmd-verify.ts';

// r0 = 0; r0 += r2; exit  (../shared/tools/examples/uninit_r2.json)
const UNINIT = '{"progType":"xdp","insns":"b7000000000000000f200000000000009500000000000000"}';
const OK = '{"progType":"xdp","insns":"b7000000020000009500000000000000"}';

describe('bpfiddle verify', () => {
  it('--json prints the CLI.md keys', async () => {
    const t = fakeIo({ stdin: UNINIT, disk: false });
    expect(await verifyCommand(['--json', '-'], t)).toBe(0);
    const j = JSON.parse(t.out);
    expect(j).toMatchObject({ verdict: 'rejected', errorInsn: 1, errorLine: 'R2 !read_ok', processedInsns: 2, totalStates: 0, peakStates: 0 });
    expect(typeof j.log).toBe('string');
  });

  it('--strict exits 1 on a rejected program, 0 on an accepted one', async () => {
    expect(await verifyCommand(['--strict', '-'], fakeIo({ stdin: UNINIT, disk: false }))).toBe(1);
    expect(await verifyCommand(['--strict', '-'], fakeIo({ stdin: OK, disk: false }))).toBe(0);
  });

  it('--batch answers every line in order, bad lines included', async () => {
    const t = fakeIo({ stdin: `${UNINIT}\nnot json\n${OK}\n`, disk: false });
    expect(await verifyCommand(['--batch'], t)).toBe(0);
    const lines = t.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.verdict)).toEqual(['rejected', null, 'accepted']);
    expect(lines[1].error).toMatch(/not valid JSON/);
  });

  it('prints the kernel-format log by default', async () => {
    const t = fakeIo({ stdin: UNINIT, disk: false });
    await verifyCommand(['--log-level', '1', '-'], t);
    expect(t.out).toContain('1: (0f) r0 += r2\nR2 !read_ok\n');
  });

  it('bad usage is a UsageError, not a crash', async () => {
    await expect(verifyCommand(['--log-level', '7', '-'], fakeIo({ stdin: OK, disk: false }))).rejects.toThrow(/log-level/);
    await expect(verifyCommand([], fakeIo({ stdin: OK, disk: false }))).rejects.toThrow(/missing INPUT/);
  });

  it('verifies every program of an ELF object in the CLI.md shape, as the kernel did (mistakes.o)', async () => {
    const dir = new URL('../../test-data/elf/', import.meta.url);
    const bytes = new Uint8Array(readFileSync(new URL('mistakes.o', dir)));
    const kernel = (JSON.parse(readFileSync(new URL('kernel-results.json', dir), 'utf8')) as {
      objects: { object: string; programs: { section: string; name: string; verdict: string; errorLine: string | null }[] }[];
    }).objects.find((o) => o.object === 'mistakes.o')!;
    const t = { ...fakeIo({ disk: false }), readFile: async () => bytes };
    t.stdout = (x: string) => void (t.out += x);
    expect(await verifyCommand(['--json', 'mistakes.o'], t)).toBe(0);
    const j = JSON.parse(t.out) as { programs: Record<string, unknown>[]; maps: { name: string }[] };
    expect(j.programs.map((p) => Object.keys(p).sort())[0]).toEqual(['errorInsn', 'errorLine', 'name', 'processedInsns', 'progType', 'section', 'verdict']);
    expect(j.programs.map((p) => [p.section, p.name, p.verdict, p.errorLine])).toEqual(kernel.programs.map((p) => [p.section, p.name, p.verdict, p.errorLine]));
    expect(j.maps.length).toBeGreaterThan(0);
  });

  it('prints one log per program in text mode and refuses a broken object with a message', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../test-data/elf/mistakes.o', import.meta.url)));
    const t = { ...fakeIo({ disk: false }), readFile: async () => bytes };
    t.stdout = (x: string) => void (t.out += x);
    expect(await verifyCommand(['--strict', 'mistakes.o'], t)).toBe(1);
    expect(t.out).toContain('== xdp no_bounds_check (xdp): rejected at insn 1\n');
    expect(t.out).toContain('R1 offset is outside of the packet\n');
    const broken = { ...fakeIo({ disk: false }), readFile: async () => bytes.slice(0, 100) };
    await expect(verifyCommand(['broken.o'], broken)).rejects.toThrow(/broken\.o: /);
  });
});
