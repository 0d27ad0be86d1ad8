/**
 * BPF_MAP_TYPE_ARRAY and BPF_MAP_TYPE_PERCPU_ARRAY (kernel/bpf/arraymap.c):
 * preallocated, every index always exists and starts zeroed, elements are
 * round_up(value_size, 8) apart in one block (so a map-value pointer can
 * address the whole array, as direct value access `map[..].value + off` does).
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, arrayNextKey, expandPercpuValue, percpuStride, type MapDump, type MapDumpEntry } from './map.ts';
import { E2BIG, EEXIST, EINVAL, ENOENT } from './errno.ts';
import { BPF_EXIST, BPF_F_LOCK, BPF_NOEXIST } from './flags.ts';
import { compareBytes, readU32, round8, u32Bytes } from './bytes.ts';

export class ArrayMap extends BaseMap {
  /** all values, element i at i * elemSize (plus, per CPU, cpu * elemSize * maxEntries for percpu) */
  readonly storage: Uint8Array;
  readonly elemSize: number;
  readonly percpu: boolean;
  /** cached views so a lookup on the hot path allocates nothing */
  private readonly views: (Uint8Array | undefined)[];

  constructor(spec: MapSpec, cpus: number) {
    super(spec, cpus);
    this.percpu = spec.type === 'percpu_array';
    this.elemSize = round8(spec.valueSize);
    const copies = this.percpu ? cpus : 1;
    this.storage = new Uint8Array(this.elemSize * spec.maxEntries * copies);
    this.views = new Array(spec.maxEntries * copies);
  }

  /** The value of `index` on `cpu` (cpu ignored unless per-CPU), as a live view. */
  valueAt(index: number, cpu = 0): Uint8Array {
    const slot = this.percpu ? cpu * this.maxEntries + index : index;
    let v = this.views[slot];
    if (!v) {
      const at = slot * this.elemSize;
      v = this.storage.subarray(at, at + this.valueSize);
      this.views[slot] = v;
    }
    return v;
  }

  private index(key: Uint8Array): number {
    return readU32(key, 0);
  }

  override lookup(key: Uint8Array, cpu = 0): Uint8Array | null {
    const i = this.index(key);
    if (i >= this.maxEntries) return null;
    return this.valueAt(i, this.percpu ? cpu % this.cpus : 0);
  }

  /** array_map_update_elem: flags checked first, then the index, then NOEXIST (always exists). */
  override update(key: Uint8Array, value: Uint8Array, flags: number, cpu = 0): number {
    if ((flags & ~BPF_F_LOCK) > BPF_EXIST) return -EINVAL;
    const i = this.index(key);
    if (i >= this.maxEntries) return -E2BIG;
    if (flags & BPF_NOEXIST) return -EEXIST;
    // no BTF spin lock in the value: BPF_F_LOCK cannot be honoured
    if (flags & BPF_F_LOCK) return -EINVAL;
    this.valueAt(i, this.percpu ? cpu % this.cpus : 0).set(value.subarray(0, this.valueSize));
    return 0;
  }

  override delete(_key: Uint8Array): number {
    return -EINVAL;
  }

  override sysLookup(key: Uint8Array): Uint8Array | number {
    const i = this.index(key);
    if (i >= this.maxEntries) return -ENOENT;
    if (!this.percpu) return this.valueAt(i).slice();
    const stride = percpuStride(this.valueSize);
    const out = new Uint8Array(stride * this.cpus);
    for (let c = 0; c < this.cpus; c++) out.set(this.valueAt(i, c), c * stride);
    return out;
  }

  /** bpf_percpu_array_update for per-CPU arrays: every CPU's value at once, no BPF_F_LOCK. */
  override sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    const denied = this.sysWriteDenied();
    if (denied) return denied;
    if (!this.percpu) return this.update(key, value, flags, 0);
    if (flags > BPF_EXIST) return -EINVAL;
    const i = this.index(key);
    if (i >= this.maxEntries) return -E2BIG;
    if (flags & BPF_NOEXIST) return -EEXIST;
    const all = expandPercpuValue(value, this.valueSize, this.cpus);
    if (!all) return -EINVAL;
    const stride = percpuStride(this.valueSize);
    for (let c = 0; c < this.cpus; c++) this.valueAt(i, c).set(all.subarray(c * stride, c * stride + this.valueSize));
    return 0;
  }

  /** array_map_get_next_key: a missing or out-of-range key restarts at 0. */
  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    return arrayNextKey(key, this.maxEntries);
  }

  override dump(): MapDump {
    const entries: MapDumpEntry[] = [];
    for (let i = 0; i < this.maxEntries; i++) {
      const key = u32Bytes(i);
      if (this.percpu) {
        const values = Array.from({ length: this.cpus }, (_, c) => this.valueAt(i, c).slice());
        entries.push({ key, value: values[0]!, values });
      } else {
        entries.push({ key, value: this.valueAt(i).slice() });
      }
    }
    entries.sort((a, b) => compareBytes(a.key, b.key));
    return { kind: 'entries', entries };
  }
}
