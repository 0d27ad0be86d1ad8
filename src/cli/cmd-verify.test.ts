import { describe, expect, it } from 'vitest';
import type { CliIo } from './io.ts';
import { verifyCommand } from './cmd-verify.ts';

function io(stdin: string, files: Record<string, string> = {}): CliIo & { out: string; err: string } {
  const o = {
    out: '',
    err: '',
    stdout: (t: string) => void (o.out += t),
    stderr: (t: string) => void (o.err += t),
    readStdin: async () => stdin,
    readFile: async (p: string) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return new TextEncoder().encode(files[p]);
    },
  };
  return o;
}

// r0 = 0; r0 += r2; exit  (../shared/tools/examples/uninit_r2.json)
const UNINIT = '{"progType":"xdp","insns":"b7000000000000000f200000000000009500000000000000"}';
const OK = '{"progType":"xdp","insns":"b7000000020000009500000000000000"}';

describe('bpfiddle verify', () => {
  it('--json prints the CLI.md keys', async () => {
    const t = io(UNINIT);
    expect(await verifyCommand(['--json', '-'], t)).toBe(0);
    const j = JSON.parse(t.out);
    expect(j).toMatchObject({ verdict: 'rejected', errorInsn: 1, errorLine: 'R2 !read_ok', processedInsns: 2, totalStates: 0, peakStates: 0 });
    expect(typeof j.log).toBe('string');
  });

  it('--strict exits 1 on a rejected program, 0 on an accepted one', async () => {
    expect(await verifyCommand(['--strict', '-'], io(UNINIT))).toBe(1);
    expect(await verifyCommand(['--strict', '-'], io(OK))).toBe(0);
  });

  it('--batch answers every line in order, bad lines included', async () => {
    const t = io(`${UNINIT}\nnot json\n${OK}\n`);
    expect(await verifyCommand(['--batch'], t)).toBe(0);
    const lines = t.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.verdict)).toEqual(['rejected', null, 'accepted']);
    expect(lines[1].error).toMatch(/not valid JSON/);
  });

  it('prints the kernel-format log by default', async () => {
    const t = io(UNINIT);
    await verifyCommand(['--log-level', '1', '-'], t);
    expect(t.out).toContain('1: (0f) r0 += r2\nR2 !read_ok\n');
  });

  it('bad usage is a UsageError, not a crash', async () => {
    await expect(verifyCommand(['--log-level', '7', '-'], io(OK))).rejects.toThrow(/log-level/);
    await expect(verifyCommand([], io(OK))).rejects.toThrow(/missing INPUT/);
  });
});
