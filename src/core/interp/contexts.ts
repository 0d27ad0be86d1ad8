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
  /** 'xdp' for xdp_md, 'skb' for __sk_buff (packet helpers check it) */
  kind?: 'xdp' | 'skb';
  /**
   * XDP: offset of data_meta in the packet region (== packet.start when there
   * is no metadata). The packet region's `start` is the lowest readable byte,
   * i.e. data_meta; `data` is kept here so adjust_head/meta can move both.
   */
  xdp?: { data: number; meta: number };
  /** __sk_buff: the fields view (hash, mark...) for helpers that update them */
  skbFields?: DataView;
  /** __sk_buff: offsets of the MAC and network headers in the packet region (helpers that push headers move them) */
  skb?: { mac: number; net: number };
  /** call after changing the packet's bounds (adjust_head/meta/tail): refreshes cached ctx fields */
  sync?: () => void;
}

/** The packet context behind a ctx region (for helpers that get the ctx pointer in r1). */
const contextByCtxRegion = new WeakMap<Region, PacketContext>();

export function packetContextOf(ctxRegion: Region): PacketContext | undefined {
  return contextByCtxRegion.get(ctxRegion);
}

/** Bytes below data that XDP metadata / adjust_head may never reach: sizeof(struct xdp_frame). */
export const XDP_FRAME_SIZE = 40;
/** test_run's XDP frame is one page; the last SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) bytes are tailroom. */
export const XDP_FRAME_SZ = 4096;
export const XDP_TAILROOM = 320;

export type ContextResult = { ok: true; context: PacketContext | null; ctxPointer: bigint; regionIds: number[] } | { ok: false; reason: string };

export function isPacketProgType(t: ProgType): boolean {
  return t === 'xdp' || t === 'socket_filter' || t === 'sched_cls' || t === 'sched_act' || t === 'cgroup_skb' || t === 'lwt_in' || t === 'lwt_out' || t === 'lwt_xmit' || t === 'sk_skb';
}

/**
 * Build the ctx for one run of a program type over `packet` (null: no
 * packet). `ctxIn` is BPF_PROG_TEST_RUN's ctx_in: an xdp_md (ingress
 * ifindex, rx queue, metadata length in `data`) or __sk_buff (mark,
 * priority, ifindex, cb, tstamp) to start from, checked as the kernel checks
 * it; for other program types the ctx bytes themselves (raw_tracepoint
 * arguments, a pt_regs for kprobe, a tracepoint's record).
 */
export function buildContext(memory: Memory, progType: ProgType, packet: Uint8Array | null, ctxIn?: Uint8Array): ContextResult {
  if (!isPacketProgType(progType)) {
    const bytes = new Uint8Array(Math.max(256, ctxIn?.length ?? 0));
    if (ctxIn) bytes.set(ctxIn);
    const ctx = memory.addRegion({ kind: 'ctx', name: 'ctx', bytes, writable: false });
    return { ok: true, context: null, ctxPointer: memory.pointer(ctx.id), regionIds: [ctx.id] };
  }
  let frame = packet ?? defaultPacket();
  let metaLen = 0;
  if (ctxIn) {
    const checked = progType === 'xdp' ? checkXdpCtxIn(ctxIn, frame.length) : checkSkbCtxIn(ctxIn);
    if (typeof checked === 'string') return { ok: false, reason: checked };
    metaLen = checked;
  }
  const meta = frame.subarray(0, metaLen);
  frame = frame.subarray(metaLen);
  // BPF_PROG_TEST_RUN: EINVAL below an Ethernet header; skb runs also need bytes after it (6.18).
  const minimum = progType === 'xdp' ? ETH_HLEN : ETH_HLEN + 1;
  if (frame.length < minimum) {
    return { ok: false, reason: `EINVAL: the packet is ${frame.length} bytes; a ${progType} test run needs at least ${minimum} (${progType === 'xdp' ? 'an Ethernet header' : 'an Ethernet header and payload'})` };
  }
  const context = progType === 'xdp' ? xdpContext(memory, frame, meta) : skbContext(memory, frame, progType === 'socket_filter' || progType === 'cgroup_skb');
  if (ctxIn && context.skbFields) applySkbCtxIn(context.skbFields, ctxIn);
  contextByCtxRegion.set(context.ctx, context);
  return { ok: true, context, ctxPointer: context.ctxPointer, regionIds: context.regionIds };
}

function packetPointer(region: Region, offset: number): Pair {
  return { lo: pointerLo(offset), hi: pointerHi(region.id) };
}

