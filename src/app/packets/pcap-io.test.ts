import { describe, expect, it } from 'vitest';
import { exportPcap, importCapture } from './pcap-io.ts';

const UDP = '020000000002020000000001080045000021000100004011000a0000010a00000204d20035000d000068656c6c6f';
const ARP = 'ffffffffffff0200000000010806' + '0001080006040001' + '0200000000010a000001' + '0000000000000a000002';

describe('pcap import and export of the packet list', () => {
  it('writes a pcap that reads back to the same frames, in order', () => {
    const out = exportPcap([{ hex: UDP }, { hex: ARP }]);
    if (!out.ok) throw new Error(out.error);
    // pcap global header magic, little-endian microseconds: d4 c3 b2 a1
    expect(Array.from(out.bytes.slice(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    const back = importCapture(out.bytes, 'x.pcap');
    if (!back.ok) throw new Error(back.error);
    expect(back.packets.map((p) => p.hex)).toEqual([UDP, ARP]);
    expect(back.packets[1]!.label).toMatch(/ARP/);
  });

  it('explains a file that is not a capture', () => {
    const r = importCapture(new TextEncoder().encode('hello world, not a pcap'), 'notes.txt');
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/^notes\.txt: /) });
  });

  it('refuses to export a damaged hex entry', () => {
    expect(exportPcap([{ hex: 'zz' }])).toMatchObject({ ok: false, error: expect.stringMatching(/^packet 1: /) });
  });
});
