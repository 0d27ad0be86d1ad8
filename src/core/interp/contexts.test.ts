import { describe, expect, it } from 'vitest';
import { insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { runOnPacket } from './program-run.ts';

const u64le = (...vals: bigint[]): Uint8Array => {
  const b = new Uint8Array(8 * vals.length);
  const v = new DataView(b.buffer);
  vals.forEach((x, i) => v.setBigUint64(8 * i, x, true));
  return b;
};

describe('contexts of non-packet program types', () => {
  // r2 = *(u64 *)(r1 + 0); r0 = *(u64 *)(r1 + 8); r0 *= 3; r0 += r2; exit
  const prog = decodeProgram([insn(0x79, 2, 1, 0), insn(0x79, 0, 1, 8), insn(0x27, 0, 0, 0, 3), insn(0x0f, 0, 2), insn(0x95)]);

  it('raw_tracepoint reads its arguments from ctx_in', () => {
    const o = runOnPacket(prog, 'raw_tracepoint', null, { ctxIn: u64le(7n, 9n) });
    expect(o).toMatchObject({ kind: 'returned', r0: 34n });
  });

  it('kprobe sees a pt_regs given as ctx_in (di at offset 112)', () => {
    const regs = new Uint8Array(168);
    new DataView(regs.buffer).setBigUint64(112, 0x1234n, true);
    const o = runOnPacket(decodeProgram([insn(0x79, 0, 1, 112), insn(0x95)]), 'kprobe', null, { ctxIn: regs });
    expect(o).toMatchObject({ kind: 'returned', r0: 0x1234n });
  });

  it('without ctx_in the ctx is zeroed and read-only', () => {
    expect(runOnPacket(prog, 'raw_tracepoint', null)).toMatchObject({ kind: 'returned', r0: 0n });
    const write = decodeProgram([insn(0x7a, 1, 0, 0, 1), insn(0xb7, 0, 0, 0, 0), insn(0x95)]);
    expect(runOnPacket(write, 'kprobe', null)).toMatchObject({ kind: 'fault', message: expect.stringMatching(/read-only/) });
  });
});

describe('ctx_in of packet program types', () => {
  // r0 = xdp_md->data - xdp_md->data_meta (the metadata length)
  const metaLen = decodeProgram([insn(0x61, 2, 1, 0), insn(0x61, 3, 1, 8), insn(0xbf, 0, 2), insn(0x1f, 0, 3), insn(0x95)]);
  const xdpMd = (data: number, dataEnd: number, ifindex = 0): Uint8Array => {
    const c = new Uint8Array(24);
    const v = new DataView(c.buffer);
    v.setUint32(0, data, true);
    v.setUint32(4, dataEnd, true);
    v.setUint32(12, ifindex, true);
    return c;
  };

  it('xdp: the first `data` bytes of the input are metadata, and data_out keeps them', () => {
    const input = Uint8Array.from({ length: 40 }, (_, i) => i);
    const o = runOnPacket(metaLen, 'xdp', input, { ctxIn: xdpMd(8, 40, 1) });
    expect(o).toMatchObject({ kind: 'returned', r0: 8n });
    if (o.kind === 'returned') expect([...(o.dataOut ?? [])]).toEqual([...input]);
  });

  it('xdp: refusals carry the errno first', () => {
    const input = new Uint8Array(40);
    expect(runOnPacket(metaLen, 'xdp', input, { ctxIn: xdpMd(6, 40) })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL: /) });
    expect(runOnPacket(metaLen, 'xdp', input, { ctxIn: xdpMd(0, 40, 9) })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^ENODEV: /) });
  });
});

