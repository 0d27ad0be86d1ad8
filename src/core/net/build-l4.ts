/**
 * Transport-layer builders: header + payload with the checksum computed over
 * the right pseudo-header (or taken from the spec's override).
 */
import { internetChecksum, upperLayerChecksum } from './checksum.ts';
import { IPPROTO } from './constants.ts';
import type { IcmpSpec, Icmpv6Spec, L4Spec, TcpFlag, TcpSpec, UdpSpec } from './spec.ts';
import { TCP_FLAGS } from './spec.ts';
import { Checks, checkBytes, checkInt, intOr } from './validate.ts';

/** Addresses of the enclosing IP header, for the pseudo-header. */
export interface IpEndpoints {
  src: Uint8Array;
  dst: Uint8Array;
}

/** Bit of each TCP flag in the 12-bit flags field (AE is the former NS bit). */
export const TCP_FLAG_BITS: Record<TcpFlag, number> = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  AE: 0x100,
};

export function l4Protocol(l4: L4Spec): number {
  switch (l4.kind) {
    case 'tcp':
      return IPPROTO.TCP;
    case 'udp':
      return IPPROTO.UDP;
    case 'icmp':
      return IPPROTO.ICMP;
    case 'icmpv6':
      return IPPROTO.ICMPV6;
    case 'raw':
      return l4.protocol;
  }
}

export function buildL4(l4: L4Spec, payload: Uint8Array, ip: IpEndpoints, protocol: number): { bytes?: Uint8Array; error?: string } {
  const checks = new Checks();
  let bytes: Uint8Array;
  switch (l4.kind) {
    case 'tcp':
      bytes = buildTcp(l4, payload, ip, protocol, checks);
      break;
    case 'udp':
      bytes = buildUdp(l4, payload, ip, protocol, checks);
      break;
    case 'icmp':
    case 'icmpv6':
      bytes = buildIcmp(l4, payload, ip, protocol, checks);
      break;
    case 'raw':
      checks.add(checkInt('raw protocol', l4.protocol, 0, 255));
      checks.add(checkBytes('raw bytes', l4.bytes));
      bytes = checks.error ? new Uint8Array(0) : concat(l4.bytes, payload);
      break;
    default:
      return { error: `l4 kind ${JSON.stringify((l4 as { kind?: unknown }).kind)} is not one of tcp, udp, icmp, icmpv6, raw` };
  }
  return checks.error ? { error: checks.error } : { bytes };
}

function buildTcp(spec: TcpSpec, payload: Uint8Array, ip: IpEndpoints, protocol: number, checks: Checks): Uint8Array {
  checks.add(checkInt('tcp sport', spec.sport, 0, 0xffff));
  checks.add(checkInt('tcp dport', spec.dport, 0, 0xffff));
  const seq = checks.take(intOr('tcp seq', spec.seq, 0, 0, 0xffffffff));
  const ack = checks.take(intOr('tcp ack', spec.ack, 0, 0, 0xffffffff));
  const window = checks.take(intOr('tcp window', spec.window, 8192, 0, 0xffff));
  const urgent = checks.take(intOr('tcp urgent', spec.urgent, 0, 0, 0xffff));
  const options = paddedOptions('tcp options', spec.options, checks);
  let flagBits = TCP_FLAG_BITS.SYN;
  if (spec.flags !== undefined) {
    flagBits = 0;
    const list: unknown = spec.flags instanceof Set ? [...spec.flags] : spec.flags;
    if (!Array.isArray(list)) checks.add('tcp flags must be a list such as ["SYN", "ACK"]');
    else
      for (const f of list as unknown[]) {
        if (typeof f === 'string' && (TCP_FLAGS as readonly string[]).includes(f)) flagBits |= TCP_FLAG_BITS[f as TcpFlag];
        else checks.add(`tcp flag ${JSON.stringify(f)} is not one of ${TCP_FLAGS.join(', ')}`);
      }
  }
  if (checks.error) return new Uint8Array(0);
  const headerLength = 20 + options.length;
  const seg = new Uint8Array(headerLength + payload.length);
  const v = new DataView(seg.buffer);
  v.setUint16(0, spec.sport);
  v.setUint16(2, spec.dport);
  v.setUint32(4, seq);
  v.setUint32(8, ack);
  v.setUint16(12, ((headerLength / 4) << 12) | flagBits);
  v.setUint16(14, window);
  v.setUint16(18, urgent);
  seg.set(options, 20);
  seg.set(payload, headerLength);
  const checksum = checks.take(intOr('tcp checksum', spec.checksum, -1, 0, 0xffff));
  v.setUint16(16, checksum >= 0 ? checksum : upperLayerChecksum(ip.src, ip.dst, protocol, seg, 0, seg.length));
  return seg;
}

