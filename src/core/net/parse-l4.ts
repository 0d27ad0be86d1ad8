/** Decoders for TCP, UDP, ICMP and ICMPv6 headers, with checksum verification. */
import { finishChecksum, pseudoHeaderSum, sumWords } from './checksum.ts';
import { hex } from './constants.ts';
import type { ChecksumCheck, DecodedField } from './decoded.ts';
import { checksumText } from './parse-ip.ts';
import type { LayerReader } from './parse-reader.ts';
import { bitChild } from './parse-reader.ts';
import type { TcpFlag } from './spec.ts';
import { TCP_FLAGS } from './spec.ts';

/** What the enclosing IP layer tells a transport decoder. */
export interface L4Context {
  src: Uint8Array;
  dst: Uint8Array;
  protocol: number;
  /** The whole segment is in the frame and is not an IP fragment, so the checksum can be verified. */
  verifiable: boolean;
  problems: string[];
}

/**
 * Verifies the checksum at rel csOffset over the segment [r.start, end),
 * with the pseudo-header unless pseudo is false (ICMP over IPv4).
 */
function verify(r: LayerReader, ctx: L4Context, csOffset: number, pseudo: boolean, name: string): ChecksumCheck {
  const value = r.u16(csOffset);
  if (!ctx.verifiable) return { status: 'unverified', value };
  const start = r.start;
  // The reader ends where the IP layer says the segment ends.
  const end = r.end;
  const cs = start + csOffset;
  const initial = pseudo ? pseudoHeaderSum(ctx.src, ctx.dst, ctx.protocol, end - start) : 0;
  let expected = finishChecksum(sumWords(r.bytes, start, cs, sumWords(r.bytes, cs + 2, end, initial)));
  // UDP sends a computed 0 as 0xffff; both then verify.
  if (name === 'UDP' && expected === 0) expected = 0xffff;
  const whole = finishChecksum(sumWords(r.bytes, start, end, initial));
  if (whole === 0) return { status: 'correct', value };
  ctx.problems.push(`${name} checksum ${hex(value, 4)} is incorrect, should be ${hex(expected, 4)}`);
  return { status: 'incorrect', value, expected };
}

export interface TcpInfo {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  headerLength: number;
  flags: number;
  window: number;
}

export function tcpFlagNames(flags: number): TcpFlag[] {
  return TCP_FLAGS.filter((_, i) => flags & (1 << i));
}

export function decodeTcp(r: LayerReader, ctx: L4Context): TcpInfo | null {
  const sport = r.u16(0);
  r.field('Source Port', String(sport), 0, 2);
  const dport = r.u16(2);
  r.field('Destination Port', String(dport), 2, 2);
  const seq = r.u32(4);
  r.field('Sequence Number (raw)', String(seq), 4, 4);
  const ack = r.u32(8);
  r.field('Acknowledgment Number (raw)', String(ack), 8, 4);
  const word = r.u16(12);
  const headerLength = (word >> 12) * 4;
  const flags = word & 0x1ff;
  r.bitField('Header Length', `${headerLength} bytes (${word >> 12})`, 12, 1, 0, 4);
  const names = tcpFlagNames(flags);
  r.field('Flags', `${hex(flags, 3)}${names.length ? ' (' + names.join(', ') + ')' : ''}`, 12, 2, {
    bits: { start: 7, length: 9 },
    children: TCP_FLAGS.map((f, i): DecodedField => bitChild(f, flags & (1 << i) ? 'Set' : 'Not set', r.start + 12, 2, 15 - i, 1)),
  });
  r.layer.title = `Transmission Control Protocol, Src Port: ${sport}, Dst Port: ${dport}, Seq: ${seq}`;
  if (headerLength < 20) {
    ctx.problems.push(`TCP header length ${headerLength} is less than 20`);
    r.setLength(14);
    return null;
  }
  const window = r.u16(14);
  r.field('Window', String(window), 14, 2);
  r.need(0, 20);
  const check = verify(r, ctx, 16, true, 'TCP');
  r.layer.checksum = check;
  r.field('Checksum', checksumText(check), 16, 2);
  r.field('Urgent Pointer', String(r.u16(18)), 18, 2);
  if (headerLength > 20) {
    r.need(0, headerLength);
    r.field('Options', `${headerLength - 20} bytes`, 20, headerLength - 20, { children: tcpOptions(r, headerLength) });
  }
  r.layer.title += `, Len: ${Math.max(0, r.end - r.start - headerLength)}`;
  r.setLength(headerLength);
  return { sport, dport, seq, ack, headerLength, flags, window };
}

const TCP_OPTION_NAMES: Record<number, string> = { 2: 'Maximum segment size', 3: 'Window scale', 4: 'SACK permitted', 5: 'SACK', 8: 'Timestamps' };

