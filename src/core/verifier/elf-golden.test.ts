/**
 * Issue 6: `verify` on clang objects. Every program of the ELF fixtures
 * through our verifier against the verdicts and error lines libbpf recorded on
 * the real Linux 6.18 kernel (test-data/elf/kernel-results.json).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject } from '../elf/index.ts';
import { verify } from './index.ts';

interface KernelProgram {
  section: string;
  name: string;
  verdict: 'accepted' | 'rejected';
  errorLine: string | null;
}
const dir = new URL('../../../test-data/elf/', import.meta.url);
const recorded = JSON.parse(readFileSync(new URL('kernel-results.json', dir), 'utf8')) as { objects: { object: string; programs: KernelProgram[] }[] };

interface Row {
  id: string;
  kernel: KernelProgram;
  ours: { verdict: string; errorLine: string | null } | { loadError: string };
}

const rows: Row[] = recorded.objects.flatMap((o) => {
  const loaded = loadObject(new Uint8Array(readFileSync(new URL(o.object, dir))), { fileName: o.object });
  return o.programs.map((k): Row => {
    const id = `${o.object}:${k.name}`;
    if (!loaded.ok) return { id, kernel: k, ours: { loadError: loaded.error } };
    const p = loaded.object.programs.find((x) => x.name === k.name && x.section === k.section);
    if (!p) return { id, kernel: k, ours: { loadError: 'program not found in our loader output' } };
    const r = verify(p, { logLevel: 0 });
    return { id, kernel: k, ours: { verdict: r.verdict, errorLine: r.error?.message ?? null } };
  });
});

describe('verify on the ELF fixtures vs the kernel (issue 6)', () => {
  it('covers a real set of programs, accepted and rejected', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    expect(rows.some((r) => r.kernel.verdict === 'rejected')).toBe(true);
    expect(rows.some((r) => r.kernel.verdict === 'accepted')).toBe(true);
  });

  it('gives the kernel verdict on at least 95% of the programs', () => {
    const same = rows.filter((r) => 'verdict' in r.ours && r.ours.verdict === r.kernel.verdict);
    const differ = rows.filter((r) => !same.includes(r)).map((r) => `${r.id}: kernel ${r.kernel.verdict}, ours ${JSON.stringify(r.ours)}`);
    expect(same.length / rows.length, differ.join('\n')).toBeGreaterThanOrEqual(0.95);
  });

  it('names the kernel error line for every program both reject', () => {
    const both = rows.filter((r) => r.kernel.verdict === 'rejected' && 'verdict' in r.ours && r.ours.verdict === 'rejected');
    expect(both.map((r) => [r.id, 'errorLine' in r.ours ? r.ours.errorLine : null])).toEqual(both.map((r) => [r.id, r.kernel.errorLine]));
  });
});
