/**
 * The fragments of a multi-buffer XDP packet (test_run puts the bytes past
 * the linear part into page-sized fragments): its total length
 * (xdp_get_buff_len) and bpf_xdp_adjust_tail on it, which grows or shrinks
 * the last fragments, never the linear part while fragments remain
 * (bpf_xdp_frags_increase_tail / bpf_xdp_frags_shrink_tail).
 */
import type { PacketContext } from '../../interp/contexts.ts';
import { ETH_HLEN } from '../../interp/contexts.ts';
import { EINVAL } from '../maps/errno.ts';

/** test_run's fragments are pages: a fragment's room is PAGE_SIZE (rxq frag_size) */
const FRAG_SIZE = 4096;

export function fragBytes(pc: PacketContext): Uint8Array {
  return pc.xdpFrags?.bytes ?? new Uint8Array(0);
}

/** xdp_get_buff_len: the linear part (from data) plus the fragments. */
export function xdpBuffLen(pc: PacketContext, data: number): number {
  return pc.packet.end - data + fragBytes(pc).length;
}

/** adjust_tail on a packet with fragments: 0 or -errno. */
export function adjustFragTail(pc: PacketContext, data: number, offset: number): number {
  const frags = pc.xdpFrags!;
  const len = frags.bytes.length;
  if (offset >= 0) {
    const lastSize = ((len - 1) % FRAG_SIZE) + 1;
    if (offset > FRAG_SIZE - lastSize) return -EINVAL;
    const grown = new Uint8Array(len + offset);
    grown.set(frags.bytes);
    frags.bytes = grown;
    return 0;
  }
  let shrink = -offset;
  if (shrink > xdpBuffLen(pc, data) - ETH_HLEN) return -EINVAL;
  const fromFrags = Math.min(shrink, len);
  frags.bytes = frags.bytes.slice(0, len - fromFrags);
  shrink -= fromFrags;
  // once every fragment is gone, the rest comes off the linear part
  if (frags.bytes.length === 0) pc.packet.end -= shrink;
  return 0;
}
