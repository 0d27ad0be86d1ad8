/**
 * Helpers that send data out of the program: the ring buffer
 * (bpf_ringbuf_output 130, reserve 131, submit 132, discard 133, query 134)
 * and bpf_perf_event_output (25). Committed records are also copied to the
 * session's per-run events, which is what the events panel and the CLI show;
 * the ring itself keeps them for mapsAfter, as the kernel keeps them until a
 * reader consumes them.
 */
import type { HelperFn } from '../../interp/index.ts';
import type { MapMemory } from './map-memory.ts';
import type { RuntimeSession } from './session.ts';
import { RingbufMap } from '../maps/ringbuf.ts';
import { PerfEventArrayMap } from '../maps/perf-event-array.ts';
import { EFAULT, EINVAL } from '../maps/errno.ts';
import { u64Hi, u64Lo } from '../../num/int64.ts';
import { isFault, mapArg, num, readArg, ret } from './util.ts';

/** bpf_skb/xdp_event_output: bits 32..51 of flags ask for that many packet bytes after the data */
const CTXLEN_MASK_HI = 0xfffff;

export function eventHelpers(session: RuntimeSession, mem: MapMemory): [number, HelperFn][] {
  const ringbuf = (m: { map: unknown }): RingbufMap | { fault: string } =>
    m.map instanceof RingbufMap ? m.map : { fault: 'R1 is not a ringbuf map' };

  const output: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const rb = ringbuf(m);
    if (isFault(rb)) return rb;
    const size = num(ctx.arg(3));
    const data = readArg(ctx, 2, size, 'data');
    if (isFault(data)) return data;
    const r = rb.output(data, num(ctx.arg(4)));
    if (r === 0) session.events.push({ kind: 'ringbuf', map: rb.name, data: data.slice() });
    return ret(r);
  };

  const reserve: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const rb = ringbuf(m);
    if (isFault(rb)) return rb;
    const sample = rb.reserve(num(ctx.arg(2)), num(ctx.arg(3)));
    return sample ? mem.addRecord(rb, sample) : 0n;
  };

  const commit =
    (discard: boolean): HelperFn =>
    (ctx) => {
      const rec = mem.takeRecord(ctx.arg(1));
      if (typeof rec === 'string') return { fault: `R1: ${rec}` };
      rec.map.commit(rec.sample, num(ctx.arg(2)), discard);
      if (!discard) session.events.push({ kind: 'ringbuf', map: rec.map.name, data: rec.sample.data.slice() });
      return 0n;
    };

  const query: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const rb = ringbuf(m);
    if (isFault(rb)) return rb;
    return ret(rb.query(num(ctx.arg(2))));
  };

  const perfOutput: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem, 2);
    if (isFault(m)) return m;
    if (!(m.map instanceof PerfEventArrayMap)) return { fault: 'R2 is not a perf_event_array map' };
    const flags = ctx.arg(3);
    const hi = u64Hi(flags) >>> 0;
    const ctxLen = hi & CTXLEN_MASK_HI;
    if (hi & ~CTXLEN_MASK_HI) return ret(-EINVAL);
    const size = num(ctx.arg(5));
    const data = readArg(ctx, 4, size, 'data');
    if (isFault(data)) return data;
    let sample = data;
    if (ctxLen > 0) {
      const pkt = session.packet;
      if (!pkt) return ret(-EINVAL);
      if (ctxLen > pkt.length) return ret(-EFAULT);
      sample = new Uint8Array(size + ctxLen);
      sample.set(data);
      sample.set(pkt.subarray(0, ctxLen), size);
    }
    const r = m.map.output(u64Lo(flags) >>> 0, 0, sample, session.cpu);
    if (r === 0) session.events.push({ kind: 'perf', map: m.map.name, data: sample.slice() });
    return ret(r);
  };

  return [
    [130, output],
    [131, reserve],
    [132, commit(false)],
    [133, commit(true)],
    [134, query],
    [25, perfOutput],
  ];
}
