/**
 * Helpers that add or remove room inside the packet, between or after its
 * headers (net/core/filter.c semantics, results recorded from Linux 6.18's
 * BPF_PROG_TEST_RUN in test-data/runtime/helper-runs.json):
 * bpf_skb_change_proto (31) and bpf_skb_adjust_room (50).
 *
 * Both work relative to skb->protocol (__sk_buff.protocol, set from the
 * Ethernet type when the run starts) and the MAC header length
 * (network - mac header). They only make room: the bytes inserted are
 * zeros, the Ethernet type in the packet is left as it was (the program
 * rewrites headers itself), and skb->protocol is updated.
 *
 * The test run's skb is linear and never GSO, so the GSO branches of the
 * kernel code have no counterpart here; the checksum state is reset as the
 * kernel does (skb-csum-state.ts).
 */
import type { HelperFn } from '../../interp/index.ts';
import type { PacketContext } from '../../interp/contexts.ts';
import type { Memory } from '../../interp/index.ts';
import { EFAULT, EINVAL, ENOMEM, ENOTSUPP } from '../maps/errno.ts';
import { BPF_SKB_MAX_LEN, ensureRoom, skb } from './skb-resize-helpers.ts';
import { isFault, ret } from './util.ts';
import { csumReset } from './skb-csum-state.ts';

/** asm-generic/errno.h: a second encapsulation */
const EALREADY = 114;
/** __sk_buff offsets */
const PROTOCOL = 16;
const SKB_HASH = 68;
/** htons(ETH_P_IP) / htons(ETH_P_IPV6) as a little-endian machine holds them */
const BE_ETH_P_IP = 0x0008;
const BE_ETH_P_IPV6 = 0xdd86;
const IPV4_HLEN = 20;
const IPV6_HLEN = 40;
const ETH_HLEN = 14;

const F_FIXED_GSO = 1n << 0n;
const F_ENCAP_L3_IPV4 = 1n << 1n;
const F_ENCAP_L3_IPV6 = 1n << 2n;
const F_ENCAP_L4_GRE = 1n << 3n;
const F_ENCAP_L4_UDP = 1n << 4n;
const F_NO_CSUM_RESET = 1n << 5n;
const F_ENCAP_L2_ETH = 1n << 6n;
const F_DECAP_L3_IPV4 = 1n << 7n;
const F_DECAP_L3_IPV6 = 1n << 8n;
const ENCAP_L2_SHIFT = 56n;
const ENCAP_L3 = F_ENCAP_L3_IPV4 | F_ENCAP_L3_IPV6;
const DECAP_L3 = F_DECAP_L3_IPV4 | F_DECAP_L3_IPV6;
const ALL_FLAGS = F_FIXED_GSO | ENCAP_L3 | F_ENCAP_L4_GRE | F_ENCAP_L4_UDP | F_ENCAP_L2_ETH | (0xffn << ENCAP_L2_SHIFT) | DECAP_L3 | F_NO_CSUM_RESET;
const SHRINK_FLAGS = F_FIXED_GSO | DECAP_L3 | F_NO_CSUM_RESET;
const BPF_ADJ_ROOM_NET = 0;
const BPF_ADJ_ROOM_MAC = 1;

/** skb->encapsulation per run: a second encapsulation of the same packet is refused. */
const encapsulated = new WeakSet<PacketContext>();

function protocol(pc: PacketContext): number {
  return pc.skbFields!.getUint16(PROTOCOL, true);
}

function setProtocol(pc: PacketContext, beProto: number): void {
  pc.skbFields!.setUint16(PROTOCOL, beProto, true);
}

/** Insert `len` zero bytes `off` bytes after data; the headers stay at their offsets from data. */
function pushAt(memory: Memory, pc: PacketContext, off: number, len: number): void {
  ensureRoom(memory, pc, len, 0);
  const p = pc.packet;
  p.start -= len;
  p.bytes.copyWithin(p.start, p.start + len, p.start + len + off);
  p.bytes.fill(0, p.start + off, p.start + off + len);
  pc.skb!.mac -= len;
  pc.skb!.net -= len;
}

/** Remove `len` bytes `off` bytes after data; -ENOMEM when the packet is shorter than off + len. */
function popAt(pc: PacketContext, off: number, len: number): number {
  const p = pc.packet;
  if (p.end - p.start < off + len) return -ENOMEM;
  p.bytes.copyWithin(p.start + len, p.start, p.start + off);
  p.start += len;
  pc.skb!.mac += len;
  pc.skb!.net += len;
  return 0;
}

/** bpf_skb_net_base_len: the fixed IP header length for skb->protocol. */
function netBaseLen(beProto: number): number {
  if (beProto === BE_ETH_P_IP) return IPV4_HLEN;
  if (beProto === BE_ETH_P_IPV6) return IPV6_HLEN;
  return 0xffffffff;
}

