/**
 * XDP redirect targets (kernel/bpf/devmap.c, cpumap.c, net/xdp/xskmap.c):
 * DEVMAP (array of netdevs), DEVMAP_HASH (netdevs by any u32 key), CPUMAP
 * (array indexed by CPU) and XSKMAP (AF_XDP sockets). The value is what the
 * kernel hands back: struct bpf_devmap_val {ifindex, prog} / bpf_cpumap_val
 * {qsize, prog}. Devices exist when MapEnv.ifindexes lists them.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, arrayNextKey, sortEntries, type MapDump, type MapDumpEntry } from './map.ts';
import { E2BIG, EBADF, EEXIST, EINVAL, ENODEV, ENOENT, EOPNOTSUPP, EOVERFLOW } from './errno.ts';
import { BPF_EXIST, BPF_NOEXIST } from './flags.ts';
import { readU32, toHex, u32Bytes } from './bytes.ts';
import type { MapEnv } from './env.ts';

/** Slot storage shared by the redirect maps: key (u32) -> value bytes. */
abstract class RedirectMap extends BaseMap {
  protected readonly slots = new Map<number, Uint8Array>();
  protected readonly env: MapEnv;

  constructor(spec: MapSpec, env: MapEnv) {
    super(spec, env.cpus);
    this.env = env;
  }

  /** The redirect target at `key`, as bpf_redirect_map sees it, or undefined. */
  target(key: number): Uint8Array | undefined {
    return this.slots.get(key >>> 0);
  }

  override lookup(key: Uint8Array): Uint8Array | null {
    return this.slots.get(readU32(key)) ?? null;
  }

  override sysLookup(key: Uint8Array): Uint8Array | number {
    const v = this.slots.get(readU32(key));
    return v ? v.slice() : -ENOENT;
  }

  /** Array-shaped maps: next index, restarting at 0 for a missing key. */
  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    return arrayNextKey(key, this.maxEntries);
  }

  override dump(): MapDump {
    const entries: MapDumpEntry[] = [...this.slots].map(([k, v]) => ({ key: u32Bytes(k), value: v.slice() }));
    return { kind: 'entries', entries: sortEntries(entries) };
  }

  protected deviceCheck(value: Uint8Array): number {
    const ifindex = readU32(value, 0);
    const known = this.env.ifindexes ?? [1];
    if (!known.includes(ifindex)) return -EINVAL; // dev_get_by_index failed
    if (this.valueSize >= 8) {
      const progFd = readU32(value, 4) | 0;
      if (progFd > 0) return this.env.checkFd ? this.env.checkFd(this, 'prog', progFd) : -EBADF;
    }
    return 0;
  }
}

export class DevMap extends RedirectMap {
  /** __dev_map_update_elem: NOEXIST is always EEXIST; ifindex 0 empties the slot. */
  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return -EINVAL;
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    if (flags === BPF_NOEXIST) return -EEXIST;
    const v = value.slice(0, this.valueSize);
    if (readU32(v, 0) === 0) {
      if (this.valueSize >= 8 && (readU32(v, 4) | 0) > 0) return -EINVAL;
      this.slots.delete(i);
      return 0;
    }
    const err = this.deviceCheck(v);
    if (err) return err;
    this.slots.set(i, v);
    return 0;
  }

  override delete(key: Uint8Array): number {
    const i = readU32(key);
    if (i >= this.maxEntries) return -EINVAL;
    this.slots.delete(i);
    return 0;
  }
}

export class DevMapHash extends RedirectMap {
  /** __dev_map_hash_update_elem: BPF_EXIST is not enforced, a full map is E2BIG. */
  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    const v = value.slice(0, this.valueSize);
    if (flags > BPF_EXIST || readU32(v, 0) === 0) return -EINVAL;
    const k = readU32(key);
    const present = this.slots.has(k);
    if (present && flags & BPF_NOEXIST) return -EEXIST;
    const err = this.deviceCheck(v);
    if (err) return err;
    if (!present && this.slots.size >= this.maxEntries) return -E2BIG;
    this.slots.set(k, v);
    return 0;
  }

  override delete(key: Uint8Array): number {
    return this.slots.delete(readU32(key)) ? 0 : -ENOENT;
  }

  /** Key-byte order (the kernel walks hash buckets); a missing key restarts. */
  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    const keys = [...this.slots.keys()].map(u32Bytes).sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1));
    if (keys.length === 0) return -ENOENT;
    if (!key || !this.slots.has(readU32(key))) return keys[0]!;
    const at = keys.findIndex((k) => readU32(k) === readU32(key));
    return at + 1 < keys.length ? keys[at + 1]! : -ENOENT;
  }
}

/** The largest queue a cpumap entry may ask for (cpu_map_update_elem's sanity limit). */
const CPUMAP_MAX_QSIZE = 16384;

export class CpuMap extends RedirectMap {
  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return -EINVAL;
    const cpu = readU32(key);
    if (cpu >= this.maxEntries) return -E2BIG;
    if (flags === BPF_NOEXIST) return -EEXIST;
    const v = value.slice(0, this.valueSize);
    const qsize = readU32(v, 0);
    if (qsize > CPUMAP_MAX_QSIZE) return -EOVERFLOW;
    if (cpu >= this.cpus) return -ENODEV;
    if (qsize === 0) {
      this.slots.delete(cpu);
      return 0;
    }
    if (this.valueSize >= 8) {
      const progFd = readU32(v, 4) | 0;
      if (progFd > 0) {
        const ok = this.env.checkFd ? this.env.checkFd(this, 'prog', progFd) : -EBADF;
        if (ok < 0) return ok;
      }
    }
    this.slots.set(cpu, v);
    return 0;
  }

  /** Programs only reach a cpumap through bpf_redirect_map. */
  override lookup(_key: Uint8Array): Uint8Array | null {
    return null;
  }

  override delete(key: Uint8Array): number {
    const cpu = readU32(key);
    if (cpu >= this.maxEntries) return -EINVAL;
    this.slots.delete(cpu);
    return 0;
  }
}

export class XskMap extends RedirectMap {
  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return -EINVAL;
    const i = readU32(key);
    if (i >= this.maxEntries) return -E2BIG;
    const fd = readU32(value, 0);
    const ok = this.env.checkFd ? this.env.checkFd(this, 'xsk', fd) : -EBADF;
    if (ok < 0) return ok;
    const present = this.slots.has(i);
    if (present && flags === BPF_NOEXIST) return -EEXIST;
    if (!present && flags === BPF_EXIST) return -ENOENT;
    this.slots.set(i, value.slice(0, 4));
    return 0;
  }

  override delete(key: Uint8Array): number {
    const i = readU32(key);
    if (i >= this.maxEntries) return -EINVAL;
    this.slots.delete(i);
    return 0;
  }

  /** xsk_map_lookup_elem_sys: sockets cannot be read back from user space. */
  override sysLookup(_key: Uint8Array): Uint8Array | number {
    return -EOPNOTSUPP;
  }
}
