import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELPERS, MAX_HELPER_ID, helperById, helperByName } from './helpers.ts';

/**
 * What the real Linux 6.18 verifier printed for `call N` (N = 0..213),
 * recorded once with ../shared/tools/kbpf.py (see the file's "source").
 */
const kernel = JSON.parse(
  readFileSync(new URL('../../../test-data/helpers/kernel-call-names.json', import.meta.url), 'utf8'),
) as { calls: Record<string, string> };

describe('helper table', () => {
  it('has ids 0..211, contiguous and in order', () => {
    expect(HELPERS.length).toBe(212);
    expect(MAX_HELPER_ID).toBe(211);
    HELPERS.forEach((h, i) => expect(h.id).toBe(i));
  });

  it('has unique names, all bpf_-prefixed', () => {
    const names = HELPERS.map((h) => h.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^bpf_[a-z0-9_]+$/);
  });

  it('names every id exactly as the 6.18 verifier log does', () => {
    for (const h of HELPERS) expect(`${h.name}#${h.id}`).toBe(kernel.calls[String(h.id)]);
    // one past the end is unknown to the kernel, and to us
    expect(kernel.calls['212']).toBe('unknown#212');
    expect(helperById(212)).toBeUndefined();
  });

  it('gives each documented helper a prototype that declares that helper', () => {
    for (const h of HELPERS.slice(1)) {
      expect(h.proto).toMatch(new RegExp(`[ *]${h.name}\\(`));
      expect(h.proto.endsWith(')')).toBe(true);
      expect(h.summary?.length ?? 0).toBeGreaterThan(0);
    }
    expect(HELPERS[0].proto).toBe('');
  });

  it('knows some well-known helpers by id', () => {
    expect(helperById(1)?.name).toBe('bpf_map_lookup_elem');
    expect(helperById(6)?.proto).toBe('long bpf_trace_printk(const char *fmt, u32 fmt_size, ...)');
    expect(helperById(12)?.name).toBe('bpf_tail_call');
    expect(helperById(130)?.name).toBe('bpf_ringbuf_output');
    expect(helperById(181)?.proto).toBe('long bpf_loop(u32 nr_loops, void *callback_fn, void *callback_ctx, u64 flags)');
    expect(helperById(211)?.name).toBe('bpf_cgrp_storage_delete');
  });

  it('keeps the extra per-context prototypes of bpf_get_socket_cookie', () => {
    const h = helperByName('get_socket_cookie');
    expect(h?.id).toBe(46);
    expect(h?.otherProtos?.length).toBe(3);
    for (const p of [h?.proto, ...(h?.otherProtos ?? [])]) expect(p).toMatch(/^u64 bpf_get_socket_cookie\(/);
  });

  it('looks names up with or without the bpf_ prefix, and rejects nonsense', () => {
    expect(helperByName('bpf_ktime_get_ns')?.id).toBe(5);
    expect(helperByName('ktime_get_ns')?.id).toBe(5);
    expect(helperByName('no_such_helper')).toBeUndefined();
    expect(helperById(-1)).toBeUndefined();
    expect(helperById(1.5)).toBeUndefined();
  });
});
