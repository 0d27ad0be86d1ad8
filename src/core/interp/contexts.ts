/**
 * Program contexts for test runs, shaped like what the kernel's
 * BPF_PROG_TEST_RUN builds (net/bpf/test_run.c): an xdp_md over a packet with
 * XDP headroom in front, a minimal __sk_buff for socket_filter / sched_cls,
 * and a zeroed ctx for everything else.
 *
 * The kernel rewrites ctx field accesses (convert_ctx_access): a 32-bit load
 * of xdp_md->data yields the full 64-bit packet pointer. The accessors here
 * play that role. Field offsets are the uapi struct layouts.
 */
import type { ProgType } from '../program.ts';
import { Memory, pointerHi, pointerLo, type AccessSize, type CtxAccessors, type Pair, type Region } from './memory.ts';

/** XDP_PACKET_HEADROOM */
export const XDP_HEADROOM = 256;
export const ETH_HLEN = 14;
/** Room in front of skb data for helpers that push headers (bpf_skb_adjust_room and friends). */
export const SKB_HEADROOM = 64;
/** test_run gives the loopback device as the receiving interface. */
const LOOPBACK_IFINDEX = 1;

export interface PacketContext {
  /** r1 of the run */
  ctxPointer: bigint;
  ctx: Region;
  packet: Region;
  /** bytes of the packet after the run, as BPF_PROG_TEST_RUN's data_out */
  dataOut(): Uint8Array;
  /** regions to free after the run */
  regionIds: number[];
}

export type ContextResult = { ok: true; context: PacketContext | null; ctxPointer: bigint; regionIds: number[] } | { ok: false; reason: string };

export function isPacketProgType(t: ProgType): boolean {
  return t === 'xdp' || t === 'socket_filter' || t === 'sched_cls' || t === 'sched_act' || t === 'cgroup_skb' || t === 'lwt_in' || t === 'lwt_out' || t === 'lwt_xmit' || t === 'sk_skb';
}

/** Build the ctx for one run of a program type over `packet` (null: no packet). */
export function buildContext(memory: Memory, progType: ProgType, packet: Uint8Array | null): ContextResult {
  if (!isPacketProgType(progType)) {
    const ctx = memory.addRegion({ kind: 'ctx', name: 'ctx', bytes: new Uint8Array(256), writable: false });
    return { ok: true, context: null, ctxPointer: memory.pointer(ctx.id), regionIds: [ctx.id] };
  }
  const frame = packet ?? defaultPacket();
  if (frame.length < ETH_HLEN) {
    return { ok: false, reason: `the packet is ${frame.length} bytes; a test run needs at least ${ETH_HLEN} (an Ethernet header)` };
  }
  const context = progType === 'xdp' ? xdpContext(memory, frame) : skbContext(memory, frame, progType === 'socket_filter' || progType === 'cgroup_skb');
  return { ok: true, context, ctxPointer: context.ctxPointer, regionIds: context.regionIds };
}

function packetPointer(region: Region, offset: number): Pair {
  return { lo: pointerLo(offset), hi: pointerHi(region.id) };
}

function xdpContext(memory: Memory, frame: Uint8Array): PacketContext {
  const bytes = new Uint8Array(XDP_HEADROOM + frame.length);
  bytes.set(frame, XDP_HEADROOM);
  const packet = memory.addRegion({ kind: 'packet', name: 'packet', bytes, start: XDP_HEADROOM, end: XDP_HEADROOM + frame.length });
  // struct xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; }
  const accessors: CtxAccessors = {
    load(off: number, size: AccessSize): Pair | string {
      if (size !== 4 || off % 4 !== 0) return `invalid access to xdp_md: ${size} bytes at offset ${off} (fields are u32)`;
      switch (off) {
        case 0:
          return packetPointer(packet, packet.start);
        case 4:
          return packetPointer(packet, packet.end);
        case 8:
          return packetPointer(packet, packet.start); // no metadata in front of data
        case 12:
          return { lo: LOOPBACK_IFINDEX, hi: 0 };
        case 16:
        case 20:
          return { lo: 0, hi: 0 };
        default:
          return `invalid access to xdp_md at offset ${off} (the struct is 24 bytes)`;
      }
    },
  };
  const ctx = memory.addRegion({ kind: 'ctx', name: 'xdp_md', bytes: new Uint8Array(24), writable: false, ctx: accessors });
  return {
    ctxPointer: memory.pointer(ctx.id),
    ctx,
    packet,
    dataOut: () => packet.bytes.slice(packet.start, packet.end),
    regionIds: [packet.id, ctx.id],
  };
}

/** __sk_buff offsets (include/uapi/linux/bpf.h). */
const SKB = {
  len: 0,
  pkt_type: 4,
  mark: 8,
  queue_mapping: 12,
  protocol: 16,
  priority: 32,
  ingress_ifindex: 36,
  ifindex: 40,
  tc_index: 44,
  cb: 48,
  hash: 68,
  tc_classid: 72,
  data: 76,
  data_end: 80,
  data_meta: 140,
  tstamp: 152,
  wire_len: 160,
  size: 192,
} as const;

