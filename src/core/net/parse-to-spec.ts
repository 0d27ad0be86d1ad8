/**
 * Frame bytes -> PacketSpec, so the builder can edit an imported packet.
 * The parser finds the layers; the values are read back from the bytes,
 * and overrides (checksum, lengths) are only set where the frame disagrees
 * with what the builder would compute. The spec is accepted only if
 * building it reproduces the frame byte for byte; a frame whose upper layers
 * the builder cannot express (IPv6 extension headers excepted, which become
 * a raw layer) falls back to Ethernet + raw payload, with the reason given.
 */
import { formatIpv4, formatIpv6, formatMac } from './addr.ts';
import { buildPacket } from './build.ts';
import { l4Protocol } from './build-l4.ts';
import { ETHERTYPE } from './constants.ts';
import type { DecodedLayer } from './decoded.ts';
import { parsePacket } from './parse.ts';
import { tcpFlagNames } from './parse-l4.ts';
import type { NetResult } from './result.ts';
import { fail, ok } from './result.ts';
import type { ArpSpec, EthSpec, IcmpSpec, Icmpv6Spec, Ipv4Flag, Ipv4Spec, Ipv6Spec, IpSpec, L4Spec, PacketSpec, TcpSpec, UdpSpec, VlanSpec } from './spec.ts';

export interface RecoveredSpec {
  spec: PacketSpec;
  /** Set when upper layers could not be expressed and the spec is Ethernet + raw payload. */
  fallbackReason?: string;
}

