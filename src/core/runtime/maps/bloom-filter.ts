/**
 * BPF_MAP_TYPE_BLOOM_FILTER (kernel/bpf/bloom_filter.c): push adds a value,
 * peek answers "maybe present" (0) or "certainly absent" (-ENOENT).
 * The bit array and the hashes follow the kernel (nr_hash_funcs from the low
 * 4 bits of map_extra, default 5; bits = roundup_pow_of_two(entries*k*7/5),
 * at least 64; jhash2 for values that are a multiple of 4 bytes, jhash
 * otherwise, seeded with seed + i). With BPF_F_ZERO_SEED the seed is 0 as in
 * the kernel, so false positives match it bit for bit; otherwise the kernel
 * seeds randomly and here the seed comes from the session's seeded PRNG.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, type MapDump } from './map.ts';
import { EINVAL, ENOENT, EOPNOTSUPP } from './errno.ts';
import { BPF_ANY } from './flags.ts';
import { jhash, jhash2 } from './jhash.ts';

export class BloomFilterMap extends BaseMap {
  readonly nrHashFuncs: number;
  readonly bitsetMask: number;
  readonly seed: number;
  private readonly bits: Uint8Array;

  constructor(spec: MapSpec, cpus: number, mapExtra: number, seed: number) {
    super(spec, cpus);
    this.nrHashFuncs = mapExtra & 0xf || 5;
    this.seed = seed >>> 0;
    let nrBits = spec.maxEntries * this.nrHashFuncs;
    nrBits = Math.floor(nrBits / 5) * 7;
    let mask: number;
    if (!Number.isSafeInteger(nrBits) || nrBits > 2 ** 31) {
      mask = 0xffffffff;
    } else {
      nrBits = nrBits <= 64 ? 64 : 2 ** Math.ceil(Math.log2(nrBits));
      mask = nrBits - 1;
    }
    this.bitsetMask = mask;
    // a bit array of up to 2^32 bits would be 512 MiB: cap the backing store and
    // fold larger masks onto it (only more false positives, never false negatives)
    this.bits = new Uint8Array(Math.min((mask + 1) / 8, 1 << 24));
  }

  private bitIndex(value: Uint8Array, i: number): number {
    const seed = (this.seed + i) >>> 0;
    const h = this.valueSize % 4 === 0 ? jhash2(value, seed) : jhash(value, seed);
    return ((h & this.bitsetMask) >>> 0) % (this.bits.length * 8);
  }

  override push(value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -EINVAL;
    const v = value.subarray(0, this.valueSize);
    for (let i = 0; i < this.nrHashFuncs; i++) {
      const bit = this.bitIndex(v, i);
      this.bits[bit >>> 3]! |= 1 << (bit & 7);
    }
    return 0;
  }

  override peek(value: Uint8Array): number {
    const v = value.subarray(0, this.valueSize);
    for (let i = 0; i < this.nrHashFuncs; i++) {
      const bit = this.bitIndex(v, i);
      if (!(this.bits[bit >>> 3]! & (1 << (bit & 7)))) return -ENOENT;
    }
    return 0;
  }

  override pop(_out: Uint8Array): number {
    return -EOPNOTSUPP;
  }
  override update(_key: Uint8Array, value: Uint8Array, flags: number): number {
    return this.push(value, flags);
  }
  override delete(_key: Uint8Array): number {
    return -EOPNOTSUPP;
  }
  /** BPF_MAP_LOOKUP_ELEM on a bloom filter tests the value buffer it is given. */
  override sysLookup(value: Uint8Array): Uint8Array | number {
    const r = this.peek(value);
    return r < 0 ? r : value.slice(0, this.valueSize);
  }
  override getNextKey(_key: Uint8Array | null): Uint8Array | number {
    return -EOPNOTSUPP;
  }
  override dump(): MapDump {
    return { kind: 'skipped', reason: 'bloom filter is not iterable' };
  }
}
