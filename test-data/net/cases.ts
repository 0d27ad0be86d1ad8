/**
 * Builder cases whose output was checked by an independent decoder:
 * generate.ts builds them into builder-cases.pcap, and tcpdump 4.99
 * (`tcpdump -r builder-cases.pcap -nn -vv -e -xx -tt`) decoded that file
 * into builder-cases.tcpdump.txt, reporting every checksum as correct except
 * where a case deliberately overrides one. Tests compare our builder and
 * parser against tcpdump's text.
 */
import { EXAMPLE_PACKETS } from '../../src/core/net/defaults.ts';
import type { PacketSpec } from '../../src/core/net/spec.ts';

export interface BuilderCase {
  name: string;
  spec: PacketSpec;
}

const ETH = { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' };

export const BUILDER_CASES: readonly BuilderCase[] = [
  ...EXAMPLE_PACKETS.map((e) => ({ name: e.id, spec: e.spec })),
  {
    name: 'ipv4-tcp-psh-ack-payload',
    spec: {
      eth: ETH,
      ip: { version: 4, src: '172.16.0.5', dst: '172.16.0.9', ttl: 57, id: 4321, tos: 0x10, flags: ['DF'] },
      l4: { kind: 'tcp', sport: 443, dport: 61000, seq: 3000000000, ack: 123456789, flags: ['PSH', 'ACK'], window: 501 },
      payload: 'GET / HTTP/1.1\r\n\r\n',
    },
  },
  {
    name: 'ipv6-tcp-syn',
    spec: { eth: ETH, ip: { version: 6, src: 'fe80::1', dst: 'fe80::2', hopLimit: 255, flowLabel: 0x12345, trafficClass: 0x20 }, l4: { kind: 'tcp', sport: 12345, dport: 22, seq: 7, flags: ['SYN'] } },
  },
  {
    name: 'ipv6-icmpv6-echo',
    spec: { eth: ETH, ip: { version: 6, src: '2001:db8::a', dst: '2001:db8::b' }, l4: { kind: 'icmpv6', type: 128, code: 0, id: 0x1234, seq: 5 }, payload: 'ping6' },
  },
  {
    name: 'qinq-ipv4-udp',
    spec: { eth: ETH, vlan: [{ id: 10, pcp: 3 }, { id: 20, dei: true }], ip: { version: 4, src: '10.1.1.1', dst: '10.2.2.2' }, l4: { kind: 'udp', sport: 7, dport: 7 }, payload: 'echo' },
  },
  {
    name: 'ipv4-options-udp-odd-payload',
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', options: Uint8Array.from([0x94, 0x04, 0x00, 0x00]) }, l4: { kind: 'udp', sport: 9, dport: 9 }, payload: 'odd' },
  },
  {
    name: 'ipv4-udp-bad-checksums',
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', checksum: 0xbeef }, l4: { kind: 'udp', sport: 1000, dport: 2000, checksum: 0x1234 }, payload: 'x' },
  },
  {
    name: 'ipv4-udp-no-checksum-padded',
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, l4: { kind: 'udp', sport: 1000, dport: 2000, checksum: 0 }, payload: 'x', padTo: 60 },
  },
  {
    name: 'ipv4-icmp-dest-unreach',
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.254', dst: '10.0.0.1', ttl: 255 }, l4: { kind: 'icmp', type: 3, code: 3 }, payload: new Uint8Array(28) },
  },
  {
    name: 'arp-reply',
    spec: { eth: ETH, arp: { op: 2, senderMac: '02:00:00:00:00:01', senderIp: '10.0.0.1', targetMac: '02:00:00:00:00:02', targetIp: '10.0.0.2' }, padTo: 60 },
  },
];