/** Fields a program may write (the scalar ones test_run keeps). */
function skbWritable(off: number, size: number): boolean {
  const inField = (start: number, len: number): boolean => off >= start && off + size <= start + len;
  return inField(SKB.mark, 4) || inField(SKB.priority, 4) || inField(SKB.tc_index, 4) || inField(SKB.cb, 20) || inField(SKB.tc_classid, 4) || inField(SKB.tstamp, 8) || inField(SKB.queue_mapping, 4);
}

/**
 * socket_filter (and cgroup_skb) see the packet from the network header; the
 * kernel pulls the Ethernet header before the run and pushes it back after.
 */
function skbContext(memory: Memory, frame: Uint8Array, fromNetworkHeader: boolean): PacketContext {
  const bytes = new Uint8Array(SKB_HEADROOM + frame.length);
  bytes.set(frame, SKB_HEADROOM);
  // Observed on 6.18: for these types data_out carries a zeroed Ethernet header.
  if (fromNetworkHeader) bytes.fill(0, SKB_HEADROOM, SKB_HEADROOM + ETH_HLEN);
  const dataStart = SKB_HEADROOM + (fromNetworkHeader ? ETH_HLEN : 0);
  const packet = memory.addRegion({ kind: 'packet', name: 'packet', bytes, start: dataStart, end: SKB_HEADROOM + frame.length });
  const fields = new Uint8Array(SKB.size);
  const view = new DataView(fields.buffer);
  view.setUint32(SKB.len, packet.end - packet.start, true);
  view.setUint32(SKB.pkt_type, packetType(frame), true);
  // skb->protocol is __be16: the Ethernet type as it sits in the frame.
  view.setUint16(SKB.protocol, frame[12] | (frame[13] << 8), true);
  view.setUint32(SKB.ifindex, LOOPBACK_IFINDEX, true);
  view.setUint32(SKB.wire_len, frame.length, true);
  const accessors: CtxAccessors = {
    load(off: number, size: AccessSize): Pair | string {
      if (off < 0 || off + size > SKB.size) return `invalid access to __sk_buff at offset ${off} (the struct is ${SKB.size} bytes)`;
      if (off === SKB.data || off === SKB.data_end || off === SKB.data_meta) {
        if (size !== 4) return `invalid access to __sk_buff: ${size} bytes at offset ${off} (data pointers are read as u32)`;
        return packetPointer(packet, off === SKB.data_end ? packet.end : packet.start);
      }
      if (off === SKB.len && size === 4) return { lo: packet.end - packet.start, hi: 0 };
      const lo = size === 1 ? view.getUint8(off) : size === 2 ? view.getUint16(off, true) : view.getInt32(off, true);
      return { lo, hi: size === 8 ? view.getInt32(off + 4, true) : 0 };
    },
    store(off: number, size: AccessSize, value: Pair): string | null {
      if (!skbWritable(off, size)) return `invalid write to __sk_buff at offset ${off}: the field is read-only`;
      if (size === 1) view.setUint8(off, value.lo & 0xff);
      else if (size === 2) view.setUint16(off, value.lo & 0xffff, true);
      else if (size === 4) view.setInt32(off, value.lo, true);
      else {
        view.setInt32(off, value.lo, true);
        view.setInt32(off + 4, value.hi, true);
      }
      return null;
    },
  };
  const ctx = memory.addRegion({ kind: 'ctx', name: '__sk_buff', bytes: fields, writable: true, ctx: accessors });
  return {
    ctxPointer: memory.pointer(ctx.id),
    ctx,
    packet,
    dataOut: () => packet.bytes.slice(Math.min(packet.start, SKB_HEADROOM), packet.end),
    regionIds: [packet.id, ctx.id],
  };
}

/**
 * eth_type_trans's pkt_type on the loopback device, whose MAC address and
 * "broadcast address" are both all-zero: so ff:ff:ff:ff:ff:ff is
 * PACKET_MULTICAST there, not PACKET_BROADCAST (confirmed on 6.18).
 */
function packetType(frame: Uint8Array): number {
  const dst = frame.subarray(0, 6);
  if ((dst[0] & 1) !== 0) return 2; // PACKET_MULTICAST
  if (dst.every((b) => b === 0)) return 0; // PACKET_HOST
  return 3; // PACKET_OTHERHOST
}

/**
 * The default frame when no packet is given: 64 bytes of Ethernet/IPv4/UDP,
 * 10.0.0.1:12345 -> 10.0.0.2:53 with a 22-byte payload, valid IPv4 checksum.
 */
export function defaultPacket(): Uint8Array {
  const p = new Uint8Array(64);
  // Ethernet: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, type IPv4
  p.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00], 0);
  // IPv4: version 4, ihl 5, total length 50, ttl 64, proto UDP
  p.set([0x45, 0x00, 0x00, 50, 0x00, 0x01, 0x00, 0x00, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2], 14);
  let sum = 0;
  for (let i = 14; i < 34; i += 2) sum += (p[i] << 8) | p[i + 1];
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const csum = ~sum & 0xffff;
  p[24] = csum >> 8;
  p[25] = csum & 0xff;
  // UDP: 12345 -> 53, length 30, checksum 0 (none)
  p.set([0x30, 0x39, 0x00, 53, 0x00, 30, 0x00, 0x00], 34);
  for (let i = 42; i < 64; i++) p[i] = i - 42;
  return p;
}
