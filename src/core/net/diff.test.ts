import { describe, expect, it } from 'vitest';
import { buildPacket } from './build.ts';
import type { ByteDiffRange } from './diff.ts';
import { diffBytes } from './diff.ts';
import type { PacketSpec } from './spec.ts';

const ETH = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };

function build(spec: PacketSpec): Uint8Array {
  const r = buildPacket(spec);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const frame = build({ eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, l4: { kind: 'udp', sport: 1234, dport: 53 }, payload: 'payload bytes here' });

const compact = (ranges: ByteDiffRange[]): string[] => ranges.map((r) => `${r.kind} b${r.beforeOffset}+${r.beforeLength} a${r.afterOffset}+${r.afterLength}`);

/** Every byte of both sides appears in exactly one range, in order. */
function expectTiling(ranges: ByteDiffRange[], beforeLen: number, afterLen: number): void {
  let b = 0;
  let a = 0;
  for (const r of ranges) {
    expect(r.beforeOffset).toBe(b);
    expect(r.afterOffset).toBe(a);
    b += r.beforeLength;
    a += r.afterLength;
  }
  expect([b, a]).toEqual([beforeLen, afterLen]);
}

describe('diffBytes', () => {
  it('reports identical packets as one equal range', () => {
    const d = diffBytes(frame, frame.slice());
    expect(d.identical).toBe(true);
    expect(compact(d.ranges)).toEqual([`equal b0+${frame.length} a0+${frame.length}`]);
  });

  it('finds in-place rewrites (MAC swap)', () => {
    const after = frame.slice();
    after.set(frame.subarray(6, 12), 0);
    after.set(frame.subarray(0, 6), 6);
    const d = diffBytes(frame, after);
    // 02:00:00:00:00:02 vs :01 differ only in their last byte.
    expect(compact(d.ranges)).toEqual(['equal b0+5 a0+5', 'changed b5+1 a5+1', 'equal b6+5 a6+5', 'changed b11+1 a11+1', `equal b12+${frame.length - 12} a12+${frame.length - 12}`]);
    expect(d.changed).toBe(2);
  });

  it('aligns a head grow (encapsulation via bpf_xdp_adjust_head) as an insertion at 0', () => {
    const outer = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
    const after = new Uint8Array(frame.length + 20);
    after.set(outer);
    after.set(frame, 20);
    const d = diffBytes(frame, after);
    expect(compact(d.ranges)).toEqual(['inserted b0+0 a0+20', `equal b0+${frame.length} a20+${frame.length}`]);
    expect([d.inserted, d.removed, d.changed]).toEqual([20, 0, 0]);
  });

  it('aligns a head shrink (decapsulation) as a removal at 0, even with an edited rest', () => {
    const after = frame.slice(14);
    after[10] ^= 0xff;
    const d = diffBytes(frame, after);
    expect(compact(d.ranges)).toEqual(['removed b0+14 a0+0', 'equal b14+10 a0+10', 'changed b24+1 a10+1', `equal b25+${frame.length - 25} a11+${frame.length - 25}`]);
  });

  it('aligns tail trims and grows (bpf_xdp_adjust_tail)', () => {
    expect(compact(diffBytes(frame, frame.slice(0, frame.length - 4)).ranges)).toEqual([`equal b0+${frame.length - 4} a0+${frame.length - 4}`, `removed b${frame.length - 4}+4 a${frame.length - 4}+0`]);
    const grown = new Uint8Array(frame.length + 3);
    grown.set(frame);
    grown.set([1, 2, 3], frame.length);
    expect(compact(diffBytes(frame, grown).ranges)).toEqual([`equal b0+${frame.length} a0+${frame.length}`, `inserted b${frame.length}+0 a${frame.length}+3`]);
  });

  it('finds a VLAN tag pushed after the MAC addresses', () => {
    const tagged = build({ eth: ETH, vlan: [{ id: 5 }], ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, l4: { kind: 'udp', sport: 1234, dport: 53 }, payload: 'payload bytes here' });
    const d = diffBytes(frame, tagged);
    expect(compact(d.ranges)).toEqual(['equal b0+12 a0+12', 'inserted b12+0 a12+4', `equal b12+${frame.length - 12} a16+${frame.length - 12}`]);
    const back = diffBytes(tagged, frame);
    expect(compact(back.ranges)).toEqual(['equal b0+12 a0+12', 'removed b12+4 a12+0', `equal b16+${frame.length - 12} a12+${frame.length - 12}`]);
  });

  it('covers both sides completely for arbitrary inputs, including empty ones', () => {
    let seed = 99;
    const rnd = (n: number): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const cases: [Uint8Array, Uint8Array][] = [[new Uint8Array(0), new Uint8Array(0)], [new Uint8Array(0), frame], [frame, new Uint8Array(0)]];
    for (let i = 0; i < 200; i++) cases.push([Uint8Array.from({ length: rnd(80) }, () => rnd(4)), Uint8Array.from({ length: rnd(80) }, () => rnd(4))]);
    for (const [b, a] of cases) {
      const d = diffBytes(b, a);
      expectTiling(d.ranges, b.length, a.length);
      for (const r of d.ranges) {
        const bs = b.subarray(r.beforeOffset, r.beforeOffset + r.beforeLength);
        const as = a.subarray(r.afterOffset, r.afterOffset + r.afterLength);
        if (r.kind === 'equal') expect(bs).toEqual(as);
        if (r.kind === 'changed') for (let k = 0; k < bs.length; k++) expect(bs[k]).not.toBe(as[k]);
      }
      expect(d.identical).toBe(b.length === a.length && b.every((v, k) => v === a[k]));
    }
  });

  it('stays fast on jumbo frames', () => {
    const big = Uint8Array.from({ length: 9000 }, (_, i) => (i * 31) & 0xff);
    const after = new Uint8Array(9014);
    after.set(big, 14);
    const t0 = performance.now();
    const d = diffBytes(big, after);
    const ms = performance.now() - t0;
    expect(compact(d.ranges)).toEqual(['inserted b0+0 a0+14', 'equal b0+9000 a14+9000']);
    expect(ms).toBeLessThan(2000);
  });
});
