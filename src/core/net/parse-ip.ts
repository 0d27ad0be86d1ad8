/** Decoders for the IPv4 header, the IPv6 header and IPv6 extension headers. */
import { formatIpv4, formatIpv6 } from './addr.ts';
import { internetChecksum, sumWords, finishChecksum } from './checksum.ts';
import { hex, ipProtocolName } from './constants.ts';
import type { ChecksumCheck } from './decoded.ts';
import type { LayerReader } from './parse-reader.ts';
import { bitChild } from './parse-reader.ts';

export function protocolText(proto: number): string {
  return `${ipProtocolName(proto)} (${proto})`;
}

export function checksumText(check: ChecksumCheck): string {
  const v = hex(check.value, 4);
  switch (check.status) {
    case 'correct':
      return `${v} [correct]`;
    case 'incorrect':
      return check.expected !== undefined ? `${v} [incorrect, should be ${hex(check.expected, 4)}]` : `${v} [incorrect]`;
    case 'unverified':
      return `${v} [unverified]`;
    case 'absent':
      return `${v} [none]`;
  }
}

export interface Ipv4Info {
  headerLength: number;
  totalLength: number;
  protocol: number;
  flags: number;
  fragOffset: number;
  src: Uint8Array;
  dst: Uint8Array;
  srcText: string;
  dstText: string;
}

/** Returns null when the version/IHL make the rest of the header meaningless. */
export function decodeIpv4(r: LayerReader, problems: string[]): Ipv4Info | null {
  const vihl = r.u8(0);
  const version = vihl >> 4;
  const ihl = (vihl & 0xf) * 4;
  r.bitField('Version', String(version), 0, 1, 0, 4);
  r.bitField('Header Length', `${ihl} bytes (${vihl & 0xf})`, 0, 1, 4, 4);
  if (version !== 4) problems.push(`IPv4 version field is ${version}, not 4`);
  if (ihl < 20) {
    problems.push(`IPv4 header length ${ihl} is less than 20`);
    r.setLength(1);
    return null;
  }
  const tos = r.u8(1);
  r.field('Differentiated Services Field', hex(tos, 2), 1, 1, {
    children: [bitChild('DSCP', String(tos >> 2), r.start + 1, 1, 0, 6), bitChild('ECN', String(tos & 3), r.start + 1, 1, 6, 2)],
  });
  const totalLength = r.u16(2);
  r.field('Total Length', String(totalLength), 2, 2);
  r.field('Identification', `${hex(r.u16(4), 4)} (${r.u16(4)})`, 4, 2);
  const flagsFrag = r.u16(6);
  const flags = flagsFrag >> 13;
  const fragOffset = flagsFrag & 0x1fff;
  const flagNames = [flags & 4 ? 'Reserved' : '', flags & 2 ? "Don't fragment" : '', flags & 1 ? 'More fragments' : ''].filter(Boolean);
  r.field('Flags', `${hex(flags, 1)}${flagNames.length ? ', ' + flagNames.join(', ') : ''}`, 6, 1, {
    bits: { start: 0, length: 3 },
    children: [
      bitChild('Reserved bit', flags & 4 ? 'Set' : 'Not set', r.start + 6, 1, 0, 1),
      bitChild("Don't fragment", flags & 2 ? 'Set' : 'Not set', r.start + 6, 1, 1, 1),
      bitChild('More fragments', flags & 1 ? 'Set' : 'Not set', r.start + 6, 1, 2, 1),
    ],
  });
  r.bitField('Fragment Offset', `${fragOffset * 8} (${fragOffset} x 8 bytes)`, 6, 2, 3, 13);
  r.field('Time to Live', String(r.u8(8)), 8, 1);
  const protocol = r.u8(9);
  r.field('Protocol', protocolText(protocol), 9, 1);
  const csum = r.u16(10);
  const srcBytes = r.slice(12, 4);
  const dstBytes = r.slice(16, 4);
  r.need(0, ihl);
  const info: Ipv4Info = {
    headerLength: ihl,
    totalLength,
    protocol,
    flags,
    fragOffset,
    src: srcBytes,
    dst: dstBytes,
    srcText: formatIpv4(srcBytes),
    dstText: formatIpv4(dstBytes),
  };
  const expected = finishChecksum(sumWords(r.bytes, r.start, r.start + 10, sumWords(r.bytes, r.start + 12, r.start + ihl)));
  const check: ChecksumCheck = internetChecksum(r.bytes, r.start, r.start + ihl) === 0 ? { status: 'correct', value: csum } : { status: 'incorrect', value: csum, expected };
  r.layer.checksum = check;
  if (check.status === 'incorrect') problems.push(`IPv4 header checksum ${hex(csum, 4)} is incorrect, should be ${hex(expected, 4)}`);
  r.field('Header Checksum', checksumText(check), 10, 2);
  r.field('Source Address', info.srcText, 12, 4);
  r.field('Destination Address', info.dstText, 16, 4);
  if (ihl > 20) r.field('Options', `${ihl - 20} bytes`, 20, ihl - 20);
  r.layer.title = `Internet Protocol Version 4, Src: ${info.srcText}, Dst: ${info.dstText}`;
  r.setLength(ihl);
  if (totalLength < ihl) problems.push(`IPv4 total length ${totalLength} is less than the header length ${ihl}`);
  return info;
}