function xdpContext(memory: Memory, frame: Uint8Array, meta: Uint8Array): PacketContext {
  // The whole page, so adjust_tail can grow the packet up to the tailroom in place.
  const bytes = new Uint8Array(Math.max(XDP_FRAME_SZ, XDP_HEADROOM + frame.length));
  bytes.set(frame, XDP_HEADROOM);
  bytes.set(meta, XDP_HEADROOM - meta.length);
  const packet = memory.addRegion({ kind: 'packet', name: 'packet', bytes, start: XDP_HEADROOM - meta.length, end: XDP_HEADROOM + frame.length });
  const state = { data: XDP_HEADROOM, meta: XDP_HEADROOM - meta.length };
  // struct xdp_md { u32 data, data_end, data_meta, ingress_ifindex, rx_queue_index, egress_ifindex; }
  const accessors: CtxAccessors = {
    load(off: number, size: AccessSize): Pair | string {
      if (size !== 4 || off % 4 !== 0) return `invalid access to xdp_md: ${size} bytes at offset ${off} (fields are u32)`;
      switch (off) {
        case 0:
          return packetPointer(packet, state.data);
        case 4:
          return packetPointer(packet, packet.end);
        case 8:
          return packetPointer(packet, state.meta); // == data until bpf_xdp_adjust_meta
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
  const ctxWords = new Int32Array(12);
  const sync = (): void => {
    for (let off = 0; off < 24; off += 4) {
      const v = accessors.load(off, 4);
      if (typeof v === 'string') continue;
      ctxWords[off >> 1] = v.lo;
      ctxWords[(off >> 1) + 1] = v.hi;
    }
  };
  sync();
  const ctx = memory.addRegion({ kind: 'ctx', name: 'xdp_md', bytes: new Uint8Array(24), writable: false, ctx: accessors, ctxWords });
  return {
    sync,
    ctxPointer: memory.pointer(ctx.id),
    ctx,
    packet,
    // BPF_PROG_TEST_RUN's data_out starts at data_meta: metadata is part of it.
    dataOut: () => packet.bytes.slice(state.meta, packet.end),
    regionIds: [packet.id, ctx.id],
    kind: 'xdp',
    xdp: state,
  };
}

const u32At = (b: Uint8Array, off: number): number => (off + 4 <= b.length ? (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0 : 0);
const zeroIn = (b: Uint8Array, from: number, to: number): boolean => b.subarray(from, Math.min(to, b.length)).every((x) => x === 0);

/**
 * xdp_md as ctx_in (xdp_convert_md_to_buff): `data` is the length of
 * metadata at the front of data_in, the only device is lo (ifindex 1) with
 * one rx queue. Returns the metadata length or the refusal.
 */
function checkXdpCtxIn(c: Uint8Array, frameLen: number): number | string {
  const metaLen = u32At(c, 0);
  if (u32At(c, 8) !== 0 || u32At(c, 20) !== 0 || !zeroIn(c, 24, c.length)) return 'EINVAL: xdp_md ctx_in: data_meta and egress_ifindex must be 0';
  const dataEnd = u32At(c, 4);
  if (metaLen > dataEnd || dataEnd > frameLen) return `EINVAL: xdp_md ctx_in: data (${metaLen}) and data_end (${dataEnd}) must satisfy data <= data_end <= ${frameLen} (the packet length)`;
  if ((metaLen & 3) !== 0 || metaLen > 255 || metaLen > frameLen - ETH_HLEN) return `EINVAL: xdp_md ctx_in: ${metaLen} bytes of metadata are not allowed`;
  const ifindex = u32At(c, 12);
  if (ifindex > 1) return `ENODEV: xdp_md ctx_in: no device with ifindex ${ifindex} (only lo, 1)`;
  if (u32At(c, 16) !== 0) return `EINVAL: xdp_md ctx_in: rx_queue_index ${u32At(c, 16)} does not exist (lo has one queue)`;
  return metaLen;
}

/** __sk_buff as ctx_in (convert___skb_to_skb): only mark, priority, ingress_ifindex, ifindex, cb, tstamp and the gso/wire fields may be set. */
function checkSkbCtxIn(c: Uint8Array): number | string {
  const settable: [number, number][] = [
    [SKB.mark, 4],
    [SKB.priority, 4],
    [SKB.ingress_ifindex, 4],
    [SKB.ifindex, 4],
    [SKB.cb, 20],
    [SKB.tstamp, 8],
    [SKB.wire_len, 4],
    [164, 4], // gso_segs
    [176, 4], // gso_size
    [184, 8], // hwtstamp
  ];
  for (let off = 0; off < c.length; off++) {
    if (c[off] === 0) continue;
    if (!settable.some(([start, len]) => off >= start && off < start + len)) return `EINVAL: __sk_buff ctx_in: the byte at offset ${off} must be 0 (that field cannot be set)`;
  }
  const ifindex = Math.max(u32At(c, SKB.ifindex), u32At(c, SKB.ingress_ifindex));
  if (ifindex > 1) return `ENODEV: __sk_buff ctx_in: no device with ifindex ${ifindex} (only lo, 1)`;
  return 0;
}

function applySkbCtxIn(view: DataView, c: Uint8Array): void {
  view.setUint32(SKB.mark, u32At(c, SKB.mark), true);
  view.setUint32(SKB.priority, u32At(c, SKB.priority), true);
  for (let i = 0; i < 5; i++) view.setUint32(SKB.cb + 4 * i, u32At(c, SKB.cb + 4 * i), true);
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
  const skbState = { mac: SKB_HEADROOM, net: SKB_HEADROOM + ETH_HLEN };
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
    dataOut: () => packet.bytes.slice(Math.min(packet.start, skbState.mac), packet.end),
    regionIds: [packet.id, ctx.id],
    kind: 'skb',
    skbFields: view,
    skb: skbState,
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
