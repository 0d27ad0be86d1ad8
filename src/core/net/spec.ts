/**
 * PacketSpec: the typed packet description the Packets panel edits and the
 * builder turns into bytes. Plain data (structured-clone safe) so it can
 * cross the worker boundary and live in a share link.
 *
 * Fields marked "override" exist so a learner can craft a deliberately bad
 * packet (wrong checksum, lying length) to see how a program copes; left
 * out, the builder computes the correct value.
 */

export interface EthSpec {
  /** 'aa:bb:cc:dd:ee:ff' */
  src: string;
  dst: string;
  /**
   * EtherType of what follows the Ethernet header and any VLAN tags.
   * Defaults from the next layer (IPv4 0x0800, IPv6 0x86dd, ARP 0x0806);
   * required when there is no ip/arp layer.
   */
  type?: number;
}

/** One 802.1Q tag. Two tags make QinQ: vlan[0] is the outer (service) tag. */
export interface VlanSpec {
  /** VLAN id 0..4095 */
  id: number;
  /** Priority code point 0..7, default 0 */
  pcp?: number;
  /** Drop eligible indicator, default false */
  dei?: boolean;
  /** Tag protocol id; default 0x8100, or 0x88a8 for the outer tag of two. */
  tpid?: number;
}

export type Ipv4Flag = 'DF' | 'MF' | 'RESERVED';

export interface Ipv4Spec {
  version: 4;
  src: string;
  dst: string;
  /** default 64 */
  ttl?: number;
  /** Type of service / DSCP+ECN byte, default 0 */
  tos?: number;
  /** Identification, default 0 */
  id?: number;
  /** default none */
  flags?: readonly Ipv4Flag[];
  /** In 8-byte units, 0..8191, default 0 */
  fragOffset?: number;
  /** Defaults from l4 (TCP 6, UDP 17, ICMP 1, raw: its protocol). */
  protocol?: number;
  /** Raw option bytes; padded with zeros (End of Option List) to a multiple of 4, at most 40. */
  options?: Uint8Array;
  /** override: Total Length */
  totalLength?: number;
  /** override: Header Checksum */
  checksum?: number;
}

export interface Ipv6Spec {
  version: 6;
  src: string;
  dst: string;
  /** default 64 */
  hopLimit?: number;
  /** 20 bits, default 0 */
  flowLabel?: number;
  /** default 0 */
  trafficClass?: number;
  /** Defaults from l4 (TCP 6, UDP 17, ICMPv6 58, raw: its protocol). */
  nextHeader?: number;
  /** override: Payload Length */
  payloadLength?: number;
}

export type IpSpec = Ipv4Spec | Ipv6Spec;

/** Ethernet/IPv4 ARP (RFC 826). */
export interface ArpSpec {
  /** 1 request, 2 reply; default 1 */
  op?: number;
  senderMac: string;
  senderIp: string;
  /** default 00:00:00:00:00:00 (unknown, as in a request) */
  targetMac?: string;
  targetIp: string;
}

export const TCP_FLAGS = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR', 'AE'] as const;
export type TcpFlag = (typeof TCP_FLAGS)[number];

export interface TcpSpec {
  kind: 'tcp';
  sport: number;
  dport: number;
  /** default 0 */
  seq?: number;
  /** default 0 */
  ack?: number;
  /** default ['SYN'] (as Scapy), [] for none; a list or a Set */
  flags?: readonly TcpFlag[] | ReadonlySet<TcpFlag>;
  /** default 8192 */
  window?: number;
  /** default 0 */
  urgent?: number;
  /** Raw option bytes; padded with zeros to a multiple of 4, at most 40. */
  options?: Uint8Array;
  /** override */
  checksum?: number;
}

export interface UdpSpec {
  kind: 'udp';
  sport: number;
  dport: number;
  /** override: Length */
  length?: number;
  /** override; 0 means "no checksum" over IPv4 */
  checksum?: number;
}

/**
 * ICMP and ICMPv6 share a layout: type, code, checksum, then 4 bytes that
 * echo messages use as identifier + sequence number (and other types as
 * "rest of header": unused, pointer, MTU...). id/seq write those halves.
 */
export interface IcmpSpec {
  kind: 'icmp';
  type: number;
  code: number;
  id?: number;
  seq?: number;
  /** override */
  checksum?: number;
}

export interface Icmpv6Spec {
  kind: 'icmpv6';
  type: number;
  code: number;
  id?: number;
  seq?: number;
  /** override */
  checksum?: number;
}

/** Any other IP protocol: its header bytes are given verbatim, the payload follows. */
export interface RawL4Spec {
  kind: 'raw';
  protocol: number;
  bytes: Uint8Array;
}

export type L4Spec = TcpSpec | UdpSpec | IcmpSpec | Icmpv6Spec | RawL4Spec;

export interface PacketSpec {
  eth: EthSpec;
  vlan?: readonly VlanSpec[];
  /** An IP layer; leave out for ARP or a raw EtherType payload. */
  ip?: IpSpec;
  arp?: ArpSpec;
  /** Needs ip; when left out the payload directly follows the IP header. */
  l4?: L4Spec;
  /** Bytes, or text encoded as UTF-8. */
  payload?: Uint8Array | string;
  /** Bytes after the IP datagram (or ARP body) that are not part of it, e.g. an Ethernet trailer. */
  trailer?: Uint8Array;
  /** Pad the frame with zeros up to this many bytes (60 is the Ethernet minimum without FCS). */
  padTo?: number;
}