export function skbRoomHelpers(): [number, HelperFn][] {
  const changeProto: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    if (ctx.arg(3) !== 0n) return ret(-EINVAL);
    const to = Number(ctx.arg(2) & 0xffffn);
    const from = protocol(pc);
    const macLen = pc.skb!.net - pc.skb!.mac;
    const diff = IPV6_HLEN - IPV4_HLEN;
    if (from === BE_ETH_P_IP && to === BE_ETH_P_IPV6) {
      pushAt(ctx.memory, pc, macLen, diff);
    } else if (from === BE_ETH_P_IPV6 && to === BE_ETH_P_IP) {
      const err = popAt(pc, macLen, diff);
      if (err) return ret(err);
    } else {
      return ret(-ENOTSUPP);
    }
    setProtocol(pc, to);
    // skb_clear_hash
    pc.skbFields!.setUint32(SKB_HASH, 0, true);
    return 0n;
  };

  const adjustRoom: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const lenDiff = Number(BigInt.asIntN(32, ctx.arg(2)));
    const mode = Number(ctx.arg(3) & 0xffffffffn);
    const flags = ctx.arg(4);
    const abs = Math.abs(lenDiff);
    const shrink = lenDiff < 0;
    const proto = protocol(pc);
    if ((flags & ~ALL_FLAGS) !== 0n) return ret(-EINVAL);
    if (abs > 0xfff) return ret(-EFAULT);
    if (proto !== BE_ETH_P_IP && proto !== BE_ETH_P_IPV6) return ret(-ENOTSUPP);
    const macLen = pc.skb!.net - pc.skb!.mac;
    let off = macLen;
    if (mode === BPF_ADJ_ROOM_NET) off += netBaseLen(proto);
    else if (mode !== BPF_ADJ_ROOM_MAC) return ret(-ENOTSUPP);
    let lenMin = netBaseLen(proto);
    const decap = flags & DECAP_L3;
    if (decap !== 0n) {
      if (!shrink) return ret(-EINVAL);
      if (decap === F_DECAP_L3_IPV4) lenMin = IPV4_HLEN;
      else if (decap === F_DECAP_L3_IPV6) lenMin = IPV6_HLEN;
      else return ret(-EINVAL);
    }
    const p = pc.packet;
    const len = p.end - p.start;
    const lenCur = p.end - pc.skb!.net;
    if (shrink ? abs >= lenCur || lenCur - abs < lenMin : len + abs > BPF_SKB_MAX_LEN) return ret(-ENOTSUPP);
    const err = shrink ? shrinkRoom(pc, off, abs, flags) : growRoom(ctx.memory, pc, off, abs, flags, macLen);
    if (err === 0 && (flags & F_NO_CSUM_RESET) === 0n) csumReset(pc);
    return ret(err);
  };

  return [
    [31, changeProto],
    [50, adjustRoom],
  ];
}

/** bpf_skb_net_shrink */
function shrinkRoom(pc: PacketContext, off: number, len: number, flags: bigint): number {
  if ((flags & ~SHRINK_FLAGS) !== 0n) return -EINVAL;
  const err = popAt(pc, off, len);
  if (err) return err;
  const proto = protocol(pc);
  if (proto === BE_ETH_P_IP && flags & F_DECAP_L3_IPV6) setProtocol(pc, BE_ETH_P_IPV6);
  else if (proto === BE_ETH_P_IPV6 && flags & F_DECAP_L3_IPV4) setProtocol(pc, BE_ETH_P_IP);
  return 0;
}

/** bpf_skb_net_grow: room after `off`; with an ENCAP_L3 flag the packet becomes an encapsulation. */
function growRoom(memory: Memory, pc: PacketContext, off: number, len: number, flags: bigint, macLen: number): number {
  const innerMacLen = Number((flags >> ENCAP_L2_SHIFT) & 0xffn);
  const encap = (flags & ENCAP_L3) !== 0n;
  if (encap) {
    if ((flags & ENCAP_L3) === ENCAP_L3) return -EINVAL;
    if (flags & F_ENCAP_L4_GRE && flags & F_ENCAP_L4_UDP) return -EINVAL;
    if (flags & F_ENCAP_L2_ETH && innerMacLen < ETH_HLEN) return -EINVAL;
    if (encapsulated.has(pc)) return -EALREADY;
    if (innerMacLen > len) return -EINVAL;
  }
  pushAt(memory, pc, off, len);
  if (encap) {
    encapsulated.add(pc);
    // the outer network header starts right after the MAC header, where the room is
    pc.skb!.net = pc.skb!.mac + macLen;
    const proto = protocol(pc);
    if (proto === BE_ETH_P_IP && flags & F_ENCAP_L3_IPV6) setProtocol(pc, BE_ETH_P_IPV6);
    else if (proto === BE_ETH_P_IPV6 && flags & F_ENCAP_L3_IPV4) setProtocol(pc, BE_ETH_P_IP);
  }
  return 0;
}
