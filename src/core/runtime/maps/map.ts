/**
 * The common interface of live maps. Two faces, as in the kernel:
 *  - the program side (what the bpf_map_* helpers do): values are the current
 *    CPU's copy and lookups hand out a *stable view* of the value memory, so the
 *    interpreter can let programs read and write through the returned pointer;
 *  - the syscall side (what BPF_MAP_*_ELEM from user space does, used for
 *    `init` entries, `--map-update` and dumps): per-CPU values travel as all
 *    CPUs' values, each slot rounded up to 8 bytes.
 * Every operation returns the kernel's result: 0 or a negated errno.
 */
import type { MapSpec, MapType } from '../../program.ts';
import { ENOENT, ENOTSUPP, EPERM } from './errno.ts';
import { readU32, u32Bytes } from './bytes.ts';
import { BPF_F_RDONLY } from './flags.ts';
import { compareBytes, round8 } from './bytes.ts';

export interface MapDumpEntry {
  key: Uint8Array;
  /** the value (CPU 0's copy for per-CPU maps) */
  value: Uint8Array;
  /** per-CPU maps: every CPU's value, CPU 0 first */
  values?: Uint8Array[];
}

export type MapDump =
  /** key/value maps, sorted by key bytes; queue/stack in pop order with empty keys */
  | { kind: 'entries'; entries: MapDumpEntry[] }
  /** ringbuf: committed records not yet consumed, as kbpf.py reads them */
  | { kind: 'records'; records: Uint8Array[]; discarded: number; producerPos: number }
  /** maps the kernel cannot dump (perf_event_array, bloom_filter) */
  | { kind: 'skipped'; reason: string };

export interface BpfMap {
  readonly name: string;
  readonly type: MapType;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  /** number of possible CPUs (per-CPU maps keep one value per CPU) */
  readonly cpus: number;

  // ---- program side (helpers) ----
  /** bpf_map_lookup_elem: a live view of the value on `cpu`, or null */
  lookup(key: Uint8Array, cpu?: number): Uint8Array | null;
  /** bpf_map_update_elem: 0 or -errno; `value` is valueSize bytes (this CPU's value) */
  update(key: Uint8Array, value: Uint8Array, flags: number, cpu?: number): number;
  /** bpf_map_delete_elem */
  delete(key: Uint8Array): number;
  /** bpf_map_push_elem (queue, stack, bloom_filter) */
  push(value: Uint8Array, flags: number): number;
  /** bpf_map_pop_elem: writes valueSize bytes into `out` */
  pop(out: Uint8Array): number;
  /** bpf_map_peek_elem: for bloom_filter, `out` is the value to test (0 = maybe present) */
  peek(out: Uint8Array): number;

  // ---- syscall side ----
  /** BPF_MAP_LOOKUP_ELEM: a copy of the value (all CPUs for per-CPU maps), or -errno */
  sysLookup(key: Uint8Array): Uint8Array | number;
  /** BPF_MAP_UPDATE_ELEM: per-CPU maps take valueSize (replicated) or cpus*round8(valueSize) bytes */
  sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number;
  /** BPF_MAP_DELETE_ELEM */
  sysDelete(key: Uint8Array): number;
  /** BPF_MAP_GET_NEXT_KEY: null key = first; -ENOENT after the last */
  getNextKey(key: Uint8Array | null): Uint8Array | number;

  /** contents for mapsAfter, sorted by key bytes */
  dump(): MapDump;
}

/**
 * Defaults for operations a map family does not implement. The kernel's
 * generic answer to a missing map op is -ENOTSUPP (524) at the syscall; the
 * verifier keeps programs from calling helpers a map type does not support.
 */
export abstract class BaseMap implements BpfMap {
  readonly name: string;
  readonly type: MapType;
  readonly keySize: number;
  readonly valueSize: number;
  readonly maxEntries: number;
  readonly flags: number;
  readonly cpus: number;
  /**
   * BPF_MAP_FREEZE was applied (read-only global data after its initial
   * contents): user space may no longer write, as the kernel answers -EPERM.
   */
  frozen = false;

  constructor(spec: MapSpec, cpus: number) {
    this.name = spec.name;
    this.type = spec.type;
    this.keySize = spec.keySize;
    this.valueSize = spec.valueSize;
    this.maxEntries = spec.maxEntries;
    this.flags = spec.flags;
    this.cpus = cpus;
  }

