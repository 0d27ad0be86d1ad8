import { describe, expect, it } from 'vitest';
import type { MapSpec } from '../program.ts';
import { rdonlyMapConstant } from './rdonly-map.ts';

const rodata = (over: Partial<MapSpec> = {}): MapSpec => ({
  name: 'r',
  type: 'array',
  keySize: 4,
  valueSize: 8,
  maxEntries: 1,
  flags: 0x80,
  frozen: true,
  init: [{ key: new Uint8Array(4), value: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 0x88]) }],
  ...over,
});

describe('rdonlyMapConstant (bpf_map_is_rdonly + bpf_map_direct_read)', () => {
  it('reads little-endian values of 1, 2, 4 and 8 bytes from element 0', () => {
    expect(rdonlyMapConstant(rodata(), 0, 1)).toBe(1n);
    expect(rdonlyMapConstant(rodata(), 1, 2)).toBe(0x0302n);
    expect(rdonlyMapConstant(rodata(), 4, 4)).toBe(0x88070605n);
    expect(rdonlyMapConstant(rodata(), 0, 8)).toBe(0x8807060504030201n);
    expect(rdonlyMapConstant(rodata({ init: undefined }), 0, 8)).toBe(0n);
  });

  it('knows nothing unless the map is a frozen, program-read-only, one-element array', () => {
    expect(rdonlyMapConstant(rodata({ frozen: false }), 0, 4)).toBeNull();
    expect(rdonlyMapConstant(rodata({ flags: 0 }), 0, 4)).toBeNull();
    expect(rdonlyMapConstant(rodata({ maxEntries: 2 }), 0, 4)).toBeNull();
    expect(rdonlyMapConstant(rodata({ type: 'hash' }), 0, 4)).toBeNull();
    expect(rdonlyMapConstant(rodata(), 0, 3)).toBeNull();
    expect(rdonlyMapConstant(rodata(), 6, 4)).toBeNull();
  });
});
