import { describe, expect, it } from 'vitest';
import { insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { runOnPacket } from './program-run.ts';
import { traceOnPacket } from './trace-packet.ts';

/** The debugger's traced run must see what a run sees, ctx_in included. */
describe('traceOnPacket sets up the run as runOnPacket does', () => {
  // r0 = (data - data_meta) << 8 | ingress_ifindex
  const xdpProg = decodeProgram([insn(0x61, 2, 1, 0), insn(0x61, 3, 1, 8), insn(0x61, 4, 1, 12), insn(0xbf, 0, 2), insn(0x1f, 0, 3), insn(0x67, 0, 0, 0, 8), insn(0x4f, 0, 4), insn(0x95)]);
  const frame = Uint8Array.from({ length: 60 }, (_, i) => i);
  const xdpMd = (meta: number, ifindex: number): Uint8Array => {
    const c = new Uint8Array(24);
    const v = new DataView(c.buffer);
    v.setUint32(0, meta, true);
    v.setUint32(4, frame.length, true);
    v.setUint32(12, ifindex, true);
    return c;
  };

  it('xdp: metadata and ingress_ifindex from ctx_in', () => {
    const ctxIn = xdpMd(8, 1);
    const ran = runOnPacket(xdpProg, 'xdp', frame, { ctxIn });
    const traced = traceOnPacket(xdpProg, 'xdp', frame, { ctxIn });
    expect(ran).toMatchObject({ kind: 'returned', r0: (8n << 8n) | 1n });
    expect(traced.kind === 'traced' && traced.trace.end).toEqual({ kind: 'exit', r0: (8n << 8n) | 1n });
  });

  it('refuses what a run refuses, with the same reason', () => {
    const ctxIn = xdpMd(6, 1);
    const ran = runOnPacket(xdpProg, 'xdp', frame, { ctxIn });
    const traced = traceOnPacket(xdpProg, 'xdp', frame, { ctxIn });
    expect(ran.kind).toBe('refused');
    expect(traced).toEqual(ran);
  });

  it('sched_cls: mark and cb[0] from ctx_in', () => {
    // r0 = skb->mark + skb->cb[0]
    const prog = decodeProgram([insn(0x61, 0, 1, 8), insn(0x61, 2, 1, 48), insn(0x0f, 0, 2), insn(0x95)]);
    const ctxIn = new Uint8Array(192);
    const v = new DataView(ctxIn.buffer);
    v.setUint32(8, 1000, true);
    v.setUint32(48, 23, true);
    expect(runOnPacket(prog, 'sched_cls', frame, { ctxIn })).toMatchObject({ kind: 'returned', r0: 1023n });
    const traced = traceOnPacket(prog, 'sched_cls', frame, { ctxIn });
    expect(traced.kind === 'traced' && traced.trace.end).toEqual({ kind: 'exit', r0: 1023n });
  });

  it('raw_tracepoint: the arguments, and the refusal of a short ctx_in', () => {
    const prog = decodeProgram([insn(0x79, 0, 1, 8), insn(0x95)]);
    const args = new Uint8Array(16);
    args[8] = 42;
    const traced = traceOnPacket(prog, 'raw_tracepoint', null, { ctxIn: args });
    expect(traced.kind === 'traced' && traced.trace.end).toEqual({ kind: 'exit', r0: 42n });
    expect(traceOnPacket(prog, 'raw_tracepoint', null, { ctxIn: args.subarray(0, 8) })).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL/) });
  });
});
