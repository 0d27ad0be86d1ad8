/**
 * bpf_map_lookup_elem (1), bpf_map_update_elem (2), bpf_map_delete_elem (3),
 * bpf_map_push_elem (87), bpf_map_pop_elem (88), bpf_map_peek_elem (89).
 * Results are the map's own (see maps/); a lookup hands the program a
 * pointer into the live value, and map-in-map lookups hand out the inner map.
 */
import type { HelperFn } from '../../interp/index.ts';
import type { MapMemory } from './map-memory.ts';
import type { RuntimeSession } from './session.ts';
import { FdArrayMap } from '../maps/fd-array.ts';
import { HashOfMapsMap } from '../maps/hash-of-maps.ts';
import { BloomFilterMap } from '../maps/bloom-filter.ts';
import { readU32 } from '../maps/bytes.ts';
import { isFault, mapArg, num, readArg, ret } from './util.ts';

export function mapHelpers(session: RuntimeSession, mem: MapMemory): [number, HelperFn][] {
  const lookup: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const key = readArg(ctx, 2, m.map.keySize, 'key');
    if (isFault(key)) return key;
    const v = m.map.lookup(key, session.cpu);
    if (!v) return 0n;
    if ((m.map instanceof FdArrayMap && m.map.fdKind === 'map') || m.map instanceof HashOfMapsMap) {
      const inner = mem.mapPointer(readU32(v));
      return typeof inner === 'string' ? { fault: `inner map of ${m.map.name}: ${inner}` } : inner;
    }
    const readOnly = m.map.type === 'devmap' || m.map.type === 'devmap_hash' || m.map.type === 'xskmap';
    return mem.valuePointer(m.index, v, !readOnly);
  };

  const update: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const key = readArg(ctx, 2, m.map.keySize, 'key');
    if (isFault(key)) return key;
    const value = readArg(ctx, 3, m.map.valueSize, 'value');
    if (isFault(value)) return value;
    return ret(m.map.update(key, value, num(ctx.arg(4)), session.cpu));
  };

  const del: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const key = readArg(ctx, 2, m.map.keySize, 'key');
    if (isFault(key)) return key;
    return ret(m.map.delete(key));
  };

  const push: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const value = readArg(ctx, 2, m.map.valueSize, 'value');
    if (isFault(value)) return value;
    return ret(m.map.push(value, num(ctx.arg(3))));
  };

  /** pop/peek copy the value out (zeroes on ENOENT); a bloom filter's peek tests the value in. */
  const takeOut =
    (remove: boolean): HelperFn =>
    (ctx) => {
      const m = mapArg(ctx, mem);
      if (isFault(m)) return m;
      if (m.map instanceof BloomFilterMap) {
        const value = readArg(ctx, 2, m.map.valueSize, 'value');
        if (isFault(value)) return value;
        return ret(remove ? m.map.pop(value) : m.map.peek(value));
      }
      const out = new Uint8Array(m.map.valueSize);
      const r = remove ? m.map.pop(out) : m.map.peek(out);
      const err = ctx.memory.write(ctx.arg(2), out);
      if (err) return { fault: `value (R2): ${err}` };
      return ret(r);
    };

  return [
    [1, lookup],
    [2, update],
    [3, del],
    [87, push],
    [88, takeOut(true)],
    [89, takeOut(false)],
  ];
}
