/**
 * Helpers that hand control to other BPF code, or read strings:
 * bpf_tail_call (12), bpf_for_each_map_elem (164), bpf_snprintf (165),
 * bpf_loop (181), bpf_strncmp (182).
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import { REGION_TAG_BASE, OFFSET_BIAS } from '../../interp/index.ts';
import { u64Hi, u64Lo } from '../../num/int64.ts';
import { E2BIG, EINVAL } from '../maps/errno.ts';
import { FdArrayMap } from '../maps/fd-array.ts';
import type { MapMemory } from './map-memory.ts';
import type { RuntimeSession } from './session.ts';
import { formatPrintk } from './printk.ts';
import { isFault, mapArg, num, readArg, ret } from './util.ts';

/** BPF_MAX_LOOPS */
export const BPF_MAX_LOOPS = 1 << 23;
/** MAX_BPRINTF_VARARGS */
const MAX_SNPRINTF_ARGS = 12;

/** The NUL-terminated string at a pointer (a const string in a read-only map value); null if it has no NUL. */
function cString(ctx: HelperContext, ptr: bigint): Uint8Array | null {
  const region = ctx.memory.region((u64Hi(ptr) - REGION_TAG_BASE) >>> 0);
  if (!region || region.ctx) return null;
  const off = u64Lo(ptr) ^ OFFSET_BIAS;
  if (off < region.start || off >= region.end) return null;
  const rest = region.bytes.subarray(off, region.end);
  const nul = rest.indexOf(0);
  return nul < 0 ? null : rest.subarray(0, nul + 1);
}

export function callbackHelpers(session: RuntimeSession, mem: MapMemory): [number, HelperFn][] {
  const tailCall: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem, 2);
    if (isFault(m)) return m;
    if (!(m.map instanceof FdArrayMap) || m.map.fdKind !== 'prog') return { fault: `bpf_tail_call: map ${m.map.name} is not a prog_array` };
    const index = ctx.arg(3) & 0xffffffffn;
    // An index out of range or an empty slot: the call falls through, as in the kernel.
    const ref = index < BigInt(m.map.maxEntries) ? m.map.slot(Number(index)) : undefined;
    const target = ref === undefined ? undefined : session.programs.get(ref);
    return target ? { tailCall: target } : 0n;
  };

  const loop: HelperFn = (ctx) => {
    const n = ctx.arg(1) & 0xffffffffn;
    const fn = ctx.arg(2);
    const cbCtx = ctx.arg(3);
    if (ctx.arg(4) !== 0n) return ret(-EINVAL);
    if (n > BigInt(BPF_MAX_LOOPS)) return ret(-E2BIG);
    const count = Number(n);
    for (let i = 0; i < count; i++) {
      const r = ctx.callFunction(fn, [BigInt(i), cbCtx]);
      if (!r.ok) return { fault: `bpf_loop callback (iteration ${i}): ${r.fault.message}` };
      if (r.r0 !== 0n) return BigInt(i + 1);
    }
    return BigInt(count);
  };

  const forEach: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const fn = ctx.arg(2);
    const cbCtx = ctx.arg(3);
    if (ctx.arg(4) !== 0n) return ret(-EINVAL);
    const map = m.map;
    const keys: Uint8Array[] = [];
    for (let k = map.getNextKey(null); typeof k !== 'number'; k = map.getNextKey(k)) {
      keys.push(k);
      if (keys.length > map.maxEntries) break; // a defensive bound; get_next_key ends with -ENOENT
    }
    let visited = 0;
    for (const key of keys) {
      const value = map.lookup(key, session.cpu);
      if (!value) continue;
      visited++;
      // The key lives in kernel memory the callback may only read.
      const keyRegion = ctx.memory.addRegion({ kind: 'scratch', name: `key of ${map.name}`, bytes: key.slice(), writable: false });
      try {
        const keyPtr = ctx.memory.pointer(keyRegion.id, 0);
        const r = ctx.callFunction(fn, [mem.mapPointer(m.index) as bigint, keyPtr, mem.valuePointer(m.index, value), cbCtx]);
        if (!r.ok) return { fault: `bpf_for_each_map_elem callback (key ${[...key].map((b) => b.toString(16).padStart(2, '0')).join('')}): ${r.fault.message}` };
        if (r.r0 !== 0n) break;
      } finally {
        ctx.memory.free(keyRegion.id);
      }
    }
    return BigInt(visited);
  };

  const snprintf: HelperFn = (ctx) => {
    const size = num(ctx.arg(2));
    const fmt = cString(ctx, ctx.arg(3));
    if (!fmt) return { fault: 'fmt (R3) is not a NUL-terminated string' };
    const dataLen = num(ctx.arg(5));
    if (dataLen % 8 !== 0 || dataLen > MAX_SNPRINTF_ARGS * 8) return ret(-EINVAL);
    const args: bigint[] = [];
    if (dataLen > 0) {
      const data = readArg(ctx, 4, dataLen, 'data');
      if (isFault(data)) return data;
      const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
      for (let i = 0; i < dataLen; i += 8) args.push(view.getBigUint64(i, true));
    }
    const read = (ptr: bigint, n: number): Uint8Array | null => {
      const r = ctx.memory.read(ptr, n);
      return typeof r === 'string' ? null : r;
    };
    const r = formatPrintk(fmt, args, read);
    if (!r.ok) return ret(-r.errno);
    if (size > 0) {
      const text = new TextEncoder().encode(r.text).subarray(0, size - 1);
      const out = new Uint8Array(text.length + 1);
      out.set(text);
      const err = ctx.memory.write(ctx.arg(1), out);
      if (err) return { fault: `str (R1): ${err}` };
    }
    return BigInt(r.length + 1);
  };

  const strncmp: HelperFn = (ctx) => {
    const n = num(ctx.arg(2));
    const s1 = readArg(ctx, 1, n, 's1');
    if (isFault(s1)) return s1;
    const s2 = cString(ctx, ctx.arg(3));
    if (!s2) return { fault: 's2 (R3) is not a NUL-terminated string' };
    for (let i = 0; i < n; i++) {
      const c1 = s1[i]!;
      const c2 = i < s2.length ? s2[i]! : 0;
      if (c1 !== c2) return c1 < c2 ? ret(-1) : 1n;
      if (c1 === 0) break;
    }
    return 0n;
  };

  return [
    [12, tailCall],
    [164, forEach],
    [165, snprintf],
    [181, loop],
    [182, strncmp],
  ];
}
