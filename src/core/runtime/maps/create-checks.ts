/**
 * The attribute checks BPF_MAP_CREATE makes, per map family, in the kernel's
 * order, with its errno (map_create in kernel/bpf/syscall.c, then each type's
 * map_alloc_check / map_alloc). Returns null when the map may be created, or
 * the errno and a sentence a learner can act on.
 */
import type { MapSpec } from '../../program.ts';
import { E2BIG, EINVAL, ENOTSUPP } from './errno.ts';
import {
  BPF_F_ACCESS_MASK,
  BPF_F_INNER_MAP,
  BPF_F_MMAPABLE,
  BPF_F_NO_COMMON_LRU,
  BPF_F_NO_PREALLOC,
  BPF_F_NUMA_NODE,
  BPF_F_PRESERVE_ELEMS,
  BPF_F_RDONLY,
  BPF_F_RDONLY_PROG,
  BPF_F_TOKEN_FD,
  BPF_F_WRONLY,
  BPF_F_WRONLY_PROG,
  BPF_F_ZERO_SEED,
} from './flags.ts';
import { round8 } from './bytes.ts';

export interface CreateProblem {
  errno: number;
  reason: string;
}

/** include/linux/slab.h on x86-64: 2^(MAX_PAGE_ORDER + PAGE_SHIFT) */
const KMALLOC_MAX_SIZE = 1 << 22;
/** mm/percpu: the biggest per-CPU allocation */
const PCPU_MIN_UNIT_SIZE = 32 << 10;
/** CONFIG_NR_CPUS of the reference 6.18 kernel (measured: cpumap max_entries 256 is accepted, 257 is E2BIG) */
const NR_CPUS = 256;
const INT_MAX = 0x7fffffff;
const U32_MAX = 0xffffffff;
/** sizeof(struct htab_elem) on x86-64 */
const HTAB_ELEM_SIZE = 48;
const LPM_KEY_SIZE_MIN = 4 + 1;
const LPM_KEY_SIZE_MAX = 4 + 256;
const LPM_VAL_SIZE_MAX = KMALLOC_MAX_SIZE - 256 - 48;

const ARRAY_FLAGS = BPF_F_NUMA_NODE | BPF_F_MMAPABLE | BPF_F_ACCESS_MASK | BPF_F_PRESERVE_ELEMS | BPF_F_INNER_MAP;
const HTAB_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NO_COMMON_LRU | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK | BPF_F_ZERO_SEED;
const LPM_FLAGS = BPF_F_NO_PREALLOC | BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const QUEUE_STACK_FLAGS = BPF_F_NUMA_NODE | BPF_F_ACCESS_MASK;
const BLOOM_FLAGS = BPF_F_NUMA_NODE | BPF_F_ZERO_SEED | BPF_F_ACCESS_MASK;
const DEV_FLAGS = BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY;

function bad(reason: string, errno = EINVAL): CreateProblem {
  return { errno, reason };
}

/** bpf_map_flags_access_ok: a map cannot be both read-only and write-only for programs */
function progAccessOk(flags: number): boolean {
  return (flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) !== (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG);
}

function unknownFlags(flags: number, allowed: number): boolean {
  return (flags & ~allowed) !== 0;
}

function checkArray(s: MapSpec): CreateProblem | null {
  const percpu = s.type === 'percpu_array';
  if (s.maxEntries === 0) return bad('max_entries must not be 0');
  if (s.keySize !== 4) return bad(`key_size must be 4 for ${s.type} maps (the key is a u32 index), got ${s.keySize}`);
  if (s.valueSize === 0) return bad('value_size must not be 0');
  if (unknownFlags(s.flags, ARRAY_FLAGS)) return bad(`map_flags 0x${s.flags.toString(16)} has flags ${s.type} maps do not take`);
  if (!progAccessOk(s.flags)) return bad('BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG exclude each other');
  if (percpu && s.flags & BPF_F_NUMA_NODE) return bad('per-CPU arrays cannot be placed on a NUMA node');
  if (s.type !== 'array' && s.flags & (BPF_F_MMAPABLE | BPF_F_INNER_MAP)) {
    return bad('BPF_F_MMAPABLE and BPF_F_INNER_MAP are for plain arrays only');
  }
  if (s.type !== 'perf_event_array' && s.flags & BPF_F_PRESERVE_ELEMS) {
    return bad('BPF_F_PRESERVE_ELEMS is for perf_event_array only');
  }
  if (s.valueSize > INT_MAX) return bad('value_size is too big', E2BIG);
  if (percpu && round8(s.valueSize) > PCPU_MIN_UNIT_SIZE) {
    return bad(`per-CPU values are limited to ${PCPU_MIN_UNIT_SIZE} bytes`, E2BIG);
  }
  return null;
}

