/**
 * Behaviour the kernel goldens cannot show (pointers held across updates,
 * user-space iteration, fd-valued maps, record layouts), each expectation
 * derived from the kernel's documented semantics.
 */
import { describe, expect, it } from 'vitest';
import type { MapSpec } from '../../program.ts';
import { createMap } from './create.ts';
import type { BpfMap } from './map.ts';
import { entrySizeProblem } from './map.ts';
import { ArrayMap } from './array.ts';
import { RingbufMap, RINGBUF_BUSY_BIT } from './ringbuf.ts';
import { PerfEventArrayMap } from './perf-event-array.ts';
import { FdArrayMap } from './fd-array.ts';
import { DevMap } from './devmap.ts';
import { E2BIG, EBADF, EINVAL, ENOENT, EOPNOTSUPP, EPERM, ENOTSUPP } from './errno.ts';
import { BPF_ANY, BPF_F_CURRENT_CPU, BPF_RB_NO_WAKEUP } from './flags.ts';
import { readU32, toHex, u32Bytes } from './bytes.ts';
import type { MapEnv } from './env.ts';

function make(spec: Partial<MapSpec> & Pick<MapSpec, 'type'>, env: MapEnv = { cpus: 2 }): BpfMap {
  const r = createMap({ name: 'm', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0, ...spec }, env);
  if (!r.ok) throw new Error(r.message);
  return r.map;
}

const u64 = (n: number): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
  return b;
};

describe('value memory is addressable', () => {
  it('array lookups return a live view: writes through it show in the dump', () => {
    const m = make({ type: 'array' });
    const v = m.lookup(u32Bytes(2))!;
    v[0] = 0x2a;
    expect(m.lookup(u32Bytes(2))).toBe(v); // the same view object each time (no allocation)
    const d = m.dump();
    expect(d.kind === 'entries' && toHex(d.entries[2]!.value)).toBe('2a00000000000000');
  });

  it('array values are round_up(value_size, 8) apart in one block, for direct value access', () => {
    const m = make({ type: 'array', valueSize: 12, maxEntries: 3 }) as ArrayMap;
    expect(m.elemSize).toBe(16);
    m.lookup(u32Bytes(1))![0] = 7;
    expect(m.storage[16]).toBe(7);
  });

  it('a hash update installs a new element: an earlier pointer keeps the old value', () => {
    const m = make({ type: 'hash' });
    m.update(u32Bytes(1), u64(10), BPF_ANY);
    const before = m.lookup(u32Bytes(1))!;
    m.update(u32Bytes(1), u64(20), BPF_ANY);
    expect(readU32(before)).toBe(10);
    expect(readU32(m.lookup(u32Bytes(1))!)).toBe(20);
  });

  it('per-CPU lookups see the given CPU value', () => {
    const m = make({ type: 'percpu_hash' });
    expect(m.sysUpdate(u32Bytes(1), new Uint8Array([...u64(5), ...u64(6)]), BPF_ANY)).toBe(0);
    expect(readU32(m.lookup(u32Bytes(1), 0)!)).toBe(5);
    expect(readU32(m.lookup(u32Bytes(1), 1)!)).toBe(6);
    expect(m.sysLookup(u32Bytes(1))).toEqual(new Uint8Array([...u64(5), ...u64(6)]));
  });
});

describe('user-space iteration (GET_NEXT_KEY)', () => {
  it('walks a hash in key-byte order and restarts at the first key for an unknown key', () => {
    const m = make({ type: 'hash' });
    for (const k of [0x300, 2, 1]) m.update(u32Bytes(k), u64(k), BPF_ANY);
    const seen: string[] = [];
    let k: Uint8Array | number = m.getNextKey(null);
    while (typeof k !== 'number') {
      seen.push(toHex(k));
      k = m.getNextKey(k);
    }
    expect(seen).toEqual(['00030000', '01000000', '02000000']);
    expect(k).toBe(-ENOENT);
    expect(m.getNextKey(u32Bytes(99))).toEqual(u32Bytes(0x300));
  });

  it('walks an array by index, out-of-range keys restart at 0', () => {
    const m = make({ type: 'array', maxEntries: 2 });
    expect(m.getNextKey(null)).toEqual(u32Bytes(0));
    expect(m.getNextKey(u32Bytes(0))).toEqual(u32Bytes(1));
    expect(m.getNextKey(u32Bytes(1))).toBe(-ENOENT);
    expect(m.getNextKey(u32Bytes(7))).toEqual(u32Bytes(0));
  });
});

