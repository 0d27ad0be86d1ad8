/** Small conversions shared by the helper implementations. */
import type { HelperContext } from '../../interp/index.ts';
import type { MapMemory } from './map-memory.ts';
import type { BpfMap } from '../maps/map.ts';
import { u64Hi, u64Lo } from '../../num/int64.ts';

/** A helper's int result (0 or -errno, or a count) as the unsigned 64-bit r0. */
export function ret(n: number | bigint): bigint {
  return BigInt.asUintN(64, BigInt(n));
}

/** A u64 argument as a JS number for flag checks (exact below 2^53; larger stays "too large"). */
export function num(v: bigint): number {
  return v > 0x1fffffffffffffn ? Number.MAX_SAFE_INTEGER : Number(v);
}

/**
 * The bytes a helper argument points to, as a view (no copy: the maps copy
 * what they keep); a fault when the memory is not readable.
 */
export function readArg(ctx: HelperContext, n: 1 | 2 | 3 | 4 | 5, size: number, what: string): Uint8Array | { fault: string } {
  const ptr = ctx.arg(n);
  const r = ctx.memory.resolve(u64Lo(ptr), u64Hi(ptr), size, false);
  if (!r.ok) return { fault: `${what} (R${n}): ${r.message}` };
  if (r.region.ctx) return { fault: `${what} (R${n}): helpers cannot read the ${r.region.name} directly` };
  return r.region.bytes.subarray(r.offset, r.offset + size);
}

/** The map an argument points to, or a fault. */
export function mapArg(ctx: HelperContext, mem: MapMemory, n: 1 | 2 = 1): { map: BpfMap; index: number } | { fault: string } {
  const found = mem.mapAt(ctx.arg(n));
  return found ?? { fault: `R${n} is not a map pointer (${ctx.memory.describe(ctx.arg(n))})` };
}

export function isFault(x: unknown): x is { fault: string } {
  return typeof x === 'object' && x !== null && 'fault' in x;
}

