/**
 * Sample frames for runs until the packets panel lets users build their own.
 * Built by hand from the header layouts (Ethernet II, IPv4, UDP, ARP).
 */
export interface SamplePacket {
  id: string;
  label: string;
  hex: string;
}

/** Ethernet destination 02:00:00:00:00:02, source 02:00:00:00:00:01 */
const ETH_TO_FROM = '020000000002' + '020000000001';

export const SAMPLE_PACKETS: readonly SamplePacket[] = [
  {
    id: 'ipv4-udp',
    label: 'IPv4 / UDP 10.0.0.1:1234 → 10.0.0.2:53',
    hex:
      ETH_TO_FROM +
      '0800' + // EtherType IPv4
      '4500001e00004000401126cd0a0000010a000002' + // IPv4, 30 bytes total, TTL 64, UDP
      '04d20035000a0000' + // UDP 1234 -> 53, length 10
      '6869', // payload "hi"
  },
  {
    id: 'arp',
    label: 'ARP who-has 10.0.0.2',
    hex:
      'ffffffffffff020000000001' +
      '0806' + // EtherType ARP
      '0001080006040001' + // Ethernet/IPv4, request
      '0200000000010a000001' + // sender
      '0000000000000a000002', // target
  },
];

export const DEFAULT_PACKET_ID = 'ipv4-udp';

export function samplePacket(id: string): SamplePacket {
  return SAMPLE_PACKETS.find((p) => p.id === id) ?? SAMPLE_PACKETS[0];
}
