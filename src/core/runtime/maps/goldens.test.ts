/**
 * Replays map operations recorded from the real Linux 6.18 kernel
 * (scripts/record-map-goldens.py -> test-data/runtime/map-goldens.json)
 * against our maps, and compares every result and the map contents after.
 * No kernel needed: the kernel's answers are data.
 */
import { describe, expect, it } from 'vitest';
import { createMap } from './create.ts';
import type { BpfMap } from './map.ts';
import { errnoName } from './errno.ts';
import { toHex } from './bytes.ts';
import { RingbufMap } from './ringbuf.ts';
import { goldens, hex, kernelDump, ourDump, spec, type GoldenOp } from './goldens-data.ts';

/** The first min(valueSize, 8) bytes, zero-padded to 8, as the recording program stores them. */
function firstWord(bytes: Uint8Array, valueSize: number): string {
  const n = valueSize >= 8 ? 8 : valueSize >= 4 ? 4 : 1;
  const out = new Uint8Array(8);
  out.set(bytes.subarray(0, n));
  return toHex(out);
}

/** One op as the recording program performed it with helpers; returns what it stored. */
function replay(map: BpfMap, op: GoldenOp): { ret: number; value?: string } {
  const vs = map.valueSize;
  switch (op.op) {
    case 'lookup': {
      const v = map.lookup(hex(op.key), 0);
      return v ? { ret: 1, value: firstWord(v, vs) } : { ret: 0, value: '0000000000000000' };
    }
    case 'update':
      return { ret: map.update(hex(op.key), hex(op.value), op.flags ?? 0, 0) };
    case 'delete':
      return { ret: map.delete(hex(op.key)) };
    case 'push':
      return { ret: map.push(hex(op.value), op.flags ?? 0) };
    case 'pop':
    case 'peek': {
      // the program pre-fills its output buffer with 0xee (or the value to test)
      const buf = op.value ? hex(op.value) : new Uint8Array(vs).fill(0xee);
      const ret = op.op === 'pop' ? map.pop(buf) : map.peek(buf);
      return { ret, value: firstWord(buf, vs) };
    }
    case 'rb_output':
      return { ret: (map as RingbufMap).output(hex(op.value), op.flags ?? 0) };
    case 'rb_submit':
    case 'rb_discard': {
      const rb = map as RingbufMap;
      const sample = rb.reserve(op.size ?? 0, op.reserveFlags ?? 0);
      if (!sample) return { ret: 0 };
      sample.data.set(hex(op.value));
      rb.commit(sample, op.flags ?? 0, op.op === 'rb_discard');
      return { ret: 1 };
    }
    case 'rb_query':
      return { ret: (map as RingbufMap).query(op.flags ?? 0) };
    default:
      throw new Error(`unknown golden op ${op.op}`);
  }
}

describe(`map creation matches kernel ${goldens.kernel}`, () => {
  it.each(goldens.creates.map((c) => [`${c.spec.type} k${c.spec.keySize} v${c.spec.valueSize} n${c.spec.maxEntries} f0x${c.spec.flags.toString(16)} x${c.spec.mapExtra ?? 0}`, c] as const))(
    '%s',
    (_name, c) => {
      const r = createMap(spec(c.spec), { cpus: goldens.cpus });
      expect(r.ok ? 'OK' : errnoName(r.errno)).toBe(c.kernel);
    },
  );
});

describe(`map operations match kernel ${goldens.kernel}`, () => {
  it.each(goldens.scenarios.map((s) => [s.name, s] as const))('%s', (_name, s) => {
    const created = createMap(spec(s.map), { cpus: goldens.cpus });
    if (!created.ok) throw new Error(created.message);
    const map = created.map;
    const sys = (s.sys ?? []).map((e) => {
      const r = map.sysUpdate(hex(e.key), hex(e.value), e.flags ?? 0);
      return r === 0 ? 'OK' : errnoName(r);
    });
    expect(sys).toEqual(s.kernel.sys);
    const ops = (s.ops ?? []).map((op) => replay(map, op));
    expect(ops).toEqual(s.kernel.ops);
    expect(ourDump(map.dump())).toEqual(kernelDump(s.kernel.mapsAfter, s.map.type));
  });
});
