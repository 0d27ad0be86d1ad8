/**
 * Where live maps meet the interpreter's memory: every map gets an opaque
 * `struct bpf_map *` (a pointer to an empty region, so dereferencing it
 * faults), array storage is one region per map (so `map_value + off` from
 * ld_imm64 and pointers from lookups agree), other values get a region per
 * value buffer, and reserved ring-buffer records get a region until they are
 * submitted or discarded. Implements the interpreter's MapResolver.
 */
import type { Memory, Region, MapResolver } from '../../interp/index.ts';
import { REGION_TAG_BASE } from '../../interp/index.ts';
import { u64Hi, u64Lo } from '../../num/int64.ts';
import type { BpfMap } from '../maps/map.ts';
import { ArrayMap } from '../maps/array.ts';
import type { RingbufMap, RingbufSample } from '../maps/ringbuf.ts';
import { BPF_F_RDONLY_PROG } from '../maps/flags.ts';

const OFFSET_BIAS = 0x80000000 | 0;

export interface ReservedRecord {
  map: RingbufMap;
  sample: RingbufSample;
  region: Region;
}

/**
 * What an interpreter or JIT needs to inline bpf_map_lookup_elem on an array
 * (as the kernel's verifier does with map_gen_lookup): the value of index i
 * is at `offset = i * elemSize` in region `regionId`, for i < maxEntries.
 */
export interface InlineArrayLookup {
  regionId: number;
  elemSize: number;
  maxEntries: number;
}

export class MapMemory implements MapResolver {
  private readonly mapRegions: Region[] = [];
  private readonly mapByRegion = new Map<number, number>();
  private readonly storageRegions = new Map<number, Region>();
  /** per value buffer (hash elements, lpm values, devmap entries...) */
  private readonly valueRegions = new Map<Uint8Array, Region>();
  private readonly reserved = new Map<number, ReservedRecord>();
  /** map pointers as handed out, for a quick way back from a helper argument */
  private readonly indexByPointer = new Map<bigint, number>();
  /** per array map: value pointers by element index (a BigInt per lookup is costly) */
  private readonly arrayPointers = new Map<number, bigint[]>();

  constructor(
    readonly memory: Memory,
    readonly maps: readonly BpfMap[],
  ) {
    maps.forEach((m, i) => {
      const r = memory.addRegion({ kind: 'mem', name: `struct bpf_map of ${m.name}`, bytes: new Uint8Array(0), writable: false });
      this.mapRegions.push(r);
      this.mapByRegion.set(r.id, i);
      this.indexByPointer.set(memory.pointer(r.id, 0), i);
    });
    // Lay out the arrays now: the interpreter reads the table without asking.
    this.mapRegions.forEach((r) => this.arrayLookupLayout(r.id));
  }

  mapPointer(index: number): bigint | string {
    const r = this.mapRegions[index];
    if (!r) return `map index ${index} is out of range (${this.maps.length} maps)`;
    return this.memory.pointer(r.id, 0);
  }

  /** BPF_PSEUDO_MAP_VALUE: only arrays have an address for their values (array_map_direct_value_addr). */
  mapValuePointer(index: number, offset: number): bigint | string {
    const map = this.maps[index];
    if (!map) return `map index ${index} is out of range (${this.maps.length} maps)`;
    if (!(map instanceof ArrayMap) || map.percpu) return `map ${map.name} (${map.type}) has no direct value address`;
    if (offset < 0 || offset >= map.storage.length) return `offset ${offset} is outside map ${map.name}'s values`;
    return this.memory.pointer(this.storageRegion(index, map).id, offset);
  }

  /** The map a `struct bpf_map *` argument points to, with its index. */
  mapAt(ptr: bigint): { map: BpfMap; index: number } | undefined {
    const index = this.indexByPointer.get(ptr);
    return index === undefined ? undefined : { map: this.maps[index]!, index };
  }

  /** The map index behind a region id (for interpreters that keep pointers as int32 pairs). */
  mapIndexOfRegion(regionId: number): number | undefined {
    return this.mapByRegion.get(regionId);
  }

