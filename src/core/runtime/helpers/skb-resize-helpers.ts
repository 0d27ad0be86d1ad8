/**
 * Socket-buffer helpers that change the packet's size (net/core/filter.c
 * semantics, limits measured on Linux 6.18): bpf_skb_vlan_push (18),
 * bpf_skb_vlan_pop (19), bpf_skb_change_tail (38), bpf_skb_change_head (43).
 * The test run's skb carries a pushed VLAN tag "accelerated" in
 * __sk_buff.vlan_present / vlan_tci / vlan_proto; a second push moves the
 * first tag into the packet, as the kernel does.
 */
import type { HelperContext, HelperFn, Memory } from '../../interp/index.ts';
import { ETH_HLEN, type PacketContext } from '../../interp/contexts.ts';
import { EINVAL } from '../maps/errno.ts';
import { ctxPacket } from './packet-context.ts';
import { isFault, num, ret } from './util.ts';

/** SKB_MAX_ALLOC: 4 pages minus the aligned skb_shared_info. */
export const BPF_SKB_MAX_LEN = 16384 - 320;
const VLAN_HLEN = 4;
const ETH_P_8021Q = 0x8100;
const ETH_P_8021AD = 0x88a8;
/** __sk_buff offsets */
const VLAN_PRESENT = 20;
const VLAN_TCI = 24;
const VLAN_PROTO = 28;
const PROTOCOL = 16;

export function skb(ctx: HelperContext): PacketContext | { fault: string } {
  const pc = ctxPacket(ctx);
  if (isFault(pc)) return pc;
  if (pc.kind !== 'skb' || !pc.skb || !pc.skbFields) return { fault: 'R1 is not a __sk_buff context' };
  return pc;
}

/**
 * Make room: at least `front` bytes before data and `back` after the end,
 * moving the bytes to a bigger buffer when needed (offsets shift; the
 * verifier makes programs reload packet pointers after these helpers).
 */
export function ensureRoom(memory: Memory, pc: PacketContext, front: number, back: number): void {
  const p = pc.packet;
  const low = Math.min(p.start, pc.skb!.mac);
  const needFront = Math.max(0, front - low);
  const needBack = Math.max(0, p.end + back - p.bytes.length);
  if (needFront === 0 && needBack === 0) return;
  const grown = new Uint8Array(p.bytes.length + needFront + needBack + 64);
  const shift = needFront + (needFront > 0 ? 64 : 0);
  grown.set(p.bytes, shift);
  memory.setBytes(p, grown);
  p.start += shift;
  p.end += shift;
  pc.skb!.mac += shift;
  pc.skb!.net += shift;
}

const be16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
/** __sk_buff.vlan_proto holds the __be16 as it sits in memory: swap to and from host order. */
const swap16 = (v: number): number => ((v & 0xff) << 8) | ((v >> 8) & 0xff);

