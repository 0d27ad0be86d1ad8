/**
 * The skb's checksum-offload state (ip_summed / csum_level), which programs
 * see only through bpf_csum_level: the test run's skb starts as
 * CHECKSUM_NONE; bpf_skb_adjust_room resets it unless told not to.
 */
import type { PacketContext } from '../../interp/contexts.ts';

/** SKB_MAX_CSUM_LEVEL */
const MAX_LEVEL = 3;

interface CsumState {
  unnecessary: boolean;
  level: number;
}

const states = new WeakMap<PacketContext, CsumState>();

export function csumState(pc: PacketContext): CsumState {
  let s = states.get(pc);
  if (!s) {
    s = { unnecessary: false, level: 0 };
    states.set(pc, s);
  }
  return s;
}

/** __skb_incr_checksum_unnecessary */
export function csumIncrement(pc: PacketContext): void {
  const s = csumState(pc);
  if (!s.unnecessary) {
    s.unnecessary = true;
    s.level = 0;
  } else if (s.level < MAX_LEVEL) s.level++;
}

/** __skb_decr_checksum_unnecessary */
export function csumDecrement(pc: PacketContext): void {
  const s = csumState(pc);
  if (!s.unnecessary) return;
  if (s.level === 0) s.unnecessary = false;
  else s.level--;
}

/** __skb_reset_checksum_unnecessary */
export function csumReset(pc: PacketContext): void {
  const s = csumState(pc);
  if (s.unnecessary) {
    s.unnecessary = false;
    s.level = 0;
  }
}