/** Facts observed on Linux 6.18 with BPF_PROG_TEST_RUN (kbpf.py), the expected values below. */
describe('ctx_in of packet program types, as 6.18 checks and applies it', () => {
  const frame = Uint8Array.from({ length: 58 }, (_, i) => (i < 12 ? 2 : i === 12 ? 8 : i === 13 ? 0 : i === 14 ? 0x45 : i));
  const xdpMd = (fields: Record<number, number>, size = 24): Uint8Array => {
    const c = new Uint8Array(size);
    const v = new DataView(c.buffer);
    for (const [off, val] of Object.entries(fields)) v.setUint32(Number(off), val, true);
    return c;
  };
  // r0 = (data - data_meta) << 16 | (data_end - data)
  const lengths = decodeProgram([
    insn(0x61, 2, 1, 0),
    insn(0x61, 3, 1, 4),
    insn(0x61, 4, 1, 8),
    insn(0x1f, 3, 2),
    insn(0x1f, 2, 4),
    insn(0x67, 2, 0, 0, 16),
    insn(0xbf, 0, 3),
    insn(0x4f, 0, 2),
    insn(0x95),
  ]);
  const run = (ctxIn: Uint8Array) => runOnPacket(lengths, 'xdp', frame, { ctxIn });

  it('xdp: data_end ends the linear part; the rest is in data_out as fragments', () => {
    for (const [meta, end, seen] of [
      [0, 0, 0],
      [0, 14, 14],
      [0, 13, 13],
      [8, 22, 14],
      [8, 58, 50],
      [4, 18, 14],
    ]) {
      const o = run(xdpMd({ 0: meta, 4: end }));
      expect(o).toMatchObject({ kind: 'returned', r0: BigInt((meta << 16) | seen) });
      if (o.kind === 'returned') expect([...(o.dataOut ?? [])]).toEqual([...frame]);
    }
  });

  it('xdp: without ctx_in, a packet longer than 3520 bytes (a page minus headroom and tailroom) continues in fragments', () => {
    for (const [len, seen] of [
      [3520, 3520],
      [3521, 3520],
      [5042, 3520],
    ]) {
      const big = new Uint8Array(len).fill(0xab);
      const o = runOnPacket(lengths, 'xdp', big);
      expect(o).toMatchObject({ kind: 'returned', r0: BigInt(seen) });
      if (o.kind === 'returned') expect(o.dataOut?.length).toBe(len);
    }
  });

  it('xdp: refusals in the kernel’s order', () => {
    expect(run(xdpMd({ 0: 8, 4: 0 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
    // bytes past the 24-byte struct must be zero: E2BIG before anything else
    expect(run(xdpMd({ 0: 6, 4: 58, 28: 1 }, 32))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^E2BIG/) });
    expect(run(xdpMd({ 4: 58, 12: 99 }, 32))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^ENODEV/) });
    expect(run(xdpMd({ 4: 58, 16: 1 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
  });

  const skb = (fields: Record<number, number>, size = 192): Uint8Array => xdpMd(fields, size);
  const readSkb = (off: number) => decodeProgram([insn(0x61, 0, 1, off), insn(0x95)]);
  const tc = (off: number, ctxIn?: Uint8Array) => runOnPacket(readSkb(off), 'sched_cls', frame, { ctxIn });

  it('__sk_buff: ingress_ifindex, wire_len and the gso fields are copied in', () => {
    expect(tc(36, skb({ 36: 99 }))).toMatchObject({ kind: 'returned', r0: 99n });
    expect(tc(164, skb({ 164: 3 }))).toMatchObject({ kind: 'returned', r0: 3n });
    expect(tc(176, skb({ 176: 1400 }))).toMatchObject({ kind: 'returned', r0: 1400n });
    expect(tc(160, skb({ 160: 60 }))).toMatchObject({ kind: 'returned', r0: 60n });
    // wire_len is qdisc_skb_cb's pkt_len: 0 without a ctx_in, skb->len when the ctx_in leaves it 0
    expect(tc(160)).toMatchObject({ kind: 'returned', r0: 0n });
    expect(tc(160, skb({}))).toMatchObject({ kind: 'returned', r0: 58n });
  });

  it('__sk_buff: refusals in the kernel’s order', () => {
    expect(tc(0, skb({ 160: 57 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
    expect(tc(0, skb({ 160: 70000 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
    expect(tc(0, skb({ 164: 70000 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
    // ifindex is looked up before the fields are checked; ingress_ifindex is not looked up
    expect(tc(0, skb({ 16: 1, 40: 99 }))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^ENODEV/) });
    expect(tc(0, skb({ 44: 1, 196: 1 }, 200))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^E2BIG/) });
    // socket filters see skb->len without the Ethernet header: a wire_len of 57 is enough there
    expect(runOnPacket(readSkb(0), 'socket_filter', frame, { ctxIn: skb({ 160: 57 }) })).toMatchObject({ kind: 'returned', r0: 44n });
  });
});
