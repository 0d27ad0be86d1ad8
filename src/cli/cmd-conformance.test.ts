import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './testing/fake-io.ts';
import { main } from './main.ts';

describe('bpfiddle conformance', () => {
  it('runs a directory and ends with the tally', async () => {
    const io = fakeIo();
    expect(await main(['conformance', 'test-data/conformance/tests'], io)).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines.at(-1)).toBe('313 passed, 0 failed');
    expect(lines).toHaveLength(314);
  });

  it('reports a failing test and still exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bpfiddle-conf-'));
    const file = join(dir, 'bad.data');
    await writeFile(file, '-- asm\nmov %r0, 1\nexit\n-- result\n0x2\n');
    const io = fakeIo();
    expect(await main(['conformance', dir], io)).toBe(0);
    expect(io.out).toBe(`FAIL ${file}: r0 = 0x1, expected 0x2\n0 passed, 1 failed\n`);
    await rm(dir, { recursive: true });
  });

  it('--jit is not available yet (exit 2)', async () => {
    const io = fakeIo();
    expect(await main(['conformance', '--jit', 'x'], io)).toBe(2);
    expect(io.err).toContain('the JIT is not available yet');
  });
});
