import { describe, expect, it } from 'vitest';
import { SHAPE_NAMES, generateShape } from './shapes.ts';

describe('the shape generator of the differential fuzzer', () => {
  it('writes assembly our assembler accepts for every shape', () => {
    const failed: string[] = [];
    for (const shape of SHAPE_NAMES) for (let seed = 0; seed < 150; seed++) if (!generateShape(seed, shape)) failed.push(`${shape}/${seed}`);
    expect(failed).toEqual([]);
  });

  it('is deterministic per seed and varies across seeds', () => {
    expect(generateShape(42)?.asm).toBe(generateShape(42)?.asm);
    const distinct = new Set(Array.from({ length: 50 }, (_, i) => generateShape(i)?.asm));
    expect(distinct.size).toBeGreaterThan(40);
    const kinds = new Set(Array.from({ length: 400 }, (_, i) => generateShape(i)?.kind));
    expect([...kinds].sort()).toEqual([...SHAPE_NAMES].sort());
  });
});
