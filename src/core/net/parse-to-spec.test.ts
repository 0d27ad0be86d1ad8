import { describe, expect, it } from 'vitest';
import { BUILDER_CASES } from '../../../test-data/net/cases.ts';
import { readData } from '../../../test-data/net/tcpdump-text.ts';
import { buildPacket } from './build.ts';
import { toHex } from './hex.ts';
import { parseToSpec } from './parse-to-spec.ts';
import { readCapture } from './pcap.ts';
import type { PacketSpec } from './spec.ts';

function build(spec: PacketSpec): Uint8Array {
  const r = buildPacket(spec);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const capture = readCapture(readData('tcpdump-usec.pcap'));
if (!capture.ok) throw new Error(capture.error);
const frames = capture.value.packets.map((p) => p.data);

describe('parseToSpec', () => {
  it.each(BUILDER_CASES.map((c, i) => [c.name, i] as const))('recovers an editable spec for %s that rebuilds the frame exactly', (_name, i) => {
    const r = parseToSpec(frames[i]);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.fallbackReason).toBeUndefined();
    expect(toHex(build(r.value.spec))).toBe(toHex(frames[i]));
  });

  it('recovers the fields a user set, without spurious overrides', () => {
    const psh = parseToSpec(frames[BUILDER_CASES.findIndex((c) => c.name === 'ipv4-tcp-psh-ack-payload')]);
    expect(psh.ok && psh.value.spec).toEqual({
      eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' },
      ip: { version: 4, src: '172.16.0.5', dst: '172.16.0.9', ttl: 57, id: 4321, tos: 0x10, flags: ['DF'] },
      l4: { kind: 'tcp', sport: 443, dport: 61000, seq: 3000000000, ack: 123456789, flags: ['PSH', 'ACK'], window: 501 },
      payload: new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
    });
    const bad = parseToSpec(frames[BUILDER_CASES.findIndex((c) => c.name === 'ipv4-udp-bad-checksums')]);
    expect(bad.ok && bad.value.spec.ip).toMatchObject({ checksum: 0xbeef });
    expect(bad.ok && bad.value.spec.l4).toMatchObject({ kind: 'udp', checksum: 0x1234 });
    const padded = parseToSpec(frames[BUILDER_CASES.findIndex((c) => c.name === 'ipv4-udp-no-checksum-padded')]);
    expect(padded.ok && padded.value.spec).toMatchObject({ padTo: 60, l4: { checksum: 0 } });
    const qinq = parseToSpec(frames[BUILDER_CASES.findIndex((c) => c.name === 'qinq-ipv4-udp')]);
    expect(qinq.ok && qinq.value.spec.vlan).toEqual([{ id: 10, pcp: 3 }, { id: 20, dei: true }]);
  });

  it('keeps IPv6 extension headers as a raw layer', () => {
    const base = build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, ip: { version: 6, src: '2001:db8::1', dst: '2001:db8::2' }, l4: { kind: 'udp', sport: 53, dport: 53 }, payload: 'q' });
    const frame = new Uint8Array(base.length + 8);
    frame.set(base.subarray(0, 54));
    frame.set([17, 0, 1, 4, 0, 0, 0, 0], 54);
    frame.set(base.subarray(54), 62);
    frame[20] = 0;
    frame[19] += 8;
    const r = parseToSpec(frame);
    if (!r.ok) throw new Error(r.error);
    expect(r.value.spec.l4).toMatchObject({ kind: 'raw', protocol: 0 });
    expect(toHex(build(r.value.spec))).toBe(toHex(frame));
  });

  it('falls back to Ethernet + raw payload, saying why, when upper layers do not fit the builder', () => {
    const frame = build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, ip: { version: 4, src: '1.1.1.1', dst: '2.2.2.2' }, l4: { kind: 'tcp', sport: 1, dport: 2 } });
    frame[46] |= 0x0e; // reserved TCP bits the builder cannot set
    const r = parseToSpec(frame);
    expect(r.ok && r.value.fallbackReason).toBe('TCP reserved bits are set');
    expect(r.ok && r.value.spec.eth.type).toBe(0x0800);
    expect(r.ok && toHex(build(r.value.spec))).toBe(toHex(frame));
  });

  it('refuses truncated frames with a reason', () => {
    expect(parseToSpec(frames[0].subarray(0, 30))).toEqual({ ok: false, error: 'the frame is truncated in Internet Protocol Version 4; the builder cannot express it' });
    expect(parseToSpec(new Uint8Array(5)).ok).toBe(false);
  });
});
