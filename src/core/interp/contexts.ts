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
import { tracingContext } from './tracing-contexts.ts';
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
  /**
   * XDP multi-buffer: the bytes past the linear part (a ctx_in's data_end
   * short of the packet), in data_out after it; helpers that resize the
   * tail of a multi-buffer packet work on these (bpf_xdp_adjust_tail).
   */
  xdpFrags?: { bytes: Uint8Array };
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
 * arguments, a pt_regs for kprobe, a tracepoint's record: tracing-contexts.ts).
 * `ctxReach` tells how far the program reads its ctx (raw_tracepoint test
 * runs refuse a shorter ctx_in).
 */
export function buildContext(memory: Memory, progType: ProgType, packet: Uint8Array | null, ctxIn?: Uint8Array, ctxReach: () => number = () => 0): ContextResult {
  if (!isPacketProgType(progType)) {
    const t = tracingContext(memory, progType, ctxIn, ctxReach);
    return t.ok ? { ok: true, context: null, ctxPointer: t.ctxPointer, regionIds: t.regionIds } : t;
  }
  let frame = packet ?? defaultPacket();
  let metaLen = 0;
  let linearEnd = frame.length;
  if (ctxIn) {
    const checked = progType === 'xdp' ? checkXdpCtxIn(ctxIn, frame.length) : checkSkbCtxIn(ctxIn, frame, fromNetworkHeader(progType));
    if (typeof checked === 'string') return { ok: false, reason: checked };
    metaLen = checked.metaLen;
    linearEnd = checked.linearEnd;
  }
  const meta = frame.subarray(0, metaLen);
  // XDP: what lies past the linear part goes to fragments the program cannot reach directly
  const frags = progType === 'xdp' ? frame.subarray(Math.min(linearEnd, XDP_MAX_LINEAR + metaLen)) : new Uint8Array(0);
  frame = frame.subarray(metaLen, frame.length - frags.length);
  // BPF_PROG_TEST_RUN: EINVAL below an Ethernet header; skb runs also need bytes after it (6.18).
  // (XDP counts the fragments: a ctx_in may make the linear part shorter, even empty.)
  const minimum = progType === 'xdp' ? ETH_HLEN : ETH_HLEN + 1;
  if (frame.length + frags.length < minimum) {
    return { ok: false, reason: `EINVAL: the packet is ${frame.length} bytes; a ${progType} test run needs at least ${minimum} (${progType === 'xdp' ? 'an Ethernet header' : 'an Ethernet header and payload'})` };
  }
  const context = progType === 'xdp' ? xdpContext(memory, frame, meta, frags) : skbContext(memory, frame, fromNetworkHeader(progType));
  if (ctxIn && context.skbFields) applySkbCtxIn(context.skbFields, ctxIn);
  contextByCtxRegion.set(context.ctx, context);
  return { ok: true, context, ctxPointer: context.ctxPointer, regionIds: context.regionIds };
}

/** socket_filter and cgroup_skb see the packet from the network header. */
const fromNetworkHeader = (t: ProgType): boolean => t === 'socket_filter' || t === 'cgroup_skb';

function packetPointer(region: Region, offset: number): Pair {
  return { lo: pointerLo(offset), hi: pointerHi(region.id) };
}