describe('creation and initial contents', () => {
  it('names the errno and the reason', () => {
    const r = createMap({ name: 'm', type: 'array', keySize: 8, valueSize: 8, maxEntries: 1, flags: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errno).toBe(EINVAL);
      expect(r.message).toMatch(/BPF_MAP_CREATE failed: EINVAL \(22\): key_size must be 4/);
    }
  });

  it('refuses map types it does not simulate with a clear message', () => {
    const r = createMap({ name: 's', type: 'sockmap', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 });
    expect(r.ok === false && r.message).toMatch(/does not simulate sockmap/);
  });

  it('applies init entries and reports a failing one with its errno', () => {
    const ok = createMap({ name: 'h', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, init: [{ key: u32Bytes(1), value: u64(1) }] });
    expect(ok.ok && ok.map.lookup(u32Bytes(1))).toEqual(u64(1));
    const full = createMap({
      name: 'h', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0,
      init: [{ key: u32Bytes(1), value: u64(1) }, { key: u32Bytes(2), value: u64(2) }],
    });
    expect(full.ok === false && full.message).toMatch(/init\[1\]: BPF_MAP_UPDATE_ELEM failed: E2BIG/);
    const short = createMap({ name: 'h', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, init: [{ key: new Uint8Array(3), value: u64(1) }] });
    expect(short.ok === false && short.message).toMatch(/key has 3 bytes, keySize is 4/);
  });

  it('a frozen map refuses user-space writes with EPERM but programs still read it', () => {
    const r = createMap({ name: '.rodata', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0, frozen: true, init: [{ key: u32Bytes(0), value: u64(3) }] });
    if (!r.ok) throw new Error(r.message);
    expect(r.map.sysUpdate(u32Bytes(0), u64(4), BPF_ANY)).toBe(-EPERM);
    expect(readU32(r.map.lookup(u32Bytes(0))!)).toBe(3);
  });

  it('entrySizeProblem explains wrong key and value sizes', () => {
    const m = make({ type: 'percpu_array' });
    expect(entrySizeProblem(m, u32Bytes(0), u64(1))).toBeNull();
    expect(entrySizeProblem(m, u32Bytes(0), new Uint8Array(16))).toBeNull();
    expect(entrySizeProblem(m, u32Bytes(0), new Uint8Array(9))).toMatch(/8 or 16 bytes/);
    expect(entrySizeProblem(m, new Uint8Array(2), u64(1))).toMatch(/key has 2 bytes/);
  });
});

describe('ringbuf records', () => {
  it('lays out 8-byte headers with the busy bit until commit', () => {
    const rb = make({ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 }) as RingbufMap;
    const s = rb.reserve(5, 0)!;
    expect(rb.query(0)).toBe(16); // round_up(5 + 8, 8)
    expect(rb.pending()).toMatchObject({ records: [], busy: true });
    s.data.set([1, 2, 3, 4, 5]);
    rb.commit(s, 0, false);
    expect(rb.consume()).toEqual([new Uint8Array([1, 2, 3, 4, 5])]);
    expect(rb.query(2)).toBe(16);
  });

  it('keeps a record contiguous across the end of the area', () => {
    const rb = make({ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 }) as RingbufMap;
    // fill to 8 bytes before the end, consume, then write a record that wraps
    expect(rb.output(new Uint8Array(4096 - 16 - 8), 0)).toBe(0);
    rb.consume();
    const data = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
    expect(rb.output(data, BPF_RB_NO_WAKEUP)).toBe(0);
    expect(rb.consume()).toEqual([data]);
  });

  it('refuses reserve flags and oversize records', () => {
    const rb = make({ type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 }) as RingbufMap;
    expect(rb.reserve(8, 1)).toBeNull();
    expect(rb.reserve(4096, 0)).toBeNull();
    expect(RINGBUF_BUSY_BIT).toBe(0x80000000);
  });
});

describe('perf_event_array', () => {
  it('needs an event in the slot, on the running CPU', () => {
    const m = make({ type: 'perf_event_array', valueSize: 4, maxEntries: 2 }) as PerfEventArrayMap;
    const data = new Uint8Array([9]);
    expect(m.output(BPF_F_CURRENT_CPU, 0, data, 0)).toBe(-ENOENT);
    m.attachPerCpu();
    expect(m.output(BPF_F_CURRENT_CPU, 0, data, 0)).toBe(0);
    expect(m.output(1, 0, data, 0)).toBe(-EOPNOTSUPP); // slot 1's event is on CPU 1
    expect(m.output(5, 0, data, 0)).toBe(-E2BIG);
    expect(m.output(0, 1, data, 0)).toBe(-EINVAL);
    expect(m.drain()).toEqual([{ index: 0, cpu: 0, data }]);
    expect(m.sysLookup(u32Bytes(0))).toBe(-ENOTSUPP);
  });
});

describe('fd-valued maps', () => {
  it('prog_array stores what the session accepts, BPF_ANY only', () => {
    const env: MapEnv = { cpus: 2, checkFd: (_m, kind, fd) => (kind === 'prog' && fd < 3 ? 0 : -EBADF) };
    const m = make({ type: 'prog_array', valueSize: 4, maxEntries: 4 }, env) as FdArrayMap;
    expect(m.sysUpdate(u32Bytes(1), u32Bytes(2), BPF_ANY)).toBe(0);
    expect(m.sysUpdate(u32Bytes(1), u32Bytes(7), BPF_ANY)).toBe(-EBADF);
    expect(m.sysUpdate(u32Bytes(1), u32Bytes(2), 1)).toBe(-EINVAL);
    expect(m.sysUpdate(u32Bytes(4), u32Bytes(2), BPF_ANY)).toBe(-E2BIG);
    expect(m.slot(1)).toBe(2);
    expect(m.slot(0)).toBeUndefined();
    expect(m.delete(u32Bytes(0))).toBe(-ENOENT);
    expect(m.delete(u32Bytes(1))).toBe(0);
  });

  it('without a session hook no fd is valid (EBADF)', () => {
    const m = make({ type: 'array_of_maps', valueSize: 4 });
    expect(m.sysUpdate(u32Bytes(0), u32Bytes(1), BPF_ANY)).toBe(-EBADF);
  });

  it('devmap lookups return the stored bpf_devmap_val', () => {
    const m = make({ type: 'devmap', valueSize: 4 }, { cpus: 2, ifindexes: [1, 2] }) as DevMap;
    expect(m.sysUpdate(u32Bytes(0), u32Bytes(2), BPF_ANY)).toBe(0);
    expect(m.lookup(u32Bytes(0))).toEqual(u32Bytes(2));
    expect(m.target(0)).toEqual(u32Bytes(2));
    expect(m.lookup(u32Bytes(1))).toBeNull();
  });
});