export function skbResizeHelpers(): [number, HelperFn][] {
  const changeTail: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const newLen = num(ctx.arg(2) & 0xffffffffn);
    const p = pc.packet;
    // the minimum is the network header offset (__bpf_skb_min_len)
    const minLen = Math.max(0, pc.skb!.net - p.start);
    if (ctx.arg(3) !== 0n || newLen > BPF_SKB_MAX_LEN || newLen < minLen) return ret(-EINVAL);
    const len = p.end - p.start;
    if (newLen > len) {
      ensureRoom(ctx.memory, pc, 0, newLen - len);
      p.bytes.fill(0, p.end, p.start + newLen);
    }
    p.end = p.start + newLen;
    return 0n;
  };

  const changeHead: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const room = num(ctx.arg(2) & 0xffffffffn);
    const p = pc.packet;
    if (ctx.arg(3) !== 0n || p.end - p.start + room > BPF_SKB_MAX_LEN) return ret(-EINVAL);
    ensureRoom(ctx.memory, pc, room, 0);
    p.start -= room;
    p.bytes.fill(0, p.start, p.start + room);
    pc.skb!.mac = p.start;
    return 0n;
  };

  const vlanPush: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const f = pc.skbFields!;
    const raw = Number(ctx.arg(2) & 0xffffn);
    // __be16 as the program passes it; anything but 802.1Q / 802.1ad becomes 802.1Q
    let proto = swap16(raw);
    if (proto !== ETH_P_8021Q && proto !== ETH_P_8021AD) proto = ETH_P_8021Q;
    const tci = Number(ctx.arg(3) & 0xffffn);
    if (f.getUint32(VLAN_PRESENT, true) !== 0) {
      // the accelerated tag goes into the packet, after the MAC addresses
      ensureRoom(ctx.memory, pc, VLAN_HLEN, 0);
      const p = pc.packet;
      const mac = pc.skb!.mac;
      p.bytes.copyWithin(mac - VLAN_HLEN, mac, mac + 12);
      const oldProto = swap16(f.getUint32(VLAN_PROTO, true));
      const oldTci = f.getUint32(VLAN_TCI, true);
      const at = mac - VLAN_HLEN + 12;
      p.bytes[at] = oldProto >> 8;
      p.bytes[at + 1] = oldProto & 0xff;
      p.bytes[at + 2] = oldTci >> 8;
      p.bytes[at + 3] = oldTci & 0xff;
      pc.skb!.mac = mac - VLAN_HLEN;
      if (p.start === mac) p.start = mac - VLAN_HLEN;
      // skb_vlan_push: the tag counts as part of the network header
      pc.skb!.net -= VLAN_HLEN;
      f.setUint16(PROTOCOL, swap16(oldProto), true);
    }
    f.setUint32(VLAN_PRESENT, 1, true);
    f.setUint32(VLAN_TCI, tci, true);
    f.setUint32(VLAN_PROTO, swap16(proto), true);
    return 0n;
  };

  const vlanPop: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const f = pc.skbFields!;
    const p = pc.packet;
    const isVlan = (t: number): boolean => t === ETH_P_8021Q || t === ETH_P_8021AD;
    /** The tag in the packet right after the MAC addresses, if there is one: [proto, tci]. */
    const tagInPacket = (): [number, number] | null => {
      const mac = pc.skb!.mac;
      if (p.end - mac < ETH_HLEN + VLAN_HLEN) return null;
      const proto = be16(p.bytes, mac + 12);
      return isVlan(proto) ? [proto, be16(p.bytes, mac + 14)] : null;
    };
    /** Remove that tag: the MAC addresses move up over it; skb->protocol becomes the next type. */
    const removeTag = (): void => {
      const mac = pc.skb!.mac;
      p.bytes.copyWithin(mac + VLAN_HLEN, mac, mac + 12);
      pc.skb!.mac = mac + VLAN_HLEN;
      if (p.start === mac) p.start = mac + VLAN_HLEN;
      // the network header stays, but never inside the Ethernet header
      if (pc.skb!.net - pc.skb!.mac < ETH_HLEN) pc.skb!.net = pc.skb!.mac + ETH_HLEN;
      const next = be16(p.bytes, mac + VLAN_HLEN + 12);
      f.setUint16(PROTOCOL, swap16(next), true);
    };
    if (f.getUint32(VLAN_PRESENT, true) !== 0) {
      f.setUint32(VLAN_PRESENT, 0, true);
      f.setUint32(VLAN_TCI, 0, true);
      f.setUint32(VLAN_PROTO, 0, true);
    } else {
      if (tagInPacket() === null) return 0n;
      removeTag();
    }
    // the next tag in the packet, if any, becomes the accelerated one
    const next = tagInPacket();
    if (next === null) return 0n;
    removeTag();
    f.setUint32(VLAN_PRESENT, 1, true);
    f.setUint32(VLAN_TCI, next[1], true);
    f.setUint32(VLAN_PROTO, swap16(next[0]), true);
    return 0n;
  };

  return [
    [18, vlanPush],
    [19, vlanPop],
    [38, changeTail],
    [43, changeHead],
  ];
}