function xdpContext(memory: Memory, frame: Uint8Array, meta: Uint8Array, frags: Uint8Array): PacketContext {
  // The whole page, so adjust_tail can grow the packet up to the tailroom in place.
  const bytes = new Uint8Array(Math.max(XDP_FRAME_SZ, XDP_HEADROOM + frame.length));
  bytes.set(frame, XDP_HEADROOM);
  bytes.set(meta, XDP_HEADROOM - meta.length);
  const packet = memory.addRegion({ kind: 'packet', name: 'packet', bytes, start: XDP_HEADROOM - meta.length, end: XDP_HEADROOM + frame.length });
  const state = { data: XDP_HEADROOM, meta: XDP_HEADROOM - meta.length };
  const fragState = { bytes: frags };
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
    // BPF_PROG_TEST_RUN's data_out starts at data_meta: metadata is part of it; fragments follow the linear part.
    dataOut: () => (fragState.bytes.length === 0 ? packet.bytes.slice(state.meta, packet.end) : concat(packet.bytes.subarray(state.meta, packet.end), fragState.bytes)),
    regionIds: [packet.id, ctx.id],
    kind: 'xdp',
    xdp: state,
    xdpFrags: fragState,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The longest linear XDP packet test_run builds (PAGE_SIZE - headroom - tailroom); more goes to fragments. */
const XDP_MAX_LINEAR = XDP_FRAME_SZ - XDP_HEADROOM - XDP_TAILROOM;

/** A ctx_in accepted: metadata bytes at the front of data_in, and where its linear part ends. */
interface CtxInLayout {
  metaLen: number;
  linearEnd: number;
}

/**
 * bpf_ctx_init: a ctx_in longer than the struct must be zero past it (E2BIG
 * otherwise, bpf_check_uarg_tail_zero).
 */
function tailProblem(c: Uint8Array, structSize: number, what: string): string | null {
  return zeroIn(c, structSize, c.length) ? null : `E2BIG: ${what} ctx_in: bytes past the ${structSize}-byte struct must be 0`;
}

const u32At = (b: Uint8Array, off: number): number => (off + 4 <= b.length ? (b[off]! | (b[off + 1]! << 8) | (b[off + 2]! << 16) | (b[off + 3]! << 24)) >>> 0 : 0);
const zeroIn = (b: Uint8Array, from: number, to: number): boolean => b.subarray(from, Math.min(to, b.length)).every((x) => x === 0);

/**
 * xdp_md as ctx_in (bpf_prog_test_run_xdp, xdp_convert_md_to_buff): `data`
 * is the length of metadata at the front of data_in, `data_end` where the
 * linear part ends (6.18: the bytes after it become fragments, even all of
 * them), the only device is lo (ifindex 1) with one rx queue. Checked in the
 * kernel's order.
 */
function checkXdpCtxIn(c: Uint8Array, frameLen: number): CtxInLayout | string {
  const tail = tailProblem(c, 24, 'xdp_md');
  if (tail) return tail;
  const metaLen = u32At(c, 0);
  const dataEnd = u32At(c, 4);
  if (u32At(c, 8) !== 0 || metaLen > dataEnd || dataEnd > frameLen) {
    return `EINVAL: xdp_md ctx_in: data_meta must be 0 and data (${metaLen}) <= data_end (${dataEnd}) <= ${frameLen} (the packet length)`;
  }
  // xdp_metalen_invalid, and the metadata must fit the headroom above the xdp_frame
  if ((metaLen & 3) !== 0 || metaLen > 255 || metaLen > XDP_HEADROOM - XDP_FRAME_SIZE || frameLen - metaLen < ETH_HLEN) {
    return `EINVAL: xdp_md ctx_in: ${metaLen} bytes of metadata are not allowed`;
  }
  if (u32At(c, 20) !== 0) return 'EINVAL: xdp_md ctx_in: egress_ifindex must be 0';
  const ifindex = u32At(c, 12);
  const rxQueue = u32At(c, 16);
  if (ifindex === 0 && rxQueue !== 0) return 'EINVAL: xdp_md ctx_in: an rx_queue_index needs an ingress_ifindex';
  if (ifindex > 1) return `ENODEV: xdp_md ctx_in: no device with ifindex ${ifindex} (only lo, 1)`;
  if (rxQueue !== 0) return `EINVAL: xdp_md ctx_in: rx_queue_index ${rxQueue} does not exist (lo has one queue)`;
  return { metaLen, linearEnd: dataEnd };
}

/**
 * __sk_buff as ctx_in (bpf_prog_test_run_skb, convert___skb_to_skb): only
 * mark, priority, ingress_ifindex, ifindex, cb, tstamp and the gso/wire
 * fields may be set; checked in the kernel's order.
 */
function checkSkbCtxIn(c: Uint8Array, frame: Uint8Array, fromNetwork: boolean): CtxInLayout | string {
  const tail = tailProblem(c, SKB.size, '__sk_buff');
  if (tail) return tail;
  // only ifindex names a device the kernel looks up; ingress_ifindex is copied as it is
  const ifindex = u32At(c, SKB.ifindex);
  if (ifindex > 1) return `ENODEV: __sk_buff ctx_in: no device with ifindex ${ifindex} (only lo, 1)`;
  const ipProblem = ipHeaderProblem(frame);
  if (ipProblem) return ipProblem;
  const settable: [number, number][] = [
    [SKB.mark, 4],
    [SKB.priority, 4],
    [SKB.ingress_ifindex, 4],
    [SKB.ifindex, 4],
    [SKB.cb, 20],
    [SKB.tstamp, 8],
    [SKB.wire_len, 4],
    [SKB.gso_segs, 4],
    [SKB.gso_size, 4],
    [SKB.hwtstamp, 8],
  ];
  for (let off = 0; off < Math.min(c.length, SKB.size); off++) {
    if (c[off] === 0) continue;
    if (!settable.some(([start, len]) => off >= start && off < start + len)) return `EINVAL: __sk_buff ctx_in: the byte at offset ${off} must be 0 (that field cannot be set)`;
  }
  // skb->len when the ctx is converted: without the Ethernet header for the types that start at the network header
  const skbLen = frame.length - (fromNetwork ? ETH_HLEN : 0);
  const wireLen = u32At(c, SKB.wire_len);
  if (wireLen !== 0 && (wireLen < skbLen || wireLen > GSO_LEGACY_MAX_SIZE)) return `EINVAL: __sk_buff ctx_in: wire_len ${wireLen} must be between the packet length (${skbLen}) and ${GSO_LEGACY_MAX_SIZE}`;
  if (u32At(c, SKB.gso_segs) > GSO_MAX_SEGS) return `EINVAL: __sk_buff ctx_in: gso_segs ${u32At(c, SKB.gso_segs)} is above ${GSO_MAX_SEGS}`;
  return { metaLen: 0, linearEnd: frame.length };
}

const GSO_LEGACY_MAX_SIZE = 65536;
const GSO_MAX_SEGS = 65535;

/** An IPv4 / IPv6 frame must hold the whole IP header after the Ethernet header (bpf_prog_test_run_skb). */
function ipHeaderProblem(frame: Uint8Array): string | null {
  const type = frame.length >= ETH_HLEN ? (frame[12] << 8) | frame[13] : 0;
  const need = type === 0x0800 ? 20 : type === 0x86dd ? 40 : 0;
  return frame.length - ETH_HLEN < need ? `EINVAL: an ${need === 20 ? 'IPv4' : 'IPv6'} packet needs its ${need}-byte header after the Ethernet header` : null;
}

/** What convert___skb_to_skb copies into the skb (wire_len 0 stands for skb->len). */
function applySkbCtxIn(view: DataView, c: Uint8Array): void {
  for (const off of [SKB.mark, SKB.priority, SKB.ingress_ifindex, SKB.gso_segs, SKB.gso_size]) view.setUint32(off, u32At(c, off), true);
  for (let i = 0; i < 5; i++) view.setUint32(SKB.cb + 4 * i, u32At(c, SKB.cb + 4 * i), true);
  for (const off of [SKB.tstamp, SKB.hwtstamp]) {
    view.setUint32(off, u32At(c, off), true);
    view.setUint32(off + 4, u32At(c, off + 4), true);
  }
  view.setUint32(SKB.wire_len, u32At(c, SKB.wire_len) || view.getUint32(SKB.len, true), true);
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
  gso_segs: 164,
  gso_size: 176,
  hwtstamp: 184,
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
  // wire_len is qdisc_skb_cb's pkt_len, which only a ctx_in sets (applySkbCtxIn): 0 without one
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
