/** Live BPF maps with the kernel's semantics: see map.ts for the interface. */
export type { BpfMap, MapDump, MapDumpEntry } from './map.ts';
export { BaseMap, entrySizeProblem, expandPercpuValue, percpuStride, sortEntries } from './map.ts';
export type { MapEnv, FdKind } from './env.ts';
export { createMap, DEFAULT_CPUS, MAP_MEMORY_LIMIT, type CreateMapResult } from './create.ts';
export { checkCreate, isSimulatedMapType, type CreateProblem } from './create-checks.ts';
export { ArrayMap } from './array.ts';
export { HashMap } from './hash.ts';
export { HashOfMapsMap } from './hash-of-maps.ts';
export { LpmTrieMap } from './lpm-trie.ts';
export { QueueStackMap } from './queue-stack.ts';
export { BloomFilterMap } from './bloom-filter.ts';
export { RingbufMap, type RingbufSample } from './ringbuf.ts';
export { PerfEventArrayMap, type PerfSample } from './perf-event-array.ts';
export { FdArrayMap } from './fd-array.ts';
export { CpuMap, DevMap, DevMapHash, XskMap } from './devmap.ts';
export * from './errno.ts';
export * from './flags.ts';
export { compareBytes, fromHex, toHex } from './bytes.ts';