function tcpOptions(r: LayerReader, headerLength: number): DecodedField[] {
  const out: DecodedField[] = [];
  let at = 20;
  while (at < headerLength) {
    const kind = r.u8(at);
    if (kind === 0) {
      out.push({ name: 'End of Option List', value: `${headerLength - at} bytes`, offset: r.start + at, length: headerLength - at });
      break;
    }
    if (kind === 1) {
      out.push({ name: 'No-Operation (NOP)', value: '', offset: r.start + at, length: 1 });
      at++;
      continue;
    }
    const len = at + 1 < headerLength ? r.u8(at + 1) : 0;
    if (len < 2 || at + len > headerLength) {
      out.push({ name: 'Malformed option', value: `kind ${kind}, length ${len}`, offset: r.start + at, length: headerLength - at });
      break;
    }
    let value = `${len} bytes`;
    if (kind === 2 && len === 4) value = String(r.u16(at + 2));
    else if (kind === 3 && len === 3) value = `shift ${r.u8(at + 2)} (multiply by ${2 ** Math.min(r.u8(at + 2), 14)})`;
    else if (kind === 8 && len === 10) value = `TSval ${r.u32(at + 2)}, TSecr ${r.u32(at + 6)}`;
    out.push({ name: TCP_OPTION_NAMES[kind] ?? `Option ${kind}`, value, offset: r.start + at, length: len });
    at += len;
  }
  return out;
}

export interface UdpInfo {
  sport: number;
  dport: number;
  length: number;
}

export function decodeUdp(r: LayerReader, ctx: L4Context, overIpv6: boolean): UdpInfo {
  const sport = r.u16(0);
  r.field('Source Port', String(sport), 0, 2);
  const dport = r.u16(2);
  r.field('Destination Port', String(dport), 2, 2);
  r.layer.title = `User Datagram Protocol, Src Port: ${sport}, Dst Port: ${dport}`;
  const length = r.u16(4);
  const available = r.end - r.start;
  r.field('Length', String(length), 4, 2);
  const value = r.u16(6);
  let check: ChecksumCheck;
  if (length !== available && ctx.verifiable) {
    ctx.problems.push(`UDP length ${length} does not match the ${available} bytes the IP layer carries`);
  }
  if (value === 0 && !overIpv6) {
    check = { status: 'absent', value };
  } else {
    check = verify(r, ctx, 6, true, 'UDP');
    if (value === 0 && check.status === 'correct') {
      // 0 and 0xffff are the same number in one's complement, so a zero can
      // add up; over IPv6 it still means "no checksum", which is forbidden.
      check = { status: 'incorrect', value, expected: 0xffff };
      ctx.problems.push('UDP checksum 0 is not allowed over IPv6');
    }
  }
  r.layer.checksum = check;
  r.field('Checksum', checksumText(check), 6, 2);
  r.setLength(8);
  return { sport, dport, length };
}

const ICMP_TYPES: Record<number, string> = {
  0: 'Echo (ping) reply',
  3: 'Destination unreachable',
  4: 'Source quench',
  5: 'Redirect',
  8: 'Echo (ping) request',
  11: 'Time-to-live exceeded',
  12: 'Parameter problem',
  13: 'Timestamp request',
  14: 'Timestamp reply',
};

const ICMPV6_TYPES: Record<number, string> = {
  1: 'Destination Unreachable',
  2: 'Packet Too Big',
  3: 'Time Exceeded',
  4: 'Parameter Problem',
  128: 'Echo (ping) request',
  129: 'Echo (ping) reply',
  133: 'Router Solicitation',
  134: 'Router Advertisement',
  135: 'Neighbor Solicitation',
  136: 'Neighbor Advertisement',
  137: 'Redirect',
};

export interface IcmpInfo {
  type: number;
  code: number;
  id: number;
  seq: number;
  typeName: string;
}

export function decodeIcmp(r: LayerReader, ctx: L4Context, v6: boolean): IcmpInfo {
  const type = r.u8(0);
  const code = r.u8(1);
  const typeName = (v6 ? ICMPV6_TYPES : ICMP_TYPES)[type] ?? 'Unknown';
  r.layer.title = v6 ? `Internet Control Message Protocol v6, ${typeName}` : `Internet Control Message Protocol, ${typeName}`;
  r.field('Type', `${type} (${typeName})`, 0, 1);
  r.field('Code', String(code), 1, 1);
  const check = verify(r, ctx, 2, v6, v6 ? 'ICMPv6' : 'ICMP');
  r.layer.checksum = check;
  r.field('Checksum', checksumText(check), 2, 2);
  const id = r.u16(4);
  const seq = r.u16(6);
  const echo = v6 ? type === 128 || type === 129 : type === 0 || type === 8;
  if (echo) {
    r.field('Identifier', `${id} (${hex(id, 4)})`, 4, 2);
    r.field('Sequence Number', `${seq} (${hex(seq, 4)})`, 6, 2);
  } else {
    r.field('Rest of Header', hex(r.u32(4), 8), 4, 4);
  }
  r.setLength(8);
  return { type, code, id, seq, typeName };
}
