import { describe, expect, it } from 'vitest';
import { BUILDER_CASES } from '../../../test-data/net/cases.ts';
import { readTcpdumpText } from '../../../test-data/net/tcpdump-text.ts';
import { buildPacket } from './build.ts';
import { toHex } from './hex.ts';
import type { PacketSpec } from './spec.ts';

const ETH = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };
const records = readTcpdumpText('builder-cases.tcpdump.txt');

function build(spec: PacketSpec): Uint8Array {
  const r = buildPacket(spec);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('buildPacket against tcpdump 4.99 (builder-cases.tcpdump.txt)', () => {
  it('has one tcpdump record per case', () => {
    expect(records.length).toBe(BUILDER_CASES.length);
  });

  // tcpdump verified these bytes; this pins the builder to them.
  it.each(BUILDER_CASES.map((c, i) => [c.name, i] as const))('%s builds the bytes tcpdump decoded', (_name, i) => {
    expect(toHex(build(BUILDER_CASES[i].spec))).toBe(records[i].hex);
  });

  it('produces checksums tcpdump calls correct, and only the deliberate bad ones wrong', () => {
    BUILDER_CASES.forEach((c, i) => {
      const t = records[i].text;
      if (c.name === 'ipv4-udp-bad-checksums') {
        expect(t).toContain('bad cksum beef (->66ce)!');
        expect(t).toContain('[bad udp cksum 0x1234 -> 0x6821!]');
        return;
      }
      expect(t, c.name).not.toMatch(/bad|wrong/i);
      const l4 = c.spec.l4;
      if (c.name === 'ipv4-udp-no-checksum-padded') expect(t).toContain('[no cksum]');
      else if (l4?.kind === 'udp') expect(t).toContain('[udp sum ok]');
      if (l4?.kind === 'tcp') expect(t).toMatch(/cksum 0x[0-9a-f]{4} \(correct\)/);
      if (l4?.kind === 'icmpv6') expect(t).toContain('[icmp6 sum ok]');
    });
  });

  it('writes the fields the spec asks for, as tcpdump reads them', () => {
    const text = (name: string): string => records[BUILDER_CASES.findIndex((c) => c.name === name)].text;
    expect(text('ipv4-tcp-psh-ack-payload')).toContain('(tos 0x10, ttl 57, id 4321, offset 0, flags [DF], proto TCP (6), length 58)');
    expect(text('ipv4-tcp-psh-ack-payload')).toContain('172.16.0.5.443 > 172.16.0.9.61000: Flags [P.]');
    expect(text('ipv4-tcp-psh-ack-payload')).toContain('seq 3000000000:3000000018, ack 123456789, win 501, length 18');
    expect(text('ipv6-tcp-syn')).toContain('(class 0x20, flowlabel 0x12345, hlim 255, next-header TCP (6) payload length: 20) fe80::1.12345 > fe80::2.22: Flags [S]');
    expect(text('qinq-ipv4-udp')).toContain('ethertype 802.1Q-QinQ (0x88a8), length 54: vlan 10, p 3, ethertype 802.1Q (0x8100), vlan 20, p 0, DEI, ethertype IPv4');
    expect(text('ipv4-options-udp-odd-payload')).toContain('length 35, options (RA)');
    expect(text('vlan-ipv4-icmp-echo')).toContain('ICMP echo request, id 1, seq 1, length 40');
    expect(text('arp-request')).toContain('Request who-has 10.0.0.2 tell 10.0.0.1, length 28');
    expect(text('arp-reply')).toContain('Reply 10.0.0.1 is-at 02:00:00:00:00:01');
    expect(text('ipv4-udp-dns')).toContain('4660+ A? example.com.');
    expect(text('ipv4-tcp-syn')).toContain('options [mss 1460,sackOK,nop,wscale 7,eol]');
  });
});

describe('buildPacket details', () => {
  it('sends a computed UDP checksum of 0 as 0xffff', () => {
    // Search a payload whose checksum comes out 0: vary 2 payload bytes.
    for (let v = 0; v < 0x10000; v++) {
      const bytes = build({ eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, l4: { kind: 'udp', sport: 1, dport: 2 }, payload: Uint8Array.from([v >> 8, v & 0xff]) });
      if (bytes[40] === 0xff && bytes[41] === 0xff) return;
    }
    throw new Error('no payload produced a 0xffff checksum');
  });

  it('defaults: no VLAN, ttl 64, TCP SYN with window 8192, padding only when asked', () => {
    const b = build({ eth: ETH, ip: { version: 4, src: '1.2.3.4', dst: '5.6.7.8' }, l4: { kind: 'tcp', sport: 1, dport: 2 } });
    expect(b.length).toBe(54);
    expect(b[22]).toBe(64);
    expect(b[47]).toBe(0x02);
    expect((b[48] << 8) | b[49]).toBe(8192);
    const padded = build({ eth: ETH, ip: { version: 4, src: '1.2.3.4', dst: '5.6.7.8' }, l4: { kind: 'tcp', sport: 1, dport: 2 }, padTo: 60 });
    expect(padded.length).toBe(60);
    expect(padded.subarray(54).every((x) => x === 0)).toBe(true);
  });

  it('accepts TCP flags as a Set as well as a list', () => {
    const base = { eth: ETH, ip: { version: 4, src: '1.2.3.4', dst: '5.6.7.8' } } as const;
    const fromSet = build({ ...base, l4: { kind: 'tcp', sport: 1, dport: 2, flags: new Set(['SYN', 'ACK'] as const) } });
    expect(fromSet[47]).toBe(0x12);
    expect(build({ ...base, l4: { kind: 'tcp', sport: 1, dport: 2, flags: [] } })[47]).toBe(0);
  });

  it('writes a raw EtherType payload and raw IP protocols', () => {
    const raw = build({ eth: { ...ETH, type: 0x88b5 }, payload: 'abc' });
    expect(toHex(raw.subarray(12))).toBe('88b5616263');
    const gre = build({ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '2.2.2.2' }, l4: { kind: 'raw', protocol: 47, bytes: Uint8Array.from([0, 0, 8, 0]) } });
    expect(gre[23]).toBe(47);
    expect(toHex(gre.subarray(34))).toBe('00000800');
  });

  it('honours length overrides', () => {
    const b = build({ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '2.2.2.2', totalLength: 1000 }, l4: { kind: 'udp', sport: 1, dport: 2, length: 3 } });
    expect((b[16] << 8) | b[17]).toBe(1000);
    expect((b[38] << 8) | b[39]).toBe(3);
  });

  it.each([
    [{ eth: ETH, ip: { version: 4, src: '10.0.0.300', dst: '1.1.1.1' }, l4: { kind: 'udp', sport: 1, dport: 2 } }, "ipv4 src '10.0.0.300' is not an IPv4 address"],
    [{ eth: { ...ETH, dst: 'zz' }, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' } }, "eth dst 'zz' is not a MAC address (expected aa:bb:cc:dd:ee:ff)"],
    [{ eth: ETH, ip: { version: 6, src: '1.1.1.1', dst: '::1' }, l4: { kind: 'udp', sport: 1, dport: 2 } }, "ipv6 src '1.1.1.1' is not an IPv6 address"],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'tcp', sport: 70000, dport: 2 } }, 'tcp sport 70000 is out of range 0..65535'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'tcp', sport: 1, dport: 2, flags: ['SYN', 'XMAS'] } }, 'tcp flag "XMAS" is not one of FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1', ttl: 1.5 }, l4: { kind: 'udp', sport: 1, dport: 2 } }, 'ipv4 ttl 1.5 is not an integer'],
    [{ eth: ETH, vlan: [{ id: 4096 }], ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'udp', sport: 1, dport: 2 } }, 'vlan id 4096 is out of range 0..4095'],
    [{ eth: ETH, vlan: [{ id: 1 }, { id: 2 }, { id: 3 }], ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' } }, 'vlan has 3 tags; at most 2 (QinQ) are supported'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' } }, 'ipv4 protocol is required when there is no l4 layer'],
    [{ eth: ETH, l4: { kind: 'udp', sport: 1, dport: 2 } }, "l4 'udp' needs an ip layer"],
    [{ eth: ETH }, 'eth type is required when there is no ip or arp layer'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'icmpv6', type: 128, code: 0 } }, 'icmpv6 needs an IPv6 layer (use kind "icmp" over IPv4)'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1', options: new Uint8Array(41) }, l4: { kind: 'udp', sport: 1, dport: 2 } }, 'ipv4 options are 41 bytes; at most 40 fit in the header'],
    [{ eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'udp', sport: 1, dport: 2 }, payload: new Uint8Array(65600) }, 'udp datagram of 65608 bytes does not fit the 16-bit length field'],
  ] as [PacketSpec, string][])('rejects bad input with a clear message: %#', (spec, message) => {
    expect(buildPacket(spec)).toEqual({ ok: false, error: message });
  });

  it('never throws on malformed specs (as from a corrupted share link)', () => {
    const junk: unknown[] = [null, 42, 'x', {}, { eth: null }, { eth: {} }, { eth: ETH, ip: { version: 5 } }, { eth: ETH, ip: {} }, { eth: ETH, ip: { version: 4 }, l4: {} },
      { eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1' }, l4: { kind: 'nope' } }, { eth: ETH, vlan: 'x', ip: null }, { eth: ETH, vlan: [null] , arp: {} },
      { eth: ETH, ip: { version: 4, src: '1.1.1.1', dst: '1.1.1.1', flags: 'DF' }, l4: { kind: 'tcp', sport: 1, dport: 1, flags: 'SYN', options: [1, 2] } },
      { eth: ETH, ip: { version: 6, src: {}, dst: [] }, l4: { kind: 'raw', protocol: 1, bytes: 'x' } }, { eth: ETH, payload: 12 }, { eth: { ...ETH, type: 0x800 }, trailer: 'x' }];
    for (const spec of junk) {
      const r = buildPacket(spec as PacketSpec);
      expect(r.ok, JSON.stringify(spec)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(5);
    }
  });
});
