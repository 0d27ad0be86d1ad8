/**
 * BPF_MAP_TYPE_HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH
 * (kernel/bpf/hashtab.c).
 *
 * Semantics kept from the kernel:
 *  - flags above BPF_EXIST are EINVAL; NOEXIST on a present key is EEXIST,
 *    EXIST on a missing key is ENOENT; a new key in a full map is E2BIG
 *    (plain hashes) or evicts (LRU hashes);
 *  - replacing a value in a plain hash installs a *new* element, so a pointer
 *    a program got from an earlier lookup keeps seeing the old value
 *    (htab_map_update_elem swaps elements); per-CPU hashes update in place;
 *  - a program's update of a new per-CPU element sets this CPU's value and
 *    zeroes the others (pcpu_init_value), a syscall update sets all CPUs.
 *
 * LRU maps evict through a re-expression of the kernel's own LRU lists
 * (lru-list.ts): reference bits set by program lookups, per-CPU local free and
 * pending lists, batch eviction of unreferenced inactive elements. A new node
 * is taken *before* the flags are checked, as in the kernel, so even an update
 * that fails with EEXIST/ENOENT can evict elements.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, expandPercpuValue, percpuStride, type MapDump, type MapDumpEntry } from './map.ts';
import { E2BIG, EEXIST, EINVAL, ENOENT, ENOMEM } from './errno.ts';
import { BpfLru, type LruNode } from './lru-list.ts';
import { BPF_EXIST, BPF_F_LOCK, BPF_F_NO_COMMON_LRU, BPF_NOEXIST } from './flags.ts';
import { compareBytes, toHex } from './bytes.ts';

interface HashElem {
  key: Uint8Array;
  /** one value, or for per-CPU maps all CPUs' values stride bytes apart */
  data: Uint8Array;
  /** per-CPU views into data (per-CPU maps only) */
  views?: Uint8Array[];
  /** LRU maps: the element's node in the LRU lists */
  node?: LruNode;
}

export class HashMap extends BaseMap {
  readonly percpu: boolean;
  readonly lru: boolean;
  private readonly table = new Map<string, HashElem>();
  private sortedKeys: Uint8Array[] | null = null;
  private readonly lruLists: BpfLru | null;

  constructor(spec: MapSpec, cpus: number) {
    super(spec, cpus);
    this.percpu = spec.type === 'percpu_hash' || spec.type === 'lru_percpu_hash';
    this.lru = spec.type === 'lru_hash' || spec.type === 'lru_percpu_hash';
    this.lruLists = this.lru
      ? new BpfLru((spec.flags & BPF_F_NO_COMMON_LRU) !== 0, cpus, spec.maxEntries, (n) => this.evict(n))
      : null;
  }

  /** htab_lru_map_delete_node: the LRU takes this node's element out of the table. */
  private evict(n: LruNode): boolean {
    if (n.owner === null) return false;
    const elem = this.table.get(n.owner);
    if (!elem || elem.node !== n) return false;
    this.table.delete(n.owner);
    this.sortedKeys = null;
    n.owner = null;
    return true;
  }

  get size(): number {
    return this.table.size;
  }

  private newElem(key: Uint8Array): HashElem {
    if (!this.percpu) return { key: key.slice(0, this.keySize), data: new Uint8Array(this.valueSize) };
    const stride = percpuStride(this.valueSize);
    const data = new Uint8Array(stride * this.cpus);
    const views = Array.from({ length: this.cpus }, (_, c) => data.subarray(c * stride, c * stride + this.valueSize));
    return { key: key.slice(0, this.keySize), data, views };
  }

  private find(key: Uint8Array): [string, HashElem | undefined] {
    const id = toHex(key.subarray(0, this.keySize));
    return [id, this.table.get(id)];
  }

  override lookup(key: Uint8Array, cpu = 0): Uint8Array | null {
    const elem = this.find(key)[1];
    if (!elem) return null;
    if (elem.node) this.lruLists!.setRef(elem.node);
    return elem.views ? elem.views[cpu % this.cpus]! : elem.data;
  }

  /** check_flags() of hashtab.c */
  private static checkFlags(present: boolean, flags: number): number {
    const f = flags & ~BPF_F_LOCK;
    if (present && f === BPF_NOEXIST) return -EEXIST;
    if (!present && f === BPF_EXIST) return -ENOENT;
    return 0;
  }

