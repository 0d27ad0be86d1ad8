/**
 * What the parser produces: layers of named fields with their byte ranges,
 * like a packet analyzer's detail tree, so a hex view can highlight the
 * bytes of the field under the cursor.
 */

export type LayerKind =
  | 'ethernet'
  | 'vlan'
  | 'arp'
  | 'ipv4'
  | 'ipv6'
  | 'ipv6-ext'
  | 'tcp'
  | 'udp'
  | 'icmp'
  | 'icmpv6'
  | 'payload'
  | 'trailer';

export interface DecodedField {
  name: string;
  /** Display text, e.g. "IPv4 (0x0800)" or "0x26cd [correct]". */
  value: string;
  /** Absolute byte offset in the frame. */
  offset: number;
  /** Bytes covered (a bit field covers the bytes that hold it). */
  length: number;
  /** For bit fields: first bit (0 = most significant bit of the first byte) and width. */
  bits?: { start: number; length: number };
  children?: DecodedField[];
}

/**
 * correct/incorrect: verified; unverified: the data it covers is not all
 * here (truncated capture, IP fragment); absent: the sender opted out
 * (UDP over IPv4 with checksum 0).
 */
export type ChecksumStatus = 'correct' | 'incorrect' | 'unverified' | 'absent';

export interface ChecksumCheck {
  status: ChecksumStatus;
  /** The value in the packet. */
  value: number;
  /** The correct value, when it could be computed. */
  expected?: number;
}

export interface DecodedLayer {
  kind: LayerKind;
  /** One-line heading, e.g. "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2". */
  title: string;
  offset: number;
  length: number;
  fields: DecodedField[];
  checksum?: ChecksumCheck;
  /** The frame ended before this layer's header did. */
  truncated?: boolean;
}

export interface DecodedPacket {
  length: number;
  layers: DecodedLayer[];
  /** One line for a packet list, in the spirit of tcpdump's. */
  summary: string;
  /** Everything odd found while decoding, in frame order. */
  problems: string[];
}
