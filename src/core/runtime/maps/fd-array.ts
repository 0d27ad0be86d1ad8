/**
 * Arrays whose values are references to other kernel objects by fd
 * (kernel/bpf/arraymap.c "fd_array"): BPF_MAP_TYPE_PROG_ARRAY (tail-call
 * targets), ARRAY_OF_MAPS and CGROUP_ARRAY. Only user space writes them, with
 * BPF_ANY only; a slot is empty until written. What is stored here is the
 * fd-like number the session gave (a program or map index); the session's
 * MapEnv.checkFd decides whether it is valid.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, arrayNextKey, sortEntries, type MapDump, type MapDumpEntry } from './map.ts';
import { E2BIG, EBADF, EINVAL, ENOENT, ENOTSUPP } from './errno.ts';
import { BPF_ANY } from './flags.ts';
import { readU32, u32Bytes } from './bytes.ts';
import type { FdKind, MapEnv } from './env.ts';

export class FdArrayMap extends BaseMap {
  readonly fdKind: FdKind;
  private readonly slots: (number | undefined)[];
  private readonly env: MapEnv;

  constructor(spec: MapSpec, env: MapEnv) {
    super(spec, env.cpus);
    this.env = env;
    this.fdKind = spec.type === 'prog_array' ? 'prog' : spec.type === 'cgroup_array' ? 'cgroup' : 'map';
    this.slots = new Array(spec.maxEntries);
  }

  /** What a tail call / map-in-map lookup at `index` reaches, or undefined for an empty slot. */
  slot(index: number): number | undefined {
    return index < this.maxEntries ? this.slots[index] : undefined;
  }

  /** array_of_maps lookup from a program returns the inner map; here its 4-byte reference. */
  override lookup(key: Uint8Array): Uint8Array | null {
    if (this.fdKind !== 'map') return null;
    const ref = this.slot(readU32(key));
    return ref === undefined ? null : u32Bytes(ref);
  }

  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags !== BPF_ANY) return -EINVAL;
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    const fd = readU32(value);
    const ok = this.env.checkFd ? this.env.checkFd(this, this.fdKind, fd) : -EBADF;
    if (ok < 0) return ok;
    this.slots[i] = fd;
    return 0;
  }

  override delete(key: Uint8Array): number {
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    if (this.slots[i] === undefined) return -ENOENT;
    this.slots[i] = undefined;
    return 0;
  }

  /** Syscall lookup gives the object's id; cgroup arrays cannot be read back (ENOTSUPP). */
  override sysLookup(key: Uint8Array): Uint8Array | number {
    if (this.fdKind === 'cgroup') return -ENOTSUPP;
    const ref = this.slot(readU32(key));
    return ref === undefined ? -ENOENT : u32Bytes(ref);
  }

  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    return arrayNextKey(key, this.maxEntries);
  }

  /** Occupied slots only, as a dump through GET_NEXT_KEY + LOOKUP skips ENOENT slots. */
  override dump(): MapDump {
    const entries: MapDumpEntry[] = [];
    for (let i = 0; i < this.maxEntries; i++) {
      const ref = this.slots[i];
      if (ref !== undefined) entries.push({ key: u32Bytes(i), value: u32Bytes(ref) });
    }
    return { kind: 'entries', entries: sortEntries(entries) };
  }
}