/** fd_array_map_alloc_check: slots hold 4-byte fds */
function checkFdArray(s: MapSpec): CreateProblem | null {
  if (s.valueSize !== 4) return bad(`value_size must be 4 for ${s.type} (the value is an fd), got ${s.valueSize}`);
  if (s.flags & (BPF_F_RDONLY_PROG | BPF_F_WRONLY_PROG)) return bad(`${s.type} does not take BPF_F_RDONLY_PROG/BPF_F_WRONLY_PROG`);
  return checkArray(s);
}

function checkHash(s: MapSpec): CreateProblem | null {
  const percpu = s.type === 'percpu_hash' || s.type === 'lru_percpu_hash';
  const lru = s.type === 'lru_hash' || s.type === 'lru_percpu_hash';
  const percpuLru = (s.flags & BPF_F_NO_COMMON_LRU) !== 0;
  if (unknownFlags(s.flags, HTAB_FLAGS)) return bad(`map_flags 0x${s.flags.toString(16)} has flags hash maps do not take`);
  if (!progAccessOk(s.flags)) return bad('BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG exclude each other');
  if (!lru && percpuLru) return bad('BPF_F_NO_COMMON_LRU is for LRU hashes only');
  if (lru && s.flags & BPF_F_NO_PREALLOC) return bad('LRU hashes are always preallocated (no BPF_F_NO_PREALLOC)', ENOTSUPP);
  if (s.flags & BPF_F_NUMA_NODE && (percpu || percpuLru)) return bad('per-CPU hashes cannot be placed on a NUMA node');
  if (s.maxEntries === 0 || s.keySize === 0 || s.valueSize === 0) {
    return bad('max_entries, key_size and value_size must all be non-zero');
  }
  if (s.keySize + s.valueSize >= KMALLOC_MAX_SIZE - HTAB_ELEM_SIZE) return bad('key_size + value_size is too big', E2BIG);
  if (percpu && round8(s.valueSize) > PCPU_MIN_UNIT_SIZE) {
    return bad(`per-CPU values are limited to ${PCPU_MIN_UNIT_SIZE} bytes`, E2BIG);
  }
  // htab_map_alloc: the bucket array (a power of two >= max_entries) must stay addressable
  if (s.maxEntries > 2 ** 31) return bad('max_entries is too big for a hash table', E2BIG);
  return null;
}

function checkLpm(s: MapSpec): CreateProblem | null {
  if (s.maxEntries === 0) return bad('max_entries must not be 0');
  if (!(s.flags & BPF_F_NO_PREALLOC)) return bad('lpm_trie maps need BPF_F_NO_PREALLOC (flags 1)');
  if (unknownFlags(s.flags, LPM_FLAGS)) return bad(`map_flags 0x${s.flags.toString(16)} has flags lpm_trie maps do not take`);
  if (!progAccessOk(s.flags)) return bad('BPF_F_RDONLY_PROG and BPF_F_WRONLY_PROG exclude each other');
  if (s.keySize < LPM_KEY_SIZE_MIN || s.keySize > LPM_KEY_SIZE_MAX) {
    return bad(`key_size must be 5..260 for lpm_trie (u32 prefixlen + 1..256 data bytes), got ${s.keySize}`);
  }
  if (s.valueSize < 1 || s.valueSize > LPM_VAL_SIZE_MAX) return bad('value_size is out of range for lpm_trie');
  return null;
}

function checkQueueStack(s: MapSpec): CreateProblem | null {
  if (s.maxEntries === 0 || s.keySize !== 0 || s.valueSize === 0) {
    return bad(`${s.type} maps need key_size 0 and non-zero value_size and max_entries`);
  }
  if (unknownFlags(s.flags, QUEUE_STACK_FLAGS) || !progAccessOk(s.flags)) {
    return bad(`map_flags 0x${s.flags.toString(16)} has flags ${s.type} maps do not take`);
  }
  // 6.18 no longer refuses max_entries * value_size >= 4 GiB here (measured);
  // a queue that big fails later with ENOMEM, which the memory limit covers
  if (s.valueSize > KMALLOC_MAX_SIZE) return bad('value_size is too big', E2BIG);
  return null;
}

function checkBloom(s: MapSpec): CreateProblem | null {
  if (s.valueSize > KMALLOC_MAX_SIZE) return bad('value_size is too big', E2BIG);
  if (s.keySize !== 0 || s.valueSize === 0 || s.maxEntries === 0) {
    return bad('bloom_filter maps need key_size 0 and non-zero value_size and max_entries');
  }
  if (unknownFlags(s.flags, BLOOM_FLAGS) || !progAccessOk(s.flags)) {
    return bad(`map_flags 0x${s.flags.toString(16)} has flags bloom_filter maps do not take`);
  }
  if ((s.mapExtra ?? 0) & ~0xf) return bad('map_extra (number of hash functions) must be 0..15');
  return null;
}