  /**
   * Shared by program and syscall updates. `write` fills a fresh element
   * (isNew) or the existing one (per-CPU in-place update).
   */
  private upsert(key: Uint8Array, flags: number, cpu: number, write: (elem: HashElem, isNew: boolean) => void): number {
    // Unknown flags are EINVAL. BPF_F_LOCK is EINVAL too: per-CPU and LRU hashes
    // never take it, plain hashes need a BTF spin lock in the value, which maps
    // here never have (the kernel checks that before looking the key up).
    if (flags > BPF_EXIST) return -EINVAL;
    if (this.lruLists) return this.upsertLru(key, flags, cpu, write);
    const [id, old] = this.find(key);
    const err = HashMap.checkFlags(old !== undefined, flags);
    if (err) return err;
    if (old && this.percpu) {
      write(old, false);
      return 0;
    }
    if (!old && this.table.size >= this.maxEntries) return -E2BIG;
    const elem = this.newElem(key);
    write(elem, true);
    if (!old) this.sortedKeys = null;
    this.table.set(id, elem);
    return 0;
  }

  /**
   * htab_lru_map_update_elem / __htab_lru_percpu_map_update_elem: take a
   * node first (this may evict), then look the key up and check the flags;
   * on failure the node goes back. A replaced element's successor starts
   * referenced; per-CPU LRU values are updated in place.
   */
  private upsertLru(key: Uint8Array, flags: number, cpu: number, write: (elem: HashElem, isNew: boolean) => void): number {
    const lru = this.lruLists!;
    const cpuNow = cpu % this.cpus;
    // the per-CPU variant knows an EXIST update will not need a new node
    const node = this.percpu && flags === BPF_EXIST ? null : lru.popFree(cpuNow);
    if (!node && !(this.percpu && flags === BPF_EXIST)) return -ENOMEM;
    const [id, old] = this.find(key);
    const err = HashMap.checkFlags(old !== undefined, flags);
    if (err) {
      if (node) lru.pushFree(node);
      return err;
    }
    if (old && this.percpu) {
      lru.setRef(old.node!);
      write(old, false);
      if (node) lru.pushFree(node);
      return 0;
    }
    const elem = this.newElem(key);
    elem.node = node!;
    node!.owner = id;
    write(elem, true);
    this.table.set(id, elem);
    if (old) {
      lru.setRef(node!);
      lru.pushFree(old.node!);
    } else {
      this.sortedKeys = null;
    }
    return 0;
  }

  override update(key: Uint8Array, value: Uint8Array, flags: number, cpu = 0): number {
    const v = value.subarray(0, this.valueSize);
    return this.upsert(key, flags, cpu, (elem) => {
      if (elem.views) elem.views[cpu % this.cpus]!.set(v);
      else elem.data.set(v);
    });
  }

  override sysUpdate(key: Uint8Array, value: Uint8Array, flags: number): number {
    const denied = this.sysWriteDenied();
    if (denied) return denied;
    if (!this.percpu) return this.update(key, value, flags, 0);
    const all = expandPercpuValue(value, this.valueSize, this.cpus);
    if (!all) return -EINVAL;
    const stride = percpuStride(this.valueSize);
    // user space runs on CPU 0 in the sessions here (kbpf.py pins itself there too)
    return this.upsert(key, flags, 0, (elem) => {
      for (let c = 0; c < this.cpus; c++) elem.views![c]!.set(all.subarray(c * stride, c * stride + this.valueSize));
    });
  }

  override delete(key: Uint8Array): number {
    const [id, elem] = this.find(key);
    if (!elem) return -ENOENT;
    this.table.delete(id);
    this.sortedKeys = null;
    if (elem.node) this.lruLists!.pushFree(elem.node);
    return 0;
  }

  override sysLookup(key: Uint8Array): Uint8Array | number {
    // a syscall lookup does not mark the element referenced (htab_lru_map_lookup_elem_sys)
    const elem = this.find(key)[1];
    if (!elem) return -ENOENT;
    return elem.data.slice();
  }

  private keysInOrder(): Uint8Array[] {
    if (!this.sortedKeys) {
      this.sortedKeys = [...this.table.values()].map((e) => e.key).sort(compareBytes);
    }
    return this.sortedKeys;
  }

  /**
   * The kernel walks its buckets (an order that depends on a random hash
   * seed); here the walk is in key-byte order, which is deterministic and the
   * order dumps use. A key that is not in the map restarts the walk, as in
   * htab_map_get_next_key.
   */
  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    const keys = this.keysInOrder();
    if (keys.length === 0) return -ENOENT;
    if (!key || !this.find(key)[1]) return keys[0]!.slice();
    const probe = key.subarray(0, this.keySize);
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareBytes(keys[mid]!, probe) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < keys.length ? keys[lo]!.slice() : -ENOENT;
  }

  override dump(): MapDump {
    const entries: MapDumpEntry[] = [];
    for (const elem of this.table.values()) {
      if (elem.views) {
        const values = elem.views.map((v) => v.slice());
        entries.push({ key: elem.key.slice(), value: values[0]!, values });
      } else {
        entries.push({ key: elem.key.slice(), value: elem.data.slice() });
      }
    }
    entries.sort((a, b) => compareBytes(a.key, b.key));
    return { kind: 'entries', entries };
  }
}