export interface Ipv6Info {
  payloadLength: number;
  nextHeader: number;
  src: Uint8Array;
  dst: Uint8Array;
  srcText: string;
  dstText: string;
}

export function decodeIpv6(r: LayerReader, problems: string[]): Ipv6Info {
  const word = r.u32(0);
  const version = word >>> 28;
  r.bitField('Version', String(version), 0, 1, 0, 4);
  if (version !== 6) problems.push(`IPv6 version field is ${version}, not 6`);
  const tc = (word >>> 20) & 0xff;
  r.bitField('Traffic Class', `${hex(tc, 2)} (DSCP: ${tc >> 2}, ECN: ${tc & 3})`, 0, 2, 4, 8);
  r.bitField('Flow Label', hex(word & 0xfffff, 5), 1, 3, 4, 20);
  const payloadLength = r.u16(4);
  r.field('Payload Length', String(payloadLength), 4, 2);
  const nextHeader = r.u8(6);
  r.field('Next Header', protocolText(nextHeader), 6, 1);
  r.field('Hop Limit', String(r.u8(7)), 7, 1);
  const src = r.slice(8, 16);
  const dst = r.slice(24, 16);
  const info: Ipv6Info = { payloadLength, nextHeader, src, dst, srcText: formatIpv6(src), dstText: formatIpv6(dst) };
  r.field('Source Address', info.srcText, 8, 16);
  r.field('Destination Address', info.dstText, 24, 16);
  r.layer.title = `Internet Protocol Version 6, Src: ${info.srcText}, Dst: ${info.dstText}`;
  r.setLength(40);
  return info;
}

const EXT_NAMES: Record<number, string> = {
  0: 'IPv6 Hop-by-Hop Option',
  43: 'Routing Header for IPv6',
  44: 'Fragment Header for IPv6',
  60: 'Destination Options for IPv6',
};

export interface Ipv6ExtInfo {
  nextHeader: number;
  length: number;
  /** Fragment header: offset in 8-byte units and the M flag. */
  fragment?: { offset: number; more: boolean };
}

export function decodeIpv6Extension(r: LayerReader, kind: number): Ipv6ExtInfo {
  r.layer.title = EXT_NAMES[kind] ?? `IPv6 extension header ${kind}`;
  const nextHeader = r.u8(0);
  r.field('Next Header', protocolText(nextHeader), 0, 1);
  if (kind === 44) {
    const off = r.u16(2);
    const fragment = { offset: off >> 3, more: (off & 1) === 1 };
    r.bitField('Offset', `${fragment.offset * 8} (${fragment.offset} x 8 bytes)`, 2, 2, 0, 13);
    r.bitField('More Fragments', fragment.more ? 'Yes' : 'No', 3, 1, 7, 1);
    r.field('Identification', hex(r.u32(4), 8), 4, 4);
    r.setLength(8);
    return { nextHeader, length: 8, fragment };
  }
  const length = (r.u8(1) + 1) * 8;
  r.field('Length', `${r.u8(1)} (${length} bytes)`, 1, 1);
  r.need(0, length);
  r.field('Data', `${length - 2} bytes`, 2, length - 2);
  r.setLength(length);
  return { nextHeader, length };
}
