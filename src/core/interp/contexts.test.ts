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
