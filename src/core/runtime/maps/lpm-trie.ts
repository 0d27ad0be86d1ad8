/**
 * BPF_MAP_TYPE_LPM_TRIE (kernel/bpf/lpm_trie.c): keys are
 * struct bpf_lpm_trie_key { u32 prefixlen; u8 data[] } and a lookup returns
 * the entry with the longest prefix that matches the key's data within the
 * key's own prefixlen. Updates and deletes address an entry by (prefixlen,
 * first prefixlen bits). A new entry in a full trie is ENOSPC (not E2BIG).
 *
 * Stored as a flat list scanned per lookup — the kernel's trie shape only
 * affects speed and get_next_key order, and dumps are sorted by key bytes.
 */
import type { MapSpec } from '../../program.ts';
import { BaseMap, type MapDump, type MapDumpEntry } from './map.ts';
import { EEXIST, EINVAL, ENOENT, ENOSPC } from './errno.ts';
import { BPF_EXIST, BPF_NOEXIST } from './flags.ts';
import { compareBytes, readU32 } from './bytes.ts';

interface LpmEntry {
  prefixlen: number;
  /** the whole key as last written (bits beyond prefixlen included, as the kernel keeps them) */
  key: Uint8Array;
  value: Uint8Array;
}

export class LpmTrieMap extends BaseMap {
  readonly maxPrefixlen: number;
  private readonly entries: LpmEntry[] = [];

  constructor(spec: MapSpec, cpus: number) {
    super(spec, cpus);
    this.maxPrefixlen = (spec.keySize - 4) * 8;
  }

  /** How many leading bits of a's and b's data agree, up to `limit`. */
  private matchLen(a: Uint8Array, b: Uint8Array, limit: number): number {
    let n = 0;
    for (let i = 4; n < limit; i++) {
      const x = a[i]! ^ b[i]!;
      if (x === 0) {
        n += 8;
        continue;
      }
      n += Math.clz32(x) - 24;
      break;
    }
    return Math.min(n, limit);
  }

  private findExact(key: Uint8Array): number {
    const plen = readU32(key, 0);
    return this.entries.findIndex((e) => e.prefixlen === plen && this.matchLen(e.key, key, plen) === plen);
  }

  override lookup(key: Uint8Array): Uint8Array | null {
    const plen = Math.min(readU32(key, 0), this.maxPrefixlen);
    let best: LpmEntry | undefined;
    for (const e of this.entries) {
      if (e.prefixlen > plen || (best && e.prefixlen <= best.prefixlen)) continue;
      if (this.matchLen(e.key, key, e.prefixlen) === e.prefixlen) best = e;
    }
    return best ? best.value : null;
  }

  override update(key: Uint8Array, value: Uint8Array, flags: number): number {
    if (flags > BPF_EXIST) return -EINVAL;
    const plen = readU32(key, 0);
    if (plen > this.maxPrefixlen) return -EINVAL;
    const at = this.findExact(key);
    const fresh: LpmEntry = { prefixlen: plen, key: key.slice(0, this.keySize), value: value.slice(0, this.valueSize) };
    if (at >= 0) {
      if (flags === BPF_NOEXIST) return -EEXIST;
      this.entries[at] = fresh;
      return 0;
    }
    if (flags === BPF_EXIST) return -ENOENT;
    if (this.entries.length >= this.maxEntries) return -ENOSPC;
    this.entries.push(fresh);
    return 0;
  }

  override delete(key: Uint8Array): number {
    if (readU32(key, 0) > this.maxPrefixlen) return -EINVAL;
    const at = this.findExact(key);
    if (at < 0) return -ENOENT;
    this.entries.splice(at, 1);
    return 0;
  }

  private sorted(): LpmEntry[] {
    return [...this.entries].sort((a, b) => compareBytes(a.key, b.key));
  }

  /** Key-byte order (the kernel walks the trie in post-order); an unknown key restarts. */
  override getNextKey(key: Uint8Array | null): Uint8Array | number {
    const all = this.sorted();
    if (all.length === 0) return -ENOENT;
    const at = key ? this.findExact(key) : -1;
    if (at < 0) return all[0]!.key.slice();
    const cur = this.entries[at]!;
    const i = all.indexOf(cur);
    return i + 1 < all.length ? all[i + 1]!.key.slice() : -ENOENT;
  }

  override dump(): MapDump {
    const entries: MapDumpEntry[] = this.sorted().map((e) => ({ key: e.key.slice(), value: e.value.slice() }));
    return { kind: 'entries', entries };
  }
}