  /** Layout for inlining lookups into a plain (not per-CPU) array map; null for other maps. */
  inlineArrayLookup(index: number): InlineArrayLookup | null {
    const map = this.maps[index];
    if (!(map instanceof ArrayMap) || map.percpu) return null;
    return { regionId: this.storageRegion(index, map).id, elemSize: map.elemSize, maxEntries: map.maxEntries };
  }

  /** per `struct bpf_map` region id: the inline lookup layout (null: not a plain array) */
  private readonly layoutByRegion: (InlineArrayLookup | null | undefined)[] = [];

  /** MapResolver's table for the interpreter's inlined array lookups. */
  get arrayLayouts(): readonly (InlineArrayLookup | null | undefined)[] {
    return this.layoutByRegion;
  }

  /** MapResolver's inline lookup: the layout of the array behind a map region, cached. */
  arrayLookupLayout(mapRegionId: number): InlineArrayLookup | null {
    const cached = this.layoutByRegion[mapRegionId];
    if (cached !== undefined) return cached;
    const index = this.mapByRegion.get(mapRegionId);
    const layout = index === undefined ? null : this.inlineArrayLookup(index);
    this.layoutByRegion[mapRegionId] = layout;
    return layout;
  }

  private storageRegion(index: number, map: ArrayMap): Region {
    let r = this.storageRegions.get(index);
    if (!r) {
      r = this.memory.addRegion({
        kind: 'map_value',
        name: `map value of ${map.name}`,
        bytes: map.storage,
        writable: (map.flags & BPF_F_RDONLY_PROG) === 0,
      });
      this.storageRegions.set(index, r);
    }
    return r;
  }

  /** A pointer to a value view that map `index` handed out. */
  valuePointer(index: number, view: Uint8Array, writable = true): bigint {
    const map = this.maps[index]!;
    if (map instanceof ArrayMap && view.buffer === map.storage.buffer) {
      const offset = view.byteOffset - map.storage.byteOffset;
      let cache = this.arrayPointers.get(index);
      if (!cache) this.arrayPointers.set(index, (cache = []));
      const slot = offset / map.elemSize;
      return (cache[slot] ??= this.memory.pointer(this.storageRegion(index, map).id, offset));
    }
    let r = this.valueRegions.get(view);
    if (!r) {
      r = this.memory.addRegion({
        kind: 'map_value',
        name: `map value of ${map.name}`,
        bytes: view,
        writable: writable && (map.flags & BPF_F_RDONLY_PROG) === 0,
      });
      this.valueRegions.set(view, r);
    }
    return this.memory.pointer(r.id, 0);
  }

  /** Give a reserved ring-buffer record a region; the program writes the sample through it. */
  addRecord(map: RingbufMap, sample: RingbufSample): bigint {
    const region = this.memory.addRegion({ kind: 'ringbuf', name: `ringbuf record of ${map.name}`, bytes: sample.data });
    this.reserved.set(region.id, { map, sample, region });
    return this.memory.pointer(region.id, 0);
  }

  /** The record a submit/discard pointer names (it must point at the start of the sample). */
  takeRecord(ptr: bigint): ReservedRecord | string {
    const id = (u64Hi(ptr) - REGION_TAG_BASE) >>> 0;
    const rec = this.reserved.get(id);
    if (!rec) return `${this.memory.describe(ptr)} is not a reserved ring buffer record`;
    if ((u64Lo(ptr) ^ OFFSET_BIAS) !== 0) return `${this.memory.describe(ptr)} is not the start of a ring buffer record`;
    this.reserved.delete(id);
    this.memory.free(id);
    return rec;
  }

  /** Records reserved but never submitted (the verifier forbids that; a --no-verify run can do it). */
  get unreleasedRecords(): number {
    return this.reserved.size;
  }

  /** Free the per-value regions (call between runs so long sessions do not run out of region ids). */
  releaseValues(): void {
    for (const r of this.valueRegions.values()) this.memory.free(r.id);
    this.valueRegions.clear();
  }
}
