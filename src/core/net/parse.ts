/**
 * Frame bytes -> decoded layers (Ethernet, VLAN, ARP, IPv4/IPv6 with
 * extension headers, TCP/UDP/ICMP/ICMPv6, payload, trailer). Decodes as far
 * as the bytes allow: a short header becomes a layer marked truncated, and
 * everything after the last understood header is payload. Never throws.
 */
import { ETHERTYPE, IPPROTO, hex, isIpv6ExtensionHeader, isVlanTpid } from './constants.ts';
import type { DecodedLayer, DecodedPacket, LayerKind } from './decoded.ts';
import { decodeArp, decodeEthernet, decodeVlan } from './parse-l2.ts';
import type { L4Context } from './parse-l4.ts';
import { decodeIcmp, decodeTcp, decodeUdp, tcpFlagNames } from './parse-l4.ts';
import { decodeIpv4, decodeIpv6, decodeIpv6Extension } from './parse-ip.ts';
import { FrameTruncated, LayerReader } from './parse-reader.ts';

const HEADER_NAMES: Record<LayerKind, string> = {
  ethernet: 'Ethernet header',
  vlan: 'VLAN tag',
  arp: 'ARP message',
  ipv4: 'IPv4 header',
  ipv6: 'IPv6 header',
  'ipv6-ext': 'IPv6 extension header',
  tcp: 'TCP header',
  udp: 'UDP header',
  icmp: 'ICMP header',
  icmpv6: 'ICMPv6 header',
  payload: 'Payload',
  trailer: 'Trailer',
};

/** More tags than this is garbage, not a real frame. */
const MAX_VLAN_TAGS = 8;
const MAX_IPV6_EXTENSIONS = 8;

class Decoder {
  readonly layers: DecodedLayer[] = [];
  readonly problems: string[] = [];
  summary = '';
  private prefix = '';

  constructor(readonly bytes: Uint8Array) {}

  /** Runs one layer decoder; returns null if the frame ended inside the layer. */
  layer<T>(kind: LayerKind, title: string, start: number, end: number, decode: (r: LayerReader) => T): T | null {
    const r = new LayerReader(this.bytes, kind, title, start, end);
    this.layers.push(r.layer);
    try {
      return decode(r);
    } catch (e) {
      if (!(e instanceof FrameTruncated)) throw e;
      r.layer.truncated = true;
      r.layer.length = Math.max(0, end - start);
      const where = end < this.bytes.length ? 'within the length its outer layer gives' : 'before the frame ends';
      this.problems.push(`${HEADER_NAMES[kind]} truncated: only ${Math.max(0, end - start)} bytes present ${where}`);
      return null;
    }
  }

  /** Leftover bytes: application data inside a datagram, or a trailer after it. */
  rest(kind: 'payload' | 'trailer', start: number, end: number, title?: string): void {
    if (end <= start) return;
    const n = end - start;
    const name = title ?? (kind === 'payload' ? 'Data' : 'Ethernet trailer');
    this.layers.push({ kind, title: `${name} (${n} byte${n === 1 ? '' : 's'})`, offset: start, length: n, fields: [{ name, value: preview(this.bytes.subarray(start, end)), offset: start, length: n }] });
  }

  setSummary(text: string): void {
    this.summary = this.prefix + text;
  }

  addPrefix(text: string): void {
    this.prefix += text;
  }
}

