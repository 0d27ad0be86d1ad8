/**
 * XDP helpers over test_run's xdp_buff (net/core/filter.c semantics, limits
 * confirmed on Linux 6.18 with kbpf.py): bpf_xdp_adjust_head (44),
 * bpf_xdp_adjust_meta (54), bpf_xdp_adjust_tail (65), bpf_redirect (23),
 * bpf_redirect_map (51).
 *
 * Layout of the page: data_hard_start at 0, sizeof(struct xdp_frame) = 40
 * bytes reserved there, data at 256, hard end at 4096 - 320 (tailroom).
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import { ETH_HLEN, XDP_FRAME_SIZE, XDP_FRAME_SZ, XDP_TAILROOM, packetContextOf, type PacketContext } from '../../interp/contexts.ts';
import { REGION_TAG_BASE } from '../../interp/index.ts';
import { u64Hi } from '../../num/int64.ts';
import { EINVAL } from '../maps/errno.ts';

const EACCES_ERRNO = 13;
import { isFault, mapArg, num, ret } from './util.ts';
import { ctxPacket } from './packet-context.ts';
import { adjustFragTail, fragBytes } from './xdp-frags.ts';
import type { MapMemory } from './map-memory.ts';
import type { RuntimeSession } from './session.ts';

const XDP_ABORTED = 0n;
const XDP_REDIRECT = 4n;
const TC_ACT_SHOT = 2n;
const TC_ACT_REDIRECT = 7n;
const BPF_F_INGRESS = 1;
const BPF_F_BROADCAST = 8;
const BPF_F_EXCLUDE_INGRESS = 16;
/** metadata is u8-sized in skb_shared_info (meta_len) and must be 4-byte aligned */
const XDP_META_MAX = 255;

/** Signed 32-bit view of an int argument (the helpers take `int offset`). */
function int32(v: bigint): number {
  return Number(BigInt.asIntN(32, v));
}

function xdpState(ctx: HelperContext): { pc: PacketContext; st: { data: number; meta: number } } | { fault: string } {
  const pc = ctxPacket(ctx);
  if (isFault(pc)) return pc;
  if (pc.kind !== 'xdp' || !pc.xdp) return { fault: 'R1 is not an xdp_md context' };
  return { pc, st: pc.xdp };
}

export function xdpHelpers(session: RuntimeSession, mem: MapMemory): [number, HelperFn][] {
  const adjustHead: HelperFn = (ctx) => {
    const x = xdpState(ctx);
    if (isFault(x)) return x;
    const { pc, st } = x;
    const packet = pc.packet;
    const metalen = st.data - st.meta;
    const data = st.data + int32(ctx.arg(2));
    if (data < XDP_FRAME_SIZE + metalen || data > packet.end - ETH_HLEN) return ret(-EINVAL);
    if (metalen > 0) packet.bytes.copyWithin(data - metalen, st.meta, st.data);
    st.meta = data - metalen;
    st.data = data;
    packet.start = st.meta;
    pc.sync?.();
    return 0n;
  };

  const adjustMeta: HelperFn = (ctx) => {
    const x = xdpState(ctx);
    if (isFault(x)) return x;
    const { pc, st } = x;
    const meta = st.meta + int32(ctx.arg(2));
    if (meta < XDP_FRAME_SIZE || meta > st.data) return ret(-EINVAL);
    const metalen = st.data - meta;
    if ((metalen & 3) !== 0 || metalen > XDP_META_MAX) return ret(-EACCES_ERRNO);
    st.meta = meta;
    pc.packet.start = meta;
    pc.sync?.();
    return 0n;
  };

  const adjustTail: HelperFn = (ctx) => {
    const x = xdpState(ctx);
    if (isFault(x)) return x;
    const { pc, st } = x;
    const packet = pc.packet;
    const offset = int32(ctx.arg(2));
    if (fragBytes(pc).length > 0) {
      const err = adjustFragTail(pc, st.data, offset);
      pc.sync?.();
      return ret(err);
    }
    const end = packet.end + offset;
    if (end > XDP_FRAME_SZ - XDP_TAILROOM || end < st.data + ETH_HLEN) return ret(-EINVAL);
    // The kernel clears grown bytes: they could hold stale memory.
    if (offset > 0) packet.bytes.fill(0, packet.end, end);
    packet.end = end;
    pc.sync?.();
    return 0n;
  };

  const redirect: HelperFn = (ctx) => {
    const flags = ctx.arg(2);
    // XDP or tc? The run's ctx says (the session's program type when it has no packet context).
    const entry = ctx.memory.region((u64Hi(ctx.ctxArg) - REGION_TAG_BASE) >>> 0);
    const kind = entry ? packetContextOf(entry)?.kind : undefined;
    const xdp = kind !== undefined ? kind === 'xdp' : session.progType === 'xdp';
    if (xdp) return flags !== 0n ? XDP_ABORTED : XDP_REDIRECT;
    // tc: only BPF_F_INGRESS is allowed
    return (flags & ~BigInt(BPF_F_INGRESS)) !== 0n ? TC_ACT_SHOT : TC_ACT_REDIRECT;
  };

  const redirectMap: HelperFn = (ctx) => {
    const m = mapArg(ctx, mem);
    if (isFault(m)) return m;
    const flags = ctx.arg(3);
    const actionMask = 3n; // XDP_ABORTED | XDP_DROP | XDP_PASS | XDP_TX
    const isDevmap = m.map.type === 'devmap' || m.map.type === 'devmap_hash';
    const flagMask = isDevmap ? BigInt(BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS) : 0n;
    if ((flags & ~(actionMask | flagMask)) !== 0n) return XDP_ABORTED;
    if ((flags & BigInt(BPF_F_BROADCAST)) !== 0n) return XDP_REDIRECT;
    const key = num(BigInt.asUintN(32, ctx.arg(2)));
    const target = 'target' in m.map && typeof m.map.target === 'function' ? (m.map.target as (k: number) => Uint8Array | undefined)(key) : undefined;
    return target ? XDP_REDIRECT : flags & actionMask;
  };

  return [
    [23, redirect],
    [44, adjustHead],
    [51, redirectMap],
    [54, adjustMeta],
    [65, adjustTail],
  ];
}
