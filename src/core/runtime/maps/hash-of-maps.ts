/**
 * BPF_MAP_TYPE_HASH_OF_MAPS (kernel/bpf/hashtab.c "fd_htab"): a hash whose
 * values are inner maps, written by user space as map fds (a 4-byte value).
 * Here a value is the session's 4-byte reference to the inner map, accepted
 * when MapEnv.checkFd says the map may be stored (else EBADF, as for a bad fd).
 */
import type { MapSpec } from '../../program.ts';
import { HashMap } from './hash.ts';
import { EBADF } from './errno.ts';
import { readU32 } from './bytes.ts';
import type { MapEnv } from './env.ts';

export class HashOfMapsMap extends HashMap {
  private readonly env: MapEnv;

  constructor(spec: MapSpec, env: MapEnv) {
    super(spec, env.cpus);
    this.env = env;
  }

  override sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    const ok = this.env.checkFd ? this.env.checkFd(this, 'map', readU32(value)) : -EBADF;
    if (ok < 0) return ok;
    return super.sysUpdate(key, value, flags);
  }

  /** The inner map reference stored at `key`, or undefined. */
  inner(key: Uint8Array): number | undefined {
    const v = this.lookup(key);
    return v ? readU32(v) : undefined;
  }
}
