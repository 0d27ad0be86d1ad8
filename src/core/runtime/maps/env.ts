/**
 * What live maps need to know about the simulated machine around them.
 * Kept separate from MapSpec: specs are inert data, this is the session.
 */
import type { BpfMap } from './map.ts';

/** The kinds of object a map slot can refer to by fd. */
export type FdKind = 'prog' | 'map' | 'perf_event' | 'xsk' | 'cgroup';

export interface MapEnv {
  /** possible CPUs (per-CPU maps keep one value per CPU; cpumap keys must be below it) */
  cpus: number;
  /** ifindexes of the simulated network devices that devmaps may point to (default: 1, lo) */
  ifindexes?: readonly number[];
  /** seed for bloom filters created without BPF_F_ZERO_SEED (the kernel picks a random one) */
  seed?: number;
  /**
   * Whether `fd` names an object of `kind` that may be stored in `map`
   * (a program of the right type, a compatible inner map, ...): 0 or -errno.
   * Without it no fd is valid, and the kernel's answer for a bad fd is EBADF.
   */
  checkFd?: (map: BpfMap, kind: FdKind, fd: number) => number;
}