export function parsePacket(bytes: Uint8Array): DecodedPacket {
  const d = new Decoder(bytes);
  try {
    decodeFrame(d);
  } catch (e) {
    // A decoder bug must not take the Packets panel down with it.
    d.problems.push(`internal decoder error: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!d.summary) d.summary = d.problems.length ? d.problems[0] : `${bytes.length} bytes`;
  return { length: bytes.length, layers: d.layers, summary: d.summary, problems: d.problems };
}

function decodeFrame(d: Decoder): void {
  const end = d.bytes.length;
  if (end === 0) {
    d.problems.push('empty frame');
    return;
  }
  const ethType = d.layer('ethernet', 'Ethernet II', 0, end, (r) => decodeEthernet(r));
  if (ethType === null) return;
  let type: number = ethType;
  let at = 14;
  if (type < 0x0600) {
    d.setSummary(`802.3, length ${type}`);
    d.rest('payload', at, end, 'Logical-Link Control data');
    return;
  }
  for (let tags = 0; isVlanTpid(type); tags++) {
    if (tags === MAX_VLAN_TAGS) {
      d.problems.push(`more than ${MAX_VLAN_TAGS} VLAN tags; the rest is not decoded`);
      d.rest('payload', at, end);
      return;
    }
    const tpid: number = type;
    const tag = d.layer('vlan', '802.1Q Virtual LAN', at, end, (r) => decodeVlan(r, tpid));
    if (tag === null) return;
    d.addPrefix(`vlan ${tag.id}, p ${tag.pcp}, `);
    type = tag.type;
    at += 4;
  }
  switch (type) {
    case ETHERTYPE.IPV4:
      return decodeIpv4Datagram(d, at);
    case ETHERTYPE.IPV6:
      return decodeIpv6Datagram(d, at);
    case ETHERTYPE.ARP: {
      const arp = d.layer('arp', 'Address Resolution Protocol', at, end, (r) => ({ info: decodeArp(r), length: r.layer.length }));
      if (!arp) return;
      const a = arp.info;
      if (a) d.setSummary(a.op === 1 ? `ARP, Request who-has ${a.targetIp} tell ${a.senderIp}, length 28` : a.op === 2 ? `ARP, Reply ${a.senderIp} is-at ${a.senderMac}, length 28` : `ARP, opcode ${a.op}`);
      else d.setSummary('ARP (not Ethernet/IPv4)');
      d.rest('trailer', at + arp.length, end);
      return;
    }
    default:
      d.setSummary(`ethertype ${hex(type, 4)}, length ${end - at}`);
      d.rest('payload', at, end);
  }
}

function decodeIpv4Datagram(d: Decoder, at: number): void {
  const frameEnd = d.bytes.length;
  const ip = d.layer('ipv4', 'Internet Protocol Version 4', at, frameEnd, (r) => decodeIpv4(r, d.problems));
  if (!ip) {
    if (d.layers[d.layers.length - 1].truncated) return;
    d.rest('payload', at + 1, frameEnd);
    return;
  }
  const claimedEnd = at + Math.max(ip.totalLength, ip.headerLength);
  const end = Math.min(claimedEnd, frameEnd);
  if (claimedEnd > frameEnd) d.problems.push(`IPv4 total length ${ip.totalLength} is more than the ${frameEnd - at} bytes present`);
  const isFragment = ip.fragOffset > 0 || (ip.flags & 1) === 1;
  const ctx: L4Context = { src: ip.src, dst: ip.dst, protocol: ip.protocol, verifiable: claimedEnd <= frameEnd && !isFragment, problems: d.problems };
  const addrs = { src: ip.srcText, dst: ip.dstText };
  if (ip.fragOffset > 0) {
    d.setSummary(`IP ${addrs.src} > ${addrs.dst}: ip-proto-${ip.protocol} fragment at offset ${ip.fragOffset * 8}`);
    d.rest('payload', at + ip.headerLength, end, 'Fragment data');
  } else {
    decodeTransport(d, 'IP', ip.protocol, at + ip.headerLength, end, ctx, addrs);
  }
  d.rest('trailer', end, frameEnd);
}

function decodeIpv6Datagram(d: Decoder, at: number): void {
  const frameEnd = d.bytes.length;
  const ip = d.layer('ipv6', 'Internet Protocol Version 6', at, frameEnd, (r) => decodeIpv6(r, d.problems));
  if (!ip) return;
  const claimedEnd = at + 40 + ip.payloadLength;
  const end = Math.min(claimedEnd, frameEnd);
  if (claimedEnd > frameEnd) d.problems.push(`IPv6 payload length ${ip.payloadLength} is more than the ${frameEnd - at - 40} bytes present`);
  let next = ip.nextHeader;
  let pos = at + 40;
  let fragmented = false;
  for (let n = 0; isIpv6ExtensionHeader(next); n++) {
    if (n === MAX_IPV6_EXTENSIONS) {
      d.problems.push(`more than ${MAX_IPV6_EXTENSIONS} IPv6 extension headers; the rest is not decoded`);
      d.rest('payload', pos, end);
      d.rest('trailer', end, frameEnd);
      return;
    }
    const kind = next;
    const ext = d.layer('ipv6-ext', 'IPv6 extension header', pos, end, (r) => decodeIpv6Extension(r, kind));
    if (!ext) {
      d.rest('trailer', end, frameEnd);
      return;
    }
    if (ext.fragment) {
      fragmented = true;
      if (ext.fragment.offset > 0) {
        d.setSummary(`IP6 ${ip.srcText} > ${ip.dstText}: frag at offset ${ext.fragment.offset * 8}`);
        d.rest('payload', pos + ext.length, end, 'Fragment data');
        d.rest('trailer', end, frameEnd);
        return;
      }
    }
    next = ext.nextHeader;
    pos += ext.length;
  }
  const ctx: L4Context = { src: ip.src, dst: ip.dst, protocol: next, verifiable: claimedEnd <= frameEnd && !fragmented, problems: d.problems };
  decodeTransport(d, 'IP6', next, pos, end, ctx, { src: ip.srcText, dst: ip.dstText });
  d.rest('trailer', end, frameEnd);
}

function decodeTransport(d: Decoder, family: 'IP' | 'IP6', proto: number, at: number, end: number, ctx: L4Context, addrs: { src: string; dst: string }): void {
  const v6 = family === 'IP6';
  const dataLen = (hdr: number): number => Math.max(0, end - at - hdr);
  if (proto === IPPROTO.TCP) {
    const tcp = d.layer('tcp', 'Transmission Control Protocol', at, end, (r) => decodeTcp(r, ctx));
    if (!tcp) {
      const truncated = d.layers[d.layers.length - 1].truncated === true;
      if (!truncated) d.rest('payload', at + 14, end);
      d.setSummary(`${family} ${addrs.src} > ${addrs.dst}: TCP (${truncated ? 'truncated' : 'bad header'})`);
      return;
    }
    const flags = tcpFlagNames(tcp.flags).map((f) => TCPDUMP_FLAG[f]).join('') || 'none';
    d.setSummary(`${family} ${addrs.src}.${tcp.sport} > ${addrs.dst}.${tcp.dport}: Flags [${flags}], seq ${tcp.seq}, win ${tcp.window}, length ${dataLen(tcp.headerLength)}`);
    d.rest('payload', at + tcp.headerLength, end);
  } else if (proto === IPPROTO.UDP) {
    const udp = d.layer('udp', 'User Datagram Protocol', at, end, (r) => decodeUdp(r, ctx, v6));
    if (!udp) return d.setSummary(`${family} ${addrs.src} > ${addrs.dst}: UDP (truncated)`);
    d.setSummary(`${family} ${addrs.src}.${udp.sport} > ${addrs.dst}.${udp.dport}: UDP, length ${dataLen(8)}`);
    d.rest('payload', at + 8, end);
  } else if ((proto === IPPROTO.ICMP && !v6) || (proto === IPPROTO.ICMPV6 && v6)) {
    const icmp = d.layer(v6 ? 'icmpv6' : 'icmp', v6 ? 'Internet Control Message Protocol v6' : 'Internet Control Message Protocol', at, end, (r) => decodeIcmp(r, ctx, v6));
    if (!icmp) return d.setSummary(`${family} ${addrs.src} > ${addrs.dst}: ${v6 ? 'ICMP6' : 'ICMP'} (truncated)`);
    d.setSummary(`${family} ${addrs.src} > ${addrs.dst}: ${v6 ? 'ICMP6' : 'ICMP'} ${icmp.typeName.toLowerCase()}, id ${icmp.id}, seq ${icmp.seq}, length ${end - at}`);
    d.rest('payload', at + 8, end);
  } else {
    d.setSummary(`${family} ${addrs.src} > ${addrs.dst}: ip-proto-${proto} ${end - at}`);
    d.rest('payload', at, end);
  }
}

const TCPDUMP_FLAG: Record<string, string> = { FIN: 'F', SYN: 'S', RST: 'R', PSH: 'P', ACK: '.', URG: 'U', ECE: 'E', CWR: 'W', AE: 'e' };

/** Short value text for a run of data bytes: hex of the first few, plus printable text if it is text. */
function preview(data: Uint8Array): string {
  const shown = data.subarray(0, 16);
  const hexText = Array.from(shown, (b) => b.toString(16).padStart(2, '0')).join('') + (data.length > shown.length ? '…' : '');
  const printable = shown.every((b) => b >= 0x20 && b < 0x7f);
  return `${data.length} bytes: ${hexText}${printable ? ` "${String.fromCharCode(...shown)}${data.length > shown.length ? '…' : ''}"` : ''}`;
}
