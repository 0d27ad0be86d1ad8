import { describe, expect, it } from 'vitest';
import { readTcpdumpText } from '../../../test-data/net/tcpdump-text.ts';
import { buildPacket } from './build.ts';
import type { DecodedLayer, DecodedPacket } from './decoded.ts';
import { parseHexBytes } from './hex.ts';
import { parsePacket } from './parse.ts';
import type { PacketSpec } from './spec.ts';

/** The frames as tcpdump printed them (-xx), with tcpdump's decoding beside them. */
const records = readTcpdumpText('builder-cases.tcpdump.txt').map((r) => {
  const bytes = parseHexBytes(r.hex);
  if (!bytes.ok) throw new Error(bytes.error);
  return { text: r.text, bytes: bytes.value, decoded: parsePacket(bytes.value) };
});

function layer(p: DecodedPacket, kind: DecodedLayer['kind']): DecodedLayer {
  const l = p.layers.find((x) => x.kind === kind);
  if (!l) throw new Error(`no ${kind} layer in ${p.layers.map((x) => x.kind).join(',')}`);
  return l;
}

function field(l: DecodedLayer, name: string): string {
  const f = l.fields.find((x) => x.name === name);
  if (!f) throw new Error(`no field ${name} in ${l.kind}`);
  return f.value;
}

function build(spec: PacketSpec): Uint8Array {
  const r = buildPacket(spec);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe('parsePacket agrees with tcpdump 4.99 on every golden frame', () => {
  it.each(records.map((r, i) => [i, r.text.slice(0, 60)] as const))('frame %i', (i) => {
    const { text, decoded, bytes } = records[i];
    const eth = layer(decoded, 'ethernet');
    const [, src, dst] = /^\S+ (\S+) > (\S+),/.exec(text) ?? [];
    expect(field(eth, 'Source')).toBe(src);
    expect(field(eth, 'Destination').split(' ')[0]).toBe(dst);
    expect(text).toContain(`length ${bytes.length}:`);

    const vlans = [...text.matchAll(/vlan (\d+), p (\d+)/g)].map((m) => `ID: ${m[1]}`);
    expect(decoded.layers.filter((l) => l.kind === 'vlan').map((l) => /ID: \d+/.exec(l.title)?.[0])).toEqual(vlans);

    const v4 = /ttl (\d+), id (\d+), offset \d+, flags \[[^\]]*\], proto \w+ \((\d+)\), length (\d+)/.exec(text);
    if (v4) {
      const ip = layer(decoded, 'ipv4');
      expect(field(ip, 'Time to Live')).toBe(v4[1]);
      expect(field(ip, 'Identification')).toMatch(new RegExp(`\\(${v4[2]}\\)$`));
      expect(field(ip, 'Protocol')).toMatch(new RegExp(`\\(${v4[3]}\\)$`));
      expect(field(ip, 'Total Length')).toBe(v4[4]);
      const bad = /bad cksum ([0-9a-f]+) \(->([0-9a-f]+)\)!/.exec(text);
      if (bad) expect(ip.checksum).toEqual({ status: 'incorrect', value: parseInt(bad[1], 16), expected: parseInt(bad[2], 16) });
      else expect(ip.checksum?.status).toBe('correct');
    }
    const v6 = /hlim (\d+), next-header \w+ \((\d+)\) payload length: (\d+)\) (\S+?)(?:\.\d+)? > (\S+?)(?:\.\d+)?: /.exec(text);
    if (v6) {
      const ip = layer(decoded, 'ipv6');
      expect(field(ip, 'Hop Limit')).toBe(v6[1]);
      expect(field(ip, 'Next Header')).toMatch(new RegExp(`\\(${v6[2]}\\)$`));
      expect(field(ip, 'Payload Length')).toBe(v6[3]);
      expect(field(ip, 'Source Address')).toBe(v6[4]);
      expect(field(ip, 'Destination Address')).toBe(v6[5]);
    }
    const ports = /(\S+)\.(\d+) > (\S+)\.(\d+): /.exec(text.replace(/^.*?\) (?=[0-9a-f:.]+\.\d+ > )/, ''));
    const l4 = decoded.layers.find((l) => l.kind === 'tcp' || l.kind === 'udp');
    if (l4 && ports) {
      expect(field(l4, 'Source Port')).toBe(ports[2]);
      expect(field(l4, 'Destination Port')).toBe(ports[4]);
      expect(decoded.summary).toContain(`${ports[1]}.${ports[2]} > ${ports[3]}.${ports[4]}: `);
    }
    const udpBad = /\[bad udp cksum 0x([0-9a-f]+) -> 0x([0-9a-f]+)!\]/.exec(text);
    if (udpBad) expect(layer(decoded, 'udp').checksum).toEqual({ status: 'incorrect', value: parseInt(udpBad[1], 16), expected: parseInt(udpBad[2], 16) });
    if (text.includes('[udp sum ok]')) expect(layer(decoded, 'udp').checksum?.status).toBe('correct');
    if (text.includes('[no cksum]')) expect(layer(decoded, 'udp').checksum?.status).toBe('absent');
    const tcpSum = /cksum 0x([0-9a-f]{4}) \(correct\)/.exec(text);
    if (tcpSum) expect(layer(decoded, 'tcp').checksum).toEqual({ status: 'correct', value: parseInt(tcpSum[1], 16) });
    if (text.includes('[icmp6 sum ok]')) expect(layer(decoded, 'icmpv6').checksum?.status).toBe('correct');
    if (text.includes('ICMP echo request')) expect(layer(decoded, 'icmp').checksum?.status).toBe('correct');
    const tcpFlags = /Flags \[([^\]]+)\], cksum/.exec(text);
    if (tcpFlags) expect(decoded.summary).toContain(`Flags [${tcpFlags[1]}]`);
    const arp = /(Request who-has \S+ tell \S+|Reply \S+ is-at \S+)/.exec(text);
    if (arp) expect(decoded.summary).toContain(arp[1].replace(/,$/, ''));
    // Bytes beyond the datagram (Ethernet padding) are a trailer, not payload.
    const ipLen = v4 ? Number(v4[4]) : null;
    if (ipLen !== null && bytes.length > 14 + 4 * vlans.length + ipLen) expect(decoded.layers.at(-1)?.kind).toBe('trailer');
    expect(decoded.problems.length > 0).toBe(/bad/.test(text));
  });
});