export function parseToSpec(bytes: Uint8Array): NetResult<RecoveredSpec> {
  try {
    return recover(bytes);
  } catch (e) {
    return fail(`parse to spec: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function recover(bytes: Uint8Array): NetResult<RecoveredSpec> {
  if (!(bytes instanceof Uint8Array)) return fail('parse to spec: frame must be bytes');
  const decoded = parsePacket(bytes);
  const truncated = decoded.layers.find((l) => l.truncated);
  if (truncated) return fail(`the frame is truncated in ${truncated.title}; the builder cannot express it`);
  if (bytes.length < 14) return fail('the frame is shorter than an Ethernet header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const vlanLayers = decoded.layers.filter((l) => l.kind === 'vlan');
  if (vlanLayers.length > 2) return fail(`the frame has ${vlanLayers.length} VLAN tags; the builder writes at most 2`);

  const base = l2Spec(bytes, view, vlanLayers);
  const l2End = 14 + 4 * vlanLayers.length;
  const raw: PacketSpec = { ...base.spec, eth: { ...base.spec.eth, type: base.innerType }, payload: bytes.slice(l2End) };

  let full: PacketSpec | string;
  try {
    full = upperSpec(bytes, view, decoded.layers, base.spec, base.innerType);
  } catch (e) {
    full = e instanceof Error ? e.message : String(e);
  }
  if (typeof full === 'object') {
    const rebuilt = buildPacket(full);
    if (rebuilt.ok && sameBytes(rebuilt.value, bytes)) return ok({ spec: full });
    full = rebuilt.ok ? `rebuilding differs at byte ${firstDifference(rebuilt.value, bytes)}` : rebuilt.error;
  }
  const rebuiltRaw = buildPacket(raw);
  if (rebuiltRaw.ok && sameBytes(rebuiltRaw.value, bytes)) return ok({ spec: raw, fallbackReason: full });
  return fail(`the builder cannot express this frame: ${full}`);
}

function l2Spec(bytes: Uint8Array, view: DataView, vlanLayers: DecodedLayer[]): { spec: PacketSpec; innerType: number } {
  const eth: EthSpec = { dst: formatMac(bytes, 0), src: formatMac(bytes, 6) };
  const vlan: VlanSpec[] = vlanLayers.map((l, i) => {
    const tpid = view.getUint16(l.offset - 2);
    const tci = view.getUint16(l.offset);
    const tag: VlanSpec = { id: tci & 0xfff };
    if (tci >> 13) tag.pcp = tci >> 13;
    if (tci & 0x1000) tag.dei = true;
    const defaultTpid = vlanLayers.length === 2 && i === 0 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN;
    if (tpid !== defaultTpid) tag.tpid = tpid;
    return tag;
  });
  const innerType = view.getUint16(12 + 4 * vlanLayers.length);
  const spec: PacketSpec = { eth };
  if (vlan.length) spec.vlan = vlan;
  return { spec, innerType };
}

/** Throws (caught by recover) with a reason when the frame needs the raw fallback. */
function upperSpec(bytes: Uint8Array, view: DataView, layers: DecodedLayer[], base: PacketSpec, innerType: number): PacketSpec {
  const find = (kind: DecodedLayer['kind']): DecodedLayer | undefined => layers.find((l) => l.kind === kind);
  const spec: PacketSpec = { ...base, eth: { ...base.eth } };
  const trailer = find('trailer');
  if (trailer) {
    const t = bytes.slice(trailer.offset, trailer.offset + trailer.length);
    if (t.every((b) => b === 0)) spec.padTo = bytes.length;
    else spec.trailer = t;
  }
  const arpLayer = find('arp');
  if (innerType === ETHERTYPE.ARP && arpLayer) {
    if (arpLayer.length !== 28) throw new Error('ARP that is not Ethernet/IPv4');
    const at = arpLayer.offset;
    const arp: ArpSpec = { senderMac: formatMac(bytes, at + 8), senderIp: formatIpv4(bytes, at + 14), targetIp: formatIpv4(bytes, at + 24) };
    const op = view.getUint16(at + 6);
    if (op !== 1) arp.op = op;
    const targetMac = formatMac(bytes, at + 18);
    if (targetMac !== '00:00:00:00:00:00') arp.targetMac = targetMac;
    spec.arp = arp;
    return spec;
  }
  const ipLayer = find('ipv4') ?? find('ipv6');
  if (!ipLayer || (innerType !== ETHERTYPE.IPV4 && innerType !== ETHERTYPE.IPV6)) throw new Error(`EtherType 0x${innerType.toString(16).padStart(4, '0')} has no builder layer`);
  const ext = find('ipv6-ext');
  const l4Layer = layers.find((l) => l.kind === 'tcp' || l.kind === 'udp' || l.kind === 'icmp' || l.kind === 'icmpv6');
  const payloadLayer = find('payload');
  const end = trailer ? trailer.offset : bytes.length;
  const upperStart = ipLayer.offset + ipLayer.length;

  let l4: L4Spec | undefined;
  let payloadStart = upperStart;
  if (ext) {
    // Extension headers (and whatever follows them) travel verbatim as a raw layer.
    const to = payloadLayer ? payloadLayer.offset : end;
    l4 = { kind: 'raw', protocol: bytes[ipLayer.offset + 6], bytes: bytes.slice(upperStart, to) };
    payloadStart = to;
  } else if (l4Layer) {
    l4 = l4SpecFrom(bytes, view, l4Layer, end);
    payloadStart = l4Layer.offset + l4Layer.length;
  }
  if (end > payloadStart) spec.payload = bytes.slice(payloadStart, end);
  if (l4) spec.l4 = l4;
  spec.ip = ipSpecFrom(bytes, view, ipLayer, l4, end);
  return spec;
}

/** end: where the datagram's bytes stop (start of the trailer, or the frame end). */
function ipSpecFrom(bytes: Uint8Array, view: DataView, layer: DecodedLayer, l4: L4Spec | undefined, end: number): IpSpec {
  const at = layer.offset;
  if (layer.kind === 'ipv6') {
    const word = view.getUint32(at);
    const ip: Ipv6Spec = { version: 6, src: formatIpv6(bytes, at + 8), dst: formatIpv6(bytes, at + 24) };
    const tc = (word >>> 20) & 0xff;
    if (tc) ip.trafficClass = tc;
    if (word & 0xfffff) ip.flowLabel = word & 0xfffff;
    if (bytes[at + 7] !== 64) ip.hopLimit = bytes[at + 7];
    if (!l4 || l4Protocol(l4) !== bytes[at + 6]) ip.nextHeader = bytes[at + 6];
    // A length that disagrees with the bytes present is kept as an override.
    if (view.getUint16(at + 4) !== end - at - 40) ip.payloadLength = view.getUint16(at + 4);
    return ip;
  }
  const ihl = (bytes[at] & 0xf) * 4;
  const ip: Ipv4Spec = { version: 4, src: formatIpv4(bytes, at + 12), dst: formatIpv4(bytes, at + 16) };
  if (bytes[at + 1]) ip.tos = bytes[at + 1];
  if (view.getUint16(at + 4)) ip.id = view.getUint16(at + 4);
  const ff = view.getUint16(at + 6);
  const flags: Ipv4Flag[] = [];
  if (ff & 0x8000) flags.push('RESERVED');
  if (ff & 0x4000) flags.push('DF');
  if (ff & 0x2000) flags.push('MF');
  if (flags.length) ip.flags = flags;
  if (ff & 0x1fff) ip.fragOffset = ff & 0x1fff;
  if (bytes[at + 8] !== 64) ip.ttl = bytes[at + 8];
  if (!l4 || l4Protocol(l4) !== bytes[at + 9]) ip.protocol = bytes[at + 9];
  if (ihl > 20) ip.options = bytes.slice(at + 20, at + ihl);
  if (layer.checksum?.status !== 'correct') ip.checksum = view.getUint16(at + 10);
  if (view.getUint16(at + 2) !== end - at) ip.totalLength = view.getUint16(at + 2);
  return ip;
}

function l4SpecFrom(bytes: Uint8Array, view: DataView, layer: DecodedLayer, end: number): L4Spec {
  const at = layer.offset;
  const keepChecksum = layer.checksum?.status !== 'correct';
  switch (layer.kind) {
    case 'tcp': {
      if (bytes[at + 12] & 0x0e) throw new Error('TCP reserved bits are set');
      const hl = (bytes[at + 12] >> 4) * 4;
      const tcp: TcpSpec = { kind: 'tcp', sport: view.getUint16(at), dport: view.getUint16(at + 2), flags: tcpFlagNames(view.getUint16(at + 12) & 0x1ff) };
      if (view.getUint32(at + 4)) tcp.seq = view.getUint32(at + 4);
      if (view.getUint32(at + 8)) tcp.ack = view.getUint32(at + 8);
      if (view.getUint16(at + 14) !== 8192) tcp.window = view.getUint16(at + 14);
      if (view.getUint16(at + 18)) tcp.urgent = view.getUint16(at + 18);
      if (hl > 20) tcp.options = bytes.slice(at + 20, at + hl);
      if (keepChecksum) tcp.checksum = view.getUint16(at + 16);
      return tcp;
    }
    case 'udp': {
      const udp: UdpSpec = { kind: 'udp', sport: view.getUint16(at), dport: view.getUint16(at + 2) };
      if (view.getUint16(at + 4) !== end - at) udp.length = view.getUint16(at + 4);
      if (keepChecksum) udp.checksum = view.getUint16(at + 6);
      return udp;
    }
    default: {
      const icmp: IcmpSpec | Icmpv6Spec = { kind: layer.kind === 'icmpv6' ? 'icmpv6' : 'icmp', type: bytes[at], code: bytes[at + 1] };
      if (view.getUint16(at + 4)) icmp.id = view.getUint16(at + 4);
      if (view.getUint16(at + 6)) icmp.seq = view.getUint16(at + 6);
      if (keepChecksum) icmp.checksum = view.getUint16(at + 2);
      return icmp;
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}