  lookup(_key: Uint8Array, _cpu?: number): Uint8Array | null {
    return null;
  }
  update(_key: Uint8Array, _value: Uint8Array, _flags: number, _cpu?: number): number {
    return -ENOTSUPP;
  }
  delete(_key: Uint8Array): number {
    return -ENOTSUPP;
  }
  push(_value: Uint8Array, _flags: number): number {
    return -ENOTSUPP;
  }
  pop(_out: Uint8Array): number {
    return -ENOTSUPP;
  }
  peek(_out: Uint8Array): number {
    return -ENOTSUPP;
  }
  sysLookup(key: Uint8Array): Uint8Array | number {
    const v = this.lookup(key, 0);
    return v ? v.slice() : -ENOENT;
  }
  sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    const denied = this.sysWriteDenied();
    if (denied) return denied;
    return this.update(key, value, flags, 0);
  }
  sysDelete(key: Uint8Array): number {
    const denied = this.sysWriteDenied();
    if (denied) return denied;
    return this.delete(key);
  }
  getNextKey(_key: Uint8Array | null): Uint8Array | number {
    return -ENOTSUPP;
  }
  abstract dump(): MapDump;

  /** map_update_elem/map_delete_elem refuse writes through a read-only fd or to a frozen map. */
  protected sysWriteDenied(): number {
    if (this.frozen || (this.flags & BPF_F_RDONLY) !== 0) return -EPERM;
    return 0;
  }

  /** The size a syscall value buffer has for this map (all CPUs for per-CPU maps). */
  sysValueSize(): number {
    return this.valueSize;
  }
}

/** Per-CPU value layout shared by percpu_array and the per-CPU hashes. */
export function percpuStride(valueSize: number): number {
  return round8(valueSize);
}

/**
 * Expand a syscall-side per-CPU value: valueSize bytes are replicated on every
 * CPU (kbpf.py's convenience), cpus*stride bytes are taken as they are.
 * Returns null when the length is neither.
 */
export function expandPercpuValue(value: Uint8Array, valueSize: number, cpus: number): Uint8Array | null {
  const stride = percpuStride(valueSize);
  if (value.length === stride * cpus) return value;
  if (value.length !== valueSize) return null;
  const out = new Uint8Array(stride * cpus);
  for (let c = 0; c < cpus; c++) out.set(value, c * stride);
  return out;
}

/**
 * Why a user-supplied key/value does not fit this map, or null when it does.
 * For CLI/bundle input, where a wrong size must become a clear message
 * instead of a short read.
 */
export function entrySizeProblem(map: BpfMap, key: Uint8Array, value: Uint8Array): string | null {
  if (key.length !== map.keySize) {
    return `map ${map.name}: key has ${key.length} bytes, keySize is ${map.keySize} (EINVAL)`;
  }
  const percpu = map.type === 'percpu_array' || map.type === 'percpu_hash' || map.type === 'lru_percpu_hash';
  if (percpu) {
    const full = percpuStride(map.valueSize) * map.cpus;
    if (value.length !== map.valueSize && value.length !== full) {
      return `map ${map.name}: per-CPU value must be ${map.valueSize} or ${full} bytes, got ${value.length} (EINVAL)`;
    }
    return null;
  }
  if (value.length !== map.valueSize) {
    return `map ${map.name}: value has ${value.length} bytes, valueSize is ${map.valueSize} (EINVAL)`;
  }
  return null;
}

/** Dumps are sorted by key bytes (kernel iteration order depends on hash seeds). */
export function sortEntries(entries: MapDumpEntry[]): MapDumpEntry[] {
  return entries.sort((a, b) => compareBytes(a.key, b.key));
}

/**
 * array_map_get_next_key, shared by every map keyed by a u32 index: the next
 * index, restarting at 0 for a missing or out-of-range key, ENOENT after the last.
 */
export function arrayNextKey(key: Uint8Array | null, maxEntries: number): Uint8Array | number {
  const i = key ? readU32(key) : maxEntries;
  if (i >= maxEntries) return u32Bytes(0);
  if (i === maxEntries - 1) return -ENOENT;
  return u32Bytes(i + 1);
}