describe('parsePacket structure', () => {
  const syn = records[2].decoded;

  it('gives every field a byte range inside its layer, and layers tile the frame', () => {
    for (const { decoded, bytes } of records) {
      let at = 0;
      for (const l of decoded.layers) {
        expect(l.offset).toBe(at);
        at += l.length;
        for (const f of l.fields) {
          expect(f.offset).toBeGreaterThanOrEqual(l.offset);
          expect(f.offset + f.length).toBeLessThanOrEqual(l.offset + l.length);
        }
      }
      expect(at).toBe(bytes.length);
    }
  });

  it('decodes TCP flags and options as children with their bytes', () => {
    const tcp = layer(syn, 'tcp');
    const flags = tcp.fields.find((f) => f.name === 'Flags');
    expect(flags?.value).toBe('0x002 (SYN)');
    expect(flags?.children?.find((c) => c.name === 'SYN')?.value).toBe('Set');
    const options = tcp.fields.find((f) => f.name === 'Options')?.children ?? [];
    expect(options.map((o) => `${o.name}=${o.value}`)).toEqual([
      'Maximum segment size=1460',
      'SACK permitted=2 bytes',
      'No-Operation (NOP)=',
      'Window scale=shift 7 (multiply by 128)',
      'End of Option List=2 bytes',
    ]);
    expect(options[0].offset).toBe(54);
  });

  it('marks an IPv4 fragment checksum unverified and leaves later fragments undecoded', () => {
    const first = parsePacket(build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, ip: { version: 4, src: '1.1.1.1', dst: '2.2.2.2', flags: ['MF'] }, l4: { kind: 'udp', sport: 1, dport: 2 }, payload: 'abcdefgh' }));
    expect(layer(first, 'udp').checksum?.status).toBe('unverified');
    const later = parsePacket(build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, ip: { version: 4, src: '1.1.1.1', dst: '2.2.2.2', fragOffset: 2, protocol: 17 }, payload: 'abcdefgh' }));
    expect(later.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4', 'payload']);
    expect(later.summary).toContain('fragment at offset 16');
  });

  it('walks IPv6 extension headers and still verifies the transport checksum', () => {
    const base = build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' }, ip: { version: 6, src: '2001:db8::1', dst: '2001:db8::2' }, l4: { kind: 'udp', sport: 53, dport: 53 }, payload: 'q' });
    // Splice in a Hop-by-Hop header (next header UDP, 8 bytes, PadN) after the IPv6 header.
    const frame = new Uint8Array(base.length + 8);
    frame.set(base.subarray(0, 54));
    frame.set([17, 0, 1, 4, 0, 0, 0, 0], 54);
    frame.set(base.subarray(54), 62);
    frame[20] = 0; // next header: Hop-by-Hop
    frame[19] += 8; // payload length
    const p = parsePacket(frame);
    expect(p.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv6', 'ipv6-ext', 'udp', 'payload']);
    expect(p.layers[2].title).toBe('IPv6 Hop-by-Hop Option');
    expect(layer(p, 'udp').checksum?.status).toBe('correct');
    expect(p.problems).toEqual([]);
  });

  it('reports a frame cut inside a header as truncated, and a short datagram as unverifiable', () => {
    const udp = records[0].bytes;
    const cut = parsePacket(udp.subarray(0, 38));
    expect(cut.layers.at(-1)).toMatchObject({ kind: 'udp', truncated: true });
    expect(cut.problems.join('\n')).toContain('IPv4 total length 50 is more than the 24 bytes present');
    expect(cut.problems.join('\n')).toContain('UDP header truncated: only 4 bytes present before the frame ends');
    const short = parsePacket(udp.subarray(0, 50));
    expect(layer(short, 'udp').checksum?.status).toBe('unverified');
  });

  it('treats unknown EtherTypes and 802.3 length frames as payload', () => {
    const unknown = parsePacket(build({ eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x88b5 }, payload: 'hi' }));
    expect(unknown.layers.map((l) => l.kind)).toEqual(['ethernet', 'payload']);
    expect(unknown.layers[1].fields[0].value).toBe('2 bytes: 6869 "hi"');
    const llc = parsePacket(build({ eth: { src: '02:00:00:00:00:01', dst: '01:80:c2:00:00:00', type: 3 }, payload: Uint8Array.from([0x42, 0x42, 0x03]) }));
    expect(llc.layers[0].title).toMatch(/^IEEE 802.3 Ethernet/);
    expect(field(llc.layers[0], 'Destination')).toBe('01:80:c2:00:00:00 (multicast)');
  });

  it('never throws and stays in bounds on every prefix of every golden frame and on random bytes', () => {
    const check = (bytes: Uint8Array): void => {
      const p = parsePacket(bytes);
      expect(p.length).toBe(bytes.length);
      for (const l of p.layers) {
        expect(l.offset + l.length).toBeLessThanOrEqual(bytes.length);
        for (const f of l.fields) expect(f.offset + f.length).toBeLessThanOrEqual(bytes.length);
      }
      expect(p.problems.every((x) => !x.startsWith('internal'))).toBe(true);
    };
    for (const { bytes } of records) for (let n = 0; n <= bytes.length; n++) check(bytes.subarray(0, n));
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000;
    for (let i = 0; i < 3000; i++) {
      const template = records[i % records.length].bytes;
      const bytes = Uint8Array.from(template.subarray(0, Math.floor(rnd() * (template.length + 8))));
      // Corrupt a few bytes, keeping the start plausible so the deep decoders get exercised.
      for (let k = 0; k < 3; k++) if (bytes.length) bytes[Math.floor(rnd() * bytes.length)] = Math.floor(rnd() * 256);
      check(bytes);
    }
  });
});
