/**
 * Named example packets for the Packets panel, described as PacketSpecs and
 * built through the builder (so they always carry correct checksums).
 */
import { buildPacket } from './build.ts';
import type { NetResult } from './result.ts';
import { fail } from './result.ts';
import type { PacketSpec } from './spec.ts';

export interface ExamplePacket {
  id: string;
  label: string;
  spec: PacketSpec;
}

const HOST_A = '02:00:00:00:00:01';
const HOST_B = '02:00:00:00:00:02';
const ETH = { src: HOST_A, dst: HOST_B };

/** A minimal DNS query for example.com, type A (RFC 1035 wire format). */
const DNS_QUERY = Uint8Array.from([
  0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // id, RD, 1 question
  7, ...Array.from('example', (c) => c.charCodeAt(0)), 3, ...Array.from('com', (c) => c.charCodeAt(0)), 0,
  0x00, 0x01, 0x00, 0x01, // QTYPE A, QCLASS IN
]);

export const EXAMPLE_PACKETS: readonly ExamplePacket[] = [
  {
    id: 'eth-ipv4-udp-64',
    label: 'Ethernet / IPv4 / UDP, 64 bytes',
    // 14 + 20 + 8 + 22 bytes of payload = 64
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' }, l4: { kind: 'udp', sport: 1234, dport: 5678 }, payload: new Uint8Array(22) },
  },
  {
    id: 'ipv4-udp-dns',
    label: 'IPv4 / UDP DNS query to port 53',
    spec: { eth: ETH, ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.53', id: 0x1c46, flags: ['DF'] }, l4: { kind: 'udp', sport: 40000, dport: 53 }, payload: DNS_QUERY },
  },
  {
    id: 'ipv4-tcp-syn',
    label: 'IPv4 / TCP SYN to port 80',
    spec: {
      eth: ETH,
      ip: { version: 4, src: '192.168.1.10', dst: '192.168.1.20', flags: ['DF'] },
      // MSS 1460, SACK permitted, window scale 7: what a Linux SYN advertises.
      l4: { kind: 'tcp', sport: 51000, dport: 80, seq: 1000, flags: ['SYN'], window: 64240, options: Uint8Array.from([2, 4, 0x05, 0xb4, 4, 2, 1, 3, 3, 7]) },
    },
  },
  {
    id: 'ipv6-udp',
    label: 'IPv6 / UDP',
    spec: { eth: ETH, ip: { version: 6, src: '2001:db8::1', dst: '2001:db8::2' }, l4: { kind: 'udp', sport: 1234, dport: 4242 }, payload: 'hello over IPv6' },
  },
  {
    id: 'arp-request',
    label: 'ARP who-has 10.0.0.2',
    spec: { eth: { src: HOST_A, dst: 'ff:ff:ff:ff:ff:ff' }, arp: { op: 1, senderMac: HOST_A, senderIp: '10.0.0.1', targetIp: '10.0.0.2' } },
  },
  {
    id: 'vlan-ipv4-icmp-echo',
    label: 'VLAN 100 / IPv4 / ICMP echo request',
    spec: {
      eth: ETH,
      vlan: [{ id: 100 }],
      ip: { version: 4, src: '10.0.0.1', dst: '10.0.0.2' },
      l4: { kind: 'icmp', type: 8, code: 0, id: 1, seq: 1 },
      payload: 'abcdefghijklmnopqrstuvwabcdefghi',
    },
  },
];

export const DEFAULT_EXAMPLE_ID = 'eth-ipv4-udp-64';

export function findExample(id: string): ExamplePacket | undefined {
  return EXAMPLE_PACKETS.find((p) => p.id === id);
}

export function buildExample(id: string): NetResult<Uint8Array> {
  const example = findExample(id);
  return example ? buildPacket(example.spec) : fail(`no example packet named '${id}'`);
}
