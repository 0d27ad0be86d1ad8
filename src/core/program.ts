/**
 * Inert program and map specifications: plain data produced by the
 * assembler, the ELF loader or a bundle, that can cross the worker boundary.
 * Live maps and VM memory are built from these.
 */
import type { Insn } from './isa/insn.ts';

/** Program types by their kernel names (enum bpf_prog_type without the prefix, lower case). */
export const PROG_TYPES = [
  'socket_filter',
  'kprobe',
  'sched_cls',
  'sched_act',
  'tracepoint',
  'xdp',
  'perf_event',
  'cgroup_skb',
  'cgroup_sock',
  'lwt_in',
  'lwt_out',
  'lwt_xmit',
  'sock_ops',
  'sk_skb',
  'cgroup_device',
  'sk_msg',
  'raw_tracepoint',
  'cgroup_sock_addr',
  'lwt_seg6local',
  'lirc_mode2',
  'sk_reuseport',
  'flow_dissector',
  'cgroup_sysctl',
  'raw_tracepoint_writable',
  'cgroup_sockopt',
  'tracing',
  'struct_ops',
  'ext',
  'lsm',
  'sk_lookup',
  'syscall',
  'netfilter',
] as const;
export type ProgType = (typeof PROG_TYPES)[number];

export function isProgType(s: string): s is ProgType {
  return (PROG_TYPES as readonly string[]).includes(s);
}

/** Map types by their kernel names (enum bpf_map_type without the prefix, lower case). */
export const MAP_TYPES = [
  'hash',
  'array',
  'prog_array',
  'perf_event_array',
  'percpu_hash',
  'percpu_array',
  'stack_trace',
  'cgroup_array',
  'lru_hash',
  'lru_percpu_hash',
  'lpm_trie',
  'array_of_maps',
  'hash_of_maps',
  'devmap',
  'sockmap',
  'cpumap',
  'xskmap',
  'sockhash',
  'cgroup_storage',
  'reuseport_sockarray',
  'percpu_cgroup_storage',
  'queue',
  'stack',
  'sk_storage',
  'devmap_hash',
  'struct_ops',
  'ringbuf',
  'inode_storage',
  'task_storage',
  'bloom_filter',
  'user_ringbuf',
  'cgrp_storage',
  'arena',
] as const;
export type MapType = (typeof MAP_TYPES)[number];

export function isMapType(s: string): s is MapType {
  return (MAP_TYPES as readonly string[]).includes(s);
}

export interface MapEntrySpec {
  key: Uint8Array;
  value: Uint8Array;
  /** map-in-map: the entry's value is this map's fd (its index among the program's maps) */
  mapIndex?: number;
}

/** map_flags: programs may read the map but not write it (libbpf sets it on .rodata) */
export const BPF_F_RDONLY_PROG = 1 << 7;

export interface MapSpec {
  name: string;
  type: MapType;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  /** entries to put in the map before the first run */
  init?: MapEntrySpec[];
  /** global data maps (.data/.rodata/.bss) are frozen when read-only */
  frozen?: boolean;
  /** BPF_MAP_CREATE map_extra (bloom_filter: number of hash functions in the low 4 bits) */
  mapExtra?: number;
  /** array_of_maps / hash_of_maps: the template every inner map must match */
  innerMap?: MapSpec;
}

/** Where an instruction slot came from in the source text (1-based). */
export interface SourceLocation {
  line: number;
  column: number;
}

export interface ProgramSpec {
  name: string;
  progType: ProgType;
  /**
   * Instruction slots as encoded. An LD_IMM64 that references a map carries
   * src_reg 1 (map fd) or 2 (map value) and, in imm, the index into `maps`
   * — the bundle convention of ../shared/tools/kbpf.py.
   */
  insns: Insn[];
  maps: MapSpec[];
  license: string;
  /** per instruction slot, where it came from (assembly input) */
  sourceMap?: (SourceLocation | null)[];
  /** label names by instruction index (assembly input), for the disassembler and the UI */
  labels?: Record<number, string>;
}

export type Severity = 'error' | 'warning';

/** A message about a place in the user's source text (1-based line and column). */
export interface Diagnostic {
  line: number;
  column: number;
  endColumn?: number;
  severity: Severity;
  message: string;
}
