import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { looksLikeUbpf } from './detect.ts';
import { parseConformanceData } from './data-file.ts';

const testsDir = new URL('../../../../test-data/conformance/tests/', import.meta.url);

describe('looksLikeUbpf', () => {
  it('recognises every conformance program as uBPF', () => {
    const missed: string[] = [];
    for (const f of readdirSync(testsDir).filter((n) => n.endsWith('.data'))) {
      const parsed = parseConformanceData(readFileSync(new URL(f, testsDir), 'utf8'));
      if (parsed.ok && parsed.data.asm !== null && !looksLikeUbpf(parsed.data.asm)) missed.push(f);
    }
    expect(missed).toEqual([]);
  });

  it('does not claim kernel-syntax programs', () => {
    const kernel = [
      'r0 = 0\nexit',
      'w0 = 1\nif w0 > 0x5 goto +2\ngoto +1\nexit',
      'r1 = *(u32 *)(r1 + 4)\n*(u64 *)(r10 - 8) = r1\ncall bpf_map_lookup_elem\nexit',
      'lock *(u64 *)(r0 + 0) += r1\nexit',
      '; comment\nr0 = *(u8 *)skb[23]\nexit',
      '0: (b7) r0 = 0\n1: (95) exit',
    ];
    for (const src of kernel) expect(looksLikeUbpf(src), src).toBe(false);
  });

  it('decides on the dialect-specific lines only', () => {
    expect(looksLikeUbpf('exit')).toBe(false);
    expect(looksLikeUbpf('ja +1\nexit\nexit')).toBe(true);
    expect(looksLikeUbpf('start:\n  neg %r0 # flip\n  exit')).toBe(true);
  });
});