function checkRingbuf(s: MapSpec): CreateProblem | null {
  if (unknownFlags(s.flags, BPF_F_NUMA_NODE)) return bad(`map_flags 0x${s.flags.toString(16)} has flags ringbuf maps do not take`);
  const pow2 = s.maxEntries > 0 && (s.maxEntries & (s.maxEntries - 1)) === 0;
  if (s.keySize !== 0 || s.valueSize !== 0 || !pow2 || s.maxEntries % 4096 !== 0) {
    return bad('ringbuf maps need key_size 0, value_size 0 and max_entries a power of two multiple of the page size (4096)');
  }
  return null;
}

function checkDevmap(s: MapSpec): CreateProblem | null {
  if (s.maxEntries === 0 || s.keySize !== 4 || (s.valueSize !== 4 && s.valueSize !== 8) || unknownFlags(s.flags, DEV_FLAGS)) {
    return bad(`${s.type} maps need key_size 4, value_size 4 (ifindex) or 8 (ifindex + prog fd), non-zero max_entries`);
  }
  if (s.type === 'devmap_hash' && s.maxEntries > 2 ** 31) return bad('max_entries is too big for devmap_hash');
  return null;
}

function checkCpumap(s: MapSpec): CreateProblem | null {
  if (s.maxEntries === 0 || s.keySize !== 4 || (s.valueSize !== 4 && s.valueSize !== 8) || unknownFlags(s.flags, BPF_F_NUMA_NODE)) {
    return bad('cpumap maps need key_size 4, value_size 4 (qsize) or 8 (qsize + prog fd), non-zero max_entries');
  }
  if (s.maxEntries > NR_CPUS) return bad(`cpumap max_entries is limited to NR_CPUS (${NR_CPUS})`, E2BIG);
  return null;
}

function checkXskmap(s: MapSpec): CreateProblem | null {
  if (s.maxEntries === 0 || s.keySize !== 4 || s.valueSize !== 4 || unknownFlags(s.flags, BPF_F_NUMA_NODE | BPF_F_RDONLY | BPF_F_WRONLY)) {
    return bad('xskmap maps need key_size 4, value_size 4 (a socket fd), non-zero max_entries');
  }
  return null;
}

/** Map types this simulator implements, with their checks. */
const CHECKS: Partial<Record<MapSpec['type'], (s: MapSpec) => CreateProblem | null>> = {
  array: checkArray,
  percpu_array: checkArray,
  prog_array: checkFdArray,
  perf_event_array: checkFdArray,
  array_of_maps: checkFdArray,
  cgroup_array: checkFdArray,
  hash: checkHash,
  percpu_hash: checkHash,
  lru_hash: checkHash,
  lru_percpu_hash: checkHash,
  hash_of_maps: (s) => (s.valueSize !== 4 ? bad(`value_size must be 4 for hash_of_maps (the value is a map fd), got ${s.valueSize}`) : checkHash(s)),
  lpm_trie: checkLpm,
  queue: checkQueueStack,
  stack: checkQueueStack,
  bloom_filter: checkBloom,
  ringbuf: checkRingbuf,
  devmap: checkDevmap,
  devmap_hash: checkDevmap,
  cpumap: checkCpumap,
  xskmap: checkXskmap,
};

export function isSimulatedMapType(type: MapSpec['type']): boolean {
  return CHECKS[type] !== undefined;
}

/** map_create's generic checks, then the type's own. */
export function checkCreate(s: MapSpec): CreateProblem | null {
  for (const [field, v] of [['keySize', s.keySize], ['valueSize', s.valueSize], ['maxEntries', s.maxEntries], ['flags', s.flags]] as const) {
    if (!Number.isInteger(v) || v < 0 || v > U32_MAX) return bad(`${field} must be an unsigned 32-bit integer, got ${String(v)}`);
  }
  const extra = s.mapExtra ?? 0;
  if (!Number.isInteger(extra) || extra < 0) return bad('mapExtra must be a non-negative integer');
  if (s.type !== 'bloom_filter' && s.type !== 'arena' && extra !== 0) return bad('map_extra is only for bloom_filter (and arena) maps');
  // the token flag is consumed before the type checks; without a token fd it is a bad fd, not a bad flag
  const flags = s.flags & ~BPF_F_TOKEN_FD;
  if ((flags & (BPF_F_RDONLY | BPF_F_WRONLY)) === (BPF_F_RDONLY | BPF_F_WRONLY)) {
    return bad('BPF_F_RDONLY and BPF_F_WRONLY exclude each other');
  }
  const check = CHECKS[s.type];
  if (!check) return null; // the caller reports the type as not simulated
  return check({ ...s, flags });
}