function buildUdp(spec: UdpSpec, payload: Uint8Array, ip: IpEndpoints, protocol: number, checks: Checks): Uint8Array {
  checks.add(checkInt('udp sport', spec.sport, 0, 0xffff));
  checks.add(checkInt('udp dport', spec.dport, 0, 0xffff));
  const trueLength = 8 + payload.length;
  if (trueLength > 0xffff && spec.length === undefined) checks.add(`udp datagram of ${trueLength} bytes does not fit the 16-bit length field`);
  const length = checks.take(intOr('udp length', spec.length, trueLength, 0, 0xffff));
  const checksum = checks.take(intOr('udp checksum', spec.checksum, -1, 0, 0xffff));
  if (checks.error) return new Uint8Array(0);
  const seg = new Uint8Array(trueLength);
  const v = new DataView(seg.buffer);
  v.setUint16(0, spec.sport);
  v.setUint16(2, spec.dport);
  v.setUint16(4, length);
  seg.set(payload, 8);
  if (checksum >= 0) {
    v.setUint16(6, checksum);
  } else {
    // The pseudo-header carries the real length; a computed 0 is sent as
    // 0xffff because 0 means "no checksum" (RFC 768).
    const sum = upperLayerChecksum(ip.src, ip.dst, protocol, seg, 0, seg.length);
    v.setUint16(6, sum === 0 ? 0xffff : sum);
  }
  return seg;
}

function buildIcmp(spec: IcmpSpec | Icmpv6Spec, payload: Uint8Array, ip: IpEndpoints, protocol: number, checks: Checks): Uint8Array {
  const name = spec.kind;
  checks.add(checkInt(`${name} type`, spec.type, 0, 255));
  checks.add(checkInt(`${name} code`, spec.code, 0, 255));
  const id = checks.take(intOr(`${name} id`, spec.id, 0, 0, 0xffff));
  const seq = checks.take(intOr(`${name} seq`, spec.seq, 0, 0, 0xffff));
  const checksum = checks.take(intOr(`${name} checksum`, spec.checksum, -1, 0, 0xffff));
  if (spec.kind === 'icmpv6' && ip.src.length !== 16) checks.add('icmpv6 needs an IPv6 layer (use kind "icmp" over IPv4)');
  if (checks.error) return new Uint8Array(0);
  const seg = new Uint8Array(8 + payload.length);
  const v = new DataView(seg.buffer);
  seg[0] = spec.type;
  seg[1] = spec.code;
  v.setUint16(4, id);
  v.setUint16(6, seq);
  seg.set(payload, 8);
  if (checksum >= 0) v.setUint16(2, checksum);
  else if (spec.kind === 'icmpv6') v.setUint16(2, upperLayerChecksum(ip.src, ip.dst, protocol, seg, 0, seg.length));
  // ICMP over IPv4 has no pseudo-header (RFC 792).
  else v.setUint16(2, internetChecksum(seg));
  return seg;
}

/** Option bytes zero-padded to a 4-byte multiple; at most 40 bytes fit a header. */
export function paddedOptions(name: string, options: Uint8Array | undefined, checks: Checks): Uint8Array {
  if (options === undefined) return new Uint8Array(0);
  const err = checkBytes(name, options);
  if (err) {
    checks.add(err);
    return new Uint8Array(0);
  }
  const padded = new Uint8Array(Math.ceil(options.length / 4) * 4);
  padded.set(options);
  if (padded.length > 40) checks.add(`${name} are ${options.length} bytes; at most 40 fit in the header`);
  return padded;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
