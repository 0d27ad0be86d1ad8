/**
 * PacketSpec -> frame bytes: Ethernet, 0-2 VLAN tags, IPv4/IPv6 or ARP,
 * TCP/UDP/ICMP/ICMPv6/raw, payload, trailer and padding, with lengths and
 * checksums computed unless the spec overrides them. Never throws: a bad
 * field yields { ok: false, error } naming it.
 */
import { buildL4, concat, l4Protocol, paddedOptions } from './build-l4.ts';
import { internetChecksum } from './checksum.ts';
import { ETHERTYPE, IPPROTO } from './constants.ts';
import type { NetResult } from './result.ts';
import { fail, ok } from './result.ts';
import type { ArpSpec, Ipv4Spec, Ipv6Spec, PacketSpec, VlanSpec } from './spec.ts';
import { Checks, checkBytes, checkInt, intOr, ipv4Field, ipv6Field, macField } from './validate.ts';

/** Largest frame we agree to build; well above jumbo frames, far below memory trouble. */
export const MAX_FRAME = 65535 + 64;

export function buildPacket(spec: PacketSpec): NetResult<Uint8Array> {
  try {
    return buildChecked(spec);
  } catch (e) {
    // Defence in depth: validation should have caught it, but a malformed
    // spec from a share link must still never crash the worker.
    return fail(`build packet: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function buildChecked(spec: PacketSpec): NetResult<Uint8Array> {
  if (typeof spec !== 'object' || spec === null) return fail('packet spec must be an object');
  if (typeof spec.eth !== 'object' || spec.eth === null) return fail('packet spec needs an eth layer { src, dst }');
  if (spec.ip && spec.arp) return fail('a packet has either an ip or an arp layer, not both');
  if (spec.l4 && !spec.ip) return fail(`l4 '${spec.l4.kind}' needs an ip layer`);

  const payloadResult = payloadBytes(spec.payload);
  if (!payloadResult.ok) return payloadResult;
  const payload = payloadResult.value;

  // Layers are checked in frame order, so the first error is the outermost one.
  const innerType = spec.ip ? (spec.ip.version === 6 ? ETHERTYPE.IPV6 : ETHERTYPE.IPV4) : spec.arp ? ETHERTYPE.ARP : undefined;
  const l2 = buildL2(spec, innerType);
  if (!l2.ok) return l2;

  let l3: NetResult<Uint8Array>;
  if (spec.ip) {
    l3 = spec.ip.version === 4 ? buildIpv4(spec.ip, spec, payload) : spec.ip.version === 6 ? buildIpv6(spec.ip, spec, payload) : fail(`ip version ${JSON.stringify((spec.ip as { version?: unknown }).version)} must be 4 or 6`);
  } else if (spec.arp) {
    l3 = buildArp(spec.arp);
    if (l3.ok) l3 = ok(concat(l3.value, payload));
  } else {
    l3 = ok(payload);
  }
  if (!l3.ok) return l3;

  let trailer: Uint8Array = new Uint8Array(0);
  if (spec.trailer !== undefined) {
    const err = checkBytes('trailer', spec.trailer);
    if (err) return fail(err);
    trailer = spec.trailer;
  }
  const frame = concat(l2.value, l3.value, trailer);
  if (spec.padTo !== undefined) {
    const err = checkInt('padTo', spec.padTo, 0, MAX_FRAME);
    if (err) return fail(err);
    if (frame.length < spec.padTo) {
      const padded = new Uint8Array(spec.padTo);
      padded.set(frame);
      return ok(padded);
    }
  }
  if (frame.length > MAX_FRAME) return fail(`frame of ${frame.length} bytes is larger than the ${MAX_FRAME}-byte limit`);
  return ok(frame);
}

function payloadBytes(payload: PacketSpec['payload']): NetResult<Uint8Array> {
  if (payload === undefined) return ok(new Uint8Array(0));
  if (typeof payload === 'string') return ok(new TextEncoder().encode(payload));
  if (payload instanceof Uint8Array) return ok(payload);
  return fail('payload must be bytes (Uint8Array) or text');
}

function buildL2(spec: PacketSpec, innerType: number | undefined): NetResult<Uint8Array> {
  const checks = new Checks();
  const dst = checks.take(macField('eth dst', spec.eth.dst));
  const src = checks.take(macField('eth src', spec.eth.src));
  let type = innerType;
  if (spec.eth.type !== undefined) {
    checks.add(checkInt('eth type', spec.eth.type, 0, 0xffff));
    type = spec.eth.type;
  }
  if (type === undefined && !checks.error) checks.add('eth type is required when there is no ip or arp layer');
  const tags: readonly VlanSpec[] = spec.vlan ?? [];
  if (!Array.isArray(tags)) checks.add('vlan must be a list of tags');
  else if (tags.length > 2) checks.add(`vlan has ${tags.length} tags; at most 2 (QinQ) are supported`);
  if (checks.error) return fail(checks.error);

  const out = new Uint8Array(14 + 4 * tags.length);
  const v = new DataView(out.buffer);
  out.set(dst, 0);
  out.set(src, 6);
  let at = 12;
  tags.forEach((tag, i) => {
    const name = tags.length === 2 ? `vlan[${i}]` : 'vlan';
    if (typeof tag !== 'object' || tag === null) {
      checks.add(`${name} must be an object { id, pcp?, dei?, tpid? }`);
      return;
    }
    checks.add(checkInt(`${name} id`, tag.id, 0, 4095));
    const pcp = checks.take(intOr(`${name} pcp`, tag.pcp, 0, 0, 7));
    const defaultTpid = tags.length === 2 && i === 0 ? ETHERTYPE.QINQ : ETHERTYPE.VLAN;
    const tpid = checks.take(intOr(`${name} tpid`, tag.tpid, defaultTpid, 0, 0xffff));
    if (tag.dei !== undefined && typeof tag.dei !== 'boolean') checks.add(`${name} dei must be true or false`);
    if (checks.error) return;
    v.setUint16(at, tpid);
    v.setUint16(at + 2, (pcp << 13) | (tag.dei ? 0x1000 : 0) | tag.id);
    at += 4;
  });
  if (checks.error) return fail(checks.error);
  v.setUint16(at, type as number);
  return ok(out);
}

const IPV4_FLAG_BITS: Record<string, number> = { RESERVED: 0x8000, DF: 0x4000, MF: 0x2000 };

function buildIpv4(ip: Ipv4Spec, spec: PacketSpec, payload: Uint8Array): NetResult<Uint8Array> {
  const checks = new Checks();
  const src = checks.take(ipv4Field('ipv4 src', ip.src));
  const dst = checks.take(ipv4Field('ipv4 dst', ip.dst));
  const ttl = checks.take(intOr('ipv4 ttl', ip.ttl, 64, 0, 255));
  const tos = checks.take(intOr('ipv4 tos', ip.tos, 0, 0, 255));
  const id = checks.take(intOr('ipv4 id', ip.id, 0, 0, 0xffff));
  const fragOffset = checks.take(intOr('ipv4 fragOffset', ip.fragOffset, 0, 0, 8191));
  let flagBits = 0;
  for (const f of (ip.flags ?? []) as unknown[]) {
    if (typeof f === 'string' && f in IPV4_FLAG_BITS) flagBits |= IPV4_FLAG_BITS[f];
    else checks.add(`ipv4 flag ${JSON.stringify(f)} is not one of DF, MF, RESERVED`);
  }
  const options = paddedOptions('ipv4 options', ip.options, checks);
  const protocol = upperProtocol('ipv4 protocol', ip.protocol, spec, checks);
  if (checks.error) return fail(checks.error);

  const upper = spec.l4 ? buildL4(spec.l4, payload, { src, dst }, protocol) : { bytes: payload };
  if (!upper.bytes) return fail(upper.error ?? 'l4: build failed');
  const headerLength = 20 + options.length;
  const trueTotal = headerLength + upper.bytes.length;
  if (trueTotal > 0xffff && ip.totalLength === undefined) return fail(`ipv4 datagram of ${trueTotal} bytes does not fit the 16-bit total length`);
  const totalLength = checks.take(intOr('ipv4 totalLength', ip.totalLength, trueTotal, 0, 0xffff));
  const checksum = checks.take(intOr('ipv4 checksum', ip.checksum, -1, 0, 0xffff));
  if (checks.error) return fail(checks.error);

  const out = new Uint8Array(trueTotal);
  const v = new DataView(out.buffer);
  out[0] = 0x40 | (headerLength / 4);
  out[1] = tos;
  v.setUint16(2, totalLength);
  v.setUint16(4, id);
  v.setUint16(6, flagBits | fragOffset);
  out[8] = ttl;
  out[9] = protocol;
  out.set(src, 12);
  out.set(dst, 16);
  out.set(options, 20);
  v.setUint16(10, checksum >= 0 ? checksum : internetChecksum(out, 0, headerLength));
  out.set(upper.bytes, headerLength);
  return ok(out);
}

function buildIpv6(ip: Ipv6Spec, spec: PacketSpec, payload: Uint8Array): NetResult<Uint8Array> {
  const checks = new Checks();
  const src = checks.take(ipv6Field('ipv6 src', ip.src));
  const dst = checks.take(ipv6Field('ipv6 dst', ip.dst));
  const hopLimit = checks.take(intOr('ipv6 hopLimit', ip.hopLimit, 64, 0, 255));
  const trafficClass = checks.take(intOr('ipv6 trafficClass', ip.trafficClass, 0, 0, 255));
  const flowLabel = checks.take(intOr('ipv6 flowLabel', ip.flowLabel, 0, 0, 0xfffff));
  const nextHeader = upperProtocol('ipv6 nextHeader', ip.nextHeader, spec, checks);
  if (checks.error) return fail(checks.error);

  const upper = spec.l4 ? buildL4(spec.l4, payload, { src, dst }, nextHeader) : { bytes: payload };
  if (!upper.bytes) return fail(upper.error ?? 'l4: build failed');
  const truePayload = upper.bytes.length;
  // Jumbograms (RFC 2675) need a hop-by-hop option the builder does not write.
  if (truePayload > 0xffff && ip.payloadLength === undefined) return fail(`ipv6 payload of ${truePayload} bytes does not fit the 16-bit payload length`);
  const payloadLength = checks.take(intOr('ipv6 payloadLength', ip.payloadLength, truePayload, 0, 0xffff));
  if (checks.error) return fail(checks.error);

  const out = new Uint8Array(40 + truePayload);
  const v = new DataView(out.buffer);
  v.setUint32(0, ((6 << 28) | (trafficClass << 20) | flowLabel) >>> 0);
  v.setUint16(4, payloadLength);
  out[6] = nextHeader;
  out[7] = hopLimit;
  out.set(src, 8);
  out.set(dst, 24);
  out.set(upper.bytes, 40);
  return ok(out);
}

/** Protocol/next-header: explicit value wins, else derived from l4. */
function upperProtocol(name: string, explicit: number | undefined, spec: PacketSpec, checks: Checks): number {
  if (explicit !== undefined) {
    checks.add(checkInt(name, explicit, 0, 255));
    return explicit;
  }
  if (spec.l4) return l4Protocol(spec.l4);
  checks.add(`${name} is required when there is no l4 layer`);
  return IPPROTO.NONE;
}

function buildArp(arp: ArpSpec): NetResult<Uint8Array> {
  const checks = new Checks();
  if (typeof arp !== 'object' || arp === null) return fail('arp must be an object');
  const op = checks.take(intOr('arp op', arp.op, 1, 0, 0xffff));
  const senderMac = checks.take(macField('arp senderMac', arp.senderMac));
  const senderIp = checks.take(ipv4Field('arp senderIp', arp.senderIp));
  const targetMac = arp.targetMac === undefined ? new Uint8Array(6) : checks.take(macField('arp targetMac', arp.targetMac));
  const targetIp = checks.take(ipv4Field('arp targetIp', arp.targetIp));
  if (checks.error) return fail(checks.error);
  const out = new Uint8Array(28);
  const v = new DataView(out.buffer);
  v.setUint16(0, 1); // hardware type Ethernet
  v.setUint16(2, ETHERTYPE.IPV4);
  out[4] = 6;
  out[5] = 4;
  v.setUint16(6, op);
  out.set(senderMac, 8);
  out.set(senderIp, 14);
  out.set(targetMac, 18);
  out.set(targetIp, 24);
  return ok(out);
}
