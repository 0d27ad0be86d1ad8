/**
 * Small programs run through the interpreter with the runtime's helpers:
 * what they return, what they leave in maps and what they emit.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/index.ts';
import { decodeProgram, Memory, run } from '../../interp/index.ts';
import type { MapSpec } from '../../program.ts';
import { createMap } from '../maps/create.ts';
import type { BpfMap } from '../maps/map.ts';
import { toHex } from '../maps/bytes.ts';
import { bindRuntime, RuntimeSession, type SessionOptions } from './index.ts';

type MapDef = Omit<MapSpec, 'name' | 'flags'> & { name?: string; flags?: number };

function setup(source: string, defs: MapDef[], opts: SessionOptions = {}) {
  const maps: BpfMap[] = defs.map((d, i) => {
    const r = createMap({ name: d.name ?? `m${i}`, flags: 0, ...d }, { cpus: 2 });
    if (!r.ok) throw new Error(r.message);
    return r.map;
  });
  const asm = assemble(source);
  if (!asm.ok) throw new Error(asm.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const prog = decodeProgram(asm.program.insns);
  const session = new RuntimeSession(maps, opts);
  const memory = new Memory();
  const binding = bindRuntime(session, memory);
  const exec = () => {
    const r = run(prog, { memory, helpers: binding.helpers, maps: binding.maps, args: [0n] });
    binding.maps.releaseValues();
    return r;
  };
  return { maps, session, exec };
}

const neg = (errno: number): bigint => BigInt.asUintN(64, BigInt(-errno));

function r0(r: ReturnType<ReturnType<typeof setup>['exec']>): bigint {
  if (!r.ok) throw new Error(r.fault.message);
  return r.r0;
}

function entries(m: BpfMap): [string, string][] {
  const d = m.dump();
  if (d.kind !== 'entries') throw new Error(d.kind);
  return d.entries.map((e) => [toHex(e.key), toHex(e.value)]);
}

describe('map helpers through the interpreter', () => {
  it('a counter incremented through the lookup pointer persists across runs', () => {
    const { maps, exec } = setup(
      `*(u32 *)(r10 - 4) = 1
       r1 = map[0] ll
       r2 = r10
       r2 += -4
       call bpf_map_lookup_elem
       if r0 == 0 goto out
       r1 = 1
       lock *(u64 *)(r0 + 0) += r1
       r0 = 0
     out:
       exit`,
      [{ type: 'array', keySize: 4, valueSize: 8, maxEntries: 2 }],
    );
    for (let i = 0; i < 3; i++) expect(r0(exec())).toBe(0n);
    expect(entries(maps[0]!)).toEqual([
      ['00000000', '0000000000000000'],
      ['01000000', '0300000000000000'],
    ]);
  });

  it('update returns the kernel errno: NOEXIST on a present key is -EEXIST', () => {
    const src = `*(u32 *)(r10 - 4) = 7
       *(u64 *)(r10 - 16) = 99
       r1 = map[0] ll
       r2 = r10
       r2 += -4
       r3 = r10
       r3 += -16
       r4 = 1
       call bpf_map_update_elem
       exit`;
    const { maps, exec } = setup(src, [{ type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4 }]);
    expect(r0(exec())).toBe(0n);
    expect(r0(exec())).toBe(neg(17));
    expect(entries(maps[0]!)).toEqual([['07000000', '6300000000000000']]);
  });

  it('direct value access (map_value + off) writes the array storage', () => {
    const { maps, exec } = setup(
      `r1 = map_value[0] + 4 ll
       *(u32 *)(r1 + 0) = 0x11223344
       r0 = *(u32 *)(r1 + 0)
       exit`,
      [{ name: '.bss', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1 }],
    );
    expect(r0(exec())).toBe(0x11223344n);
    expect(entries(maps[0]!)).toEqual([['00000000', '0000000044332211']]);
  });

  it('per-CPU lookups reach the running CPU value', () => {
    const { maps, exec } = setup(
      `*(u32 *)(r10 - 4) = 0
       r1 = map[0] ll
       r2 = r10
       r2 += -4
       call bpf_map_lookup_elem
       if r0 == 0 goto out
       *(u64 *)(r0 + 0) = 5
     out:
       r0 = 0
       exit`,
      [{ type: 'percpu_array', keySize: 4, valueSize: 8, maxEntries: 1 }],
      { cpu: 1 },
    );
    exec();
    const d = maps[0]!.dump();
    expect(d.kind === 'entries' && d.entries[0]!.values!.map(toHex)).toEqual(['0000000000000000', '0500000000000000']);
  });

  it('queue push and pop', () => {
    const { exec } = setup(
      `*(u64 *)(r10 - 8) = 41
       r1 = map[0] ll
       r2 = r10
       r2 += -8
       r3 = 0
       call bpf_map_push_elem
       *(u64 *)(r10 - 8) = 0
       r1 = map[0] ll
       r2 = r10
       r2 += -8
       call bpf_map_pop_elem
       r0 = *(u64 *)(r10 - 8)
       r0 += 1
       exit`,
      [{ type: 'queue', keySize: 0, valueSize: 8, maxEntries: 2 }],
    );
    expect(r0(exec())).toBe(42n);
  });

  it('a helper given a non-map pointer faults cleanly', () => {
    const { exec } = setup(`r1 = 0\nr2 = r10\ncall bpf_map_lookup_elem\nexit`, []);
    const r = exec();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.fault.message).toMatch(/not a map pointer/);
  });
});

describe('events', () => {
  it('ringbuf reserve + submit and discard: records, events and query', () => {
    const { maps, session, exec } = setup(
      `r1 = map[0] ll
       r2 = 4
       r3 = 0
       call bpf_ringbuf_reserve
       if r0 == 0 goto out
       *(u32 *)(r0 + 0) = 0xdeadbeef
       r1 = r0
       r2 = 0
       call bpf_ringbuf_submit
       r1 = map[0] ll
       r2 = 8
       r3 = 0
       call bpf_ringbuf_reserve
       if r0 == 0 goto out
       r1 = r0
       r2 = 0
       call bpf_ringbuf_discard
       r1 = map[0] ll
       r2 = 0
       call bpf_ringbuf_query
     out:
       exit`,
      [{ name: 'rb', type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096 }],
    );
    // available data: two records of round_up(len + 8, 8) bytes
    expect(r0(exec())).toBe(16n + 16n);
    const out = session.takeRunOutput();
    expect(out.events.map((e) => [e.kind, e.map, toHex(e.data)])).toEqual([['ringbuf', 'rb', 'efbeadde']]);
    expect(maps[0]!.dump()).toMatchObject({ kind: 'records', discarded: 1, producerPos: 32 });
  });

  it('perf_event_output to the current CPU slot', () => {
    const { session, exec } = setup(
      `*(u32 *)(r10 - 4) = 0x0a0b0c0d
       r1 = 0
       r2 = map[0] ll
       r3 = 0xffffffff ll
       r4 = r10
       r4 += -4
       r5 = 4
       call bpf_perf_event_output
       exit`,
      [{ name: 'events', type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 2 }],
    );
    expect(r0(exec())).toBe(0n);
    expect(session.takeRunOutput().events.map((e) => [e.kind, e.map, toHex(e.data)])).toEqual([['perf', 'events', '0d0c0b0a']]);
  });

  it('without attached perf events the slot is empty: -ENOENT, as a bare test run sees', () => {
    const { exec } = setup(
      `*(u32 *)(r10 - 4) = 1
       r2 = map[0] ll
       r3 = 0xffffffff ll
       r4 = r10
       r4 += -4
       r5 = 4
       call bpf_perf_event_output
       exit`,
      [{ type: 'perf_event_array', keySize: 4, valueSize: 4, maxEntries: 2 }],
      { attachPerfEvents: false },
    );
    expect(r0(exec())).toBe(neg(2));
  });

  it('trace_printk prints a line and returns its length; a bad format is -EINVAL', () => {
    const printk = (fmtLe: string) => `r1 = ${fmtLe} ll
       *(u64 *)(r10 - 8) = r1
       r1 = r10
       r1 += -8
       r2 = 8
       r3 = -3
       call bpf_trace_printk
       exit`;
    // "x = %d\n" and its NUL, little-endian
    const good = setup(printk('0x000a6425203d2078'), []);
    expect(r0(good.exec())).toBe(7n); // "x = -3\n"
    expect(good.session.takeRunOutput().printk).toEqual(['x = -3']);
    // "%q": not a conversion the kernel knows
    const bad = setup(printk('0x7125'), []);
    expect(r0(bad.exec())).toBe(neg(22));
    expect(bad.session.takeRunOutput().printk).toEqual([]);
  });
});

describe('machine state helpers', () => {
  it('cpu id, seeded random numbers and a monotonic clock', () => {
    const prog = `call bpf_get_prandom_u32
       r6 = r0
       call bpf_get_prandom_u32
       r0 <<= 32
       r0 |= r6
       exit`;
    const a = setup(prog, [], { seed: 7 });
    const b = setup(prog, [], { seed: 7 });
    const c = setup(prog, [], { seed: 8 });
    const ra = r0(a.exec());
    expect(r0(b.exec())).toBe(ra);
    expect(r0(c.exec())).not.toBe(ra);
    expect(ra >> 32n).not.toBe(ra & 0xffffffffn);

    const clock = setup(
      `call bpf_ktime_get_ns
       r6 = r0
       call bpf_ktime_get_boot_ns
       r0 -= r6
       exit`,
      [],
    );
    expect(Number(r0(clock.exec()))).toBeGreaterThan(0);
    expect(r0(setup('call bpf_get_smp_processor_id\nexit', [], { cpu: 1 }).exec())).toBe(1n);
  });
});

