/**
 * createMap: a live map from an inert MapSpec, refused with the errno
 * BPF_MAP_CREATE would give, then filled with the spec's `init` entries
 * (BPF_MAP_UPDATE_ELEM with BPF_ANY, as kbpf.py does) and frozen if asked.
 */
import type { MapSpec } from '../../program.ts';
import type { BpfMap } from './map.ts';
import { BaseMap, entrySizeProblem } from './map.ts';
import { ENOMEM, EOPNOTSUPP, errnoName } from './errno.ts';
import { BPF_ANY, BPF_F_NO_COMMON_LRU, BPF_F_ZERO_SEED } from './flags.ts';
import { checkCreate, isSimulatedMapType } from './create-checks.ts';
import { round8 } from './bytes.ts';
import type { MapEnv } from './env.ts';
import { ArrayMap } from './array.ts';
import { HashMap } from './hash.ts';
import { HashOfMapsMap } from './hash-of-maps.ts';
import { LpmTrieMap } from './lpm-trie.ts';
import { QueueStackMap } from './queue-stack.ts';
import { BloomFilterMap } from './bloom-filter.ts';
import { RingbufMap } from './ringbuf.ts';
import { PerfEventArrayMap } from './perf-event-array.ts';
import { FdArrayMap } from './fd-array.ts';
import { CpuMap, DevMap, DevMapHash, XskMap } from './devmap.ts';

export type CreateMapResult =
  | { ok: true; map: BpfMap }
  | { ok: false; errno: number; message: string };

/** Memory a single map may take up front here (a browser tab is not a kernel). */
export const MAP_MEMORY_LIMIT = 256 << 20;

export const DEFAULT_CPUS = 2;

function fail(spec: MapSpec, errno: number, reason: string): CreateMapResult {
  return {
    ok: false,
    errno,
    message: `map ${spec.name} (${spec.type}): BPF_MAP_CREATE failed: ${errnoName(errno)} (${errno}): ${reason}`,
  };
}

/** Bytes allocated at creation for the families that preallocate. */
function upfrontBytes(spec: MapSpec, cpus: number): number {
  switch (spec.type) {
    case 'array':
      return round8(spec.valueSize) * spec.maxEntries;
    case 'percpu_array':
      return round8(spec.valueSize) * spec.maxEntries * cpus;
    case 'ringbuf':
      return spec.maxEntries * 2;
    default:
      return 0;
  }
}

function build(spec: MapSpec, env: MapEnv): BpfMap {
  const cpus = env.cpus;
  switch (spec.type) {
    case 'array':
    case 'percpu_array':
      return new ArrayMap(spec, cpus);
    case 'hash':
    case 'percpu_hash':
    case 'lru_hash':
    case 'lru_percpu_hash':
      return new HashMap(spec, cpus);
    case 'hash_of_maps':
      return new HashOfMapsMap(spec, env);
    case 'lpm_trie':
      return new LpmTrieMap(spec, cpus);
    case 'queue':
    case 'stack':
      return new QueueStackMap(spec, cpus);
    case 'bloom_filter': {
      const seed = spec.flags & BPF_F_ZERO_SEED ? 0 : (env.seed ?? 0x5eed) >>> 0;
      return new BloomFilterMap(spec, cpus, spec.mapExtra ?? 0, seed);
    }
    case 'ringbuf':
      return new RingbufMap(spec, cpus);
    case 'perf_event_array':
      return new PerfEventArrayMap(spec, env);
    case 'devmap':
      return new DevMap(spec, env);
    case 'devmap_hash':
      return new DevMapHash(spec, env);
    case 'cpumap':
      return new CpuMap(spec, env);
    case 'xskmap':
      return new XskMap(spec, env);
    default:
      // prog_array, array_of_maps, cgroup_array (isSimulatedMapType guarantees the rest)
      return new FdArrayMap(spec, env);
  }
}

/**
 * With BPF_F_NO_COMMON_LRU each CPU has its own LRU list, so the kernel
 * rounds max_entries up to a multiple of the CPU count (down if that overflows).
 */
function effectiveSpec(spec: MapSpec, cpus: number): MapSpec {
  const lru = spec.type === 'lru_hash' || spec.type === 'lru_percpu_hash';
  if (!lru || !(spec.flags & BPF_F_NO_COMMON_LRU)) return spec;
  let max = Math.ceil(spec.maxEntries / cpus) * cpus;
  if (max > 0xffffffff) max = Math.floor(spec.maxEntries / cpus) * cpus;
  return { ...spec, maxEntries: max };
}

export function createMap(spec: MapSpec, opts: MapEnv = { cpus: DEFAULT_CPUS }): CreateMapResult {
  const cpus = opts.cpus;
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 8192) {
    return fail(spec, 22, `the CPU count must be 1..8192, got ${String(cpus)}`);
  }
  if (!isSimulatedMapType(spec.type)) {
    return fail(spec, EOPNOTSUPP, `bpfiddle does not simulate ${spec.type} maps`);
  }
  const problem = checkCreate(spec);
  if (problem) return fail(spec, problem.errno, problem.reason);
  const eff = effectiveSpec(spec, cpus);
  const bytes = upfrontBytes(eff, cpus);
  if (bytes > MAP_MEMORY_LIMIT) {
    return fail(spec, ENOMEM, `it would take ${bytes} bytes; bpfiddle allows ${MAP_MEMORY_LIMIT} per map`);
  }
  const map = build(eff, opts);
  const init = spec.init ?? [];
  for (let j = 0; j < init.length; j++) {
    const { key, value } = init[j]!;
    const keyless = spec.type === 'queue' || spec.type === 'stack' || spec.type === 'bloom_filter';
    const sizeProblem = keyless
      ? value.length === spec.valueSize
        ? null
        : `value has ${value.length} bytes, valueSize is ${spec.valueSize}`
      : entrySizeProblem(map, key, value);
    if (sizeProblem) {
      return { ok: false, errno: 22, message: `map ${spec.name}: init[${j}]: ${sizeProblem}` };
    }
    const r = map.sysUpdate(key, value, BPF_ANY);
    if (r < 0) {
      return {
        ok: false,
        errno: -r,
        message: `map ${spec.name}: init[${j}]: BPF_MAP_UPDATE_ELEM failed: ${errnoName(r)} (${-r})`,
      };
    }
  }
  if (spec.frozen && map instanceof BaseMap) map.frozen = true;
  return { ok: true, map };
}
