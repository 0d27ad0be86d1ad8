/**
 * Socket-buffer helpers over test_run's linear skb (net/core/filter.c
 * semantics; the test run's skb has ip_summed = CHECKSUM_NONE and no socket):
 * skb_store_bytes (9), l3_csum_replace (10), l4_csum_replace (11),
 * clone_redirect (13), skb_change_type (32),
 * get_hash_recalc (34), skb_pull_data (39), csum_update (40),
 * get_socket_cookie (46), get_socket_uid (47) of test_run's own socket, set_hash (48),
 * set_hash_invalid (41), skb_load_bytes (26), skb_load_bytes_relative (68),
 * and bpf_csum_diff (28), which needs no skb.
 * Offsets are relative to skb->data (the packet region's start).
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import type { PacketContext } from '../../interp/contexts.ts';
import { ETH_HLEN, SKB_HEADROOM } from '../../interp/contexts.ts';
import { EFAULT, EINVAL, ENOMEM, ENOTSUPP } from '../maps/errno.ts';
import { csumPartial, csumReplace2, csumReplace4, csumReplaceByDiff, csumSub, from32to16 } from './csum.ts';
import { ctxPacket } from './packet-context.ts';
import { isFault, num, readArg, ret } from './util.ts';
import type { RuntimeSession } from './session.ts';

const INT_MAX = 0x7fffffff;
const BPF_F_RECOMPUTE_CSUM = 1;
const BPF_F_INVALIDATE_HASH = 2;
const BPF_F_HDR_FIELD_MASK = 0xf;
const BPF_F_PSEUDO_HDR = 0x10;
const BPF_F_MARK_MANGLED_0 = 0x20;
const BPF_F_MARK_ENFORCE = 0x40;
const BPF_F_IPV6 = 0x80;
const CSUM_MANGLED_0 = 0xffff;
/** __sk_buff.hash */
const SKB_HASH = 68;
const SKB_PKT_TYPE = 4;
const PACKET_OTHERHOST = 3;
/** bpf_csum_diff's scratch buffer: MAX_BPF_STACK bytes of __be32 */
const CSUM_DIFF_MAX = 512;

function skb(ctx: HelperContext): PacketContext | { fault: string } {
  const pc = ctxPacket(ctx);
  if (isFault(pc)) return pc;
  if (pc.kind !== 'skb') return { fault: 'R1 is not a __sk_buff context' };
  return pc;
}

/** skb->len */
function skbLen(pc: PacketContext): number {
  return pc.packet.end - pc.packet.start;
}

/** Write bytes to the helper's destination argument (stack, map value); a fault message or null. */
function writeTo(ctx: HelperContext, n: 1 | 2 | 3 | 4 | 5, data: Uint8Array): { fault: string } | null {
  const err = ctx.memory.write(ctx.arg(n), data);
  return err ? { fault: `R${n}: ${err}` } : null;
}

/**
 * A deterministic stand-in for the flow hash: the kernel's skb_get_hash
 * keys its flow hash with a random boot-time secret, so no particular value
 * is "right"; this one depends only on the packet bytes.
 */
function flowHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  return h >>> 0 || 1;
}

export function skbHelpers(session: RuntimeSession): [number, HelperFn][] {
  const loadBytes: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const offset = ctx.arg(2) & 0xffffffffn;
    const len = num(ctx.arg(4));
    const out = new Uint8Array(len);
    let rc = -EFAULT;
    if (offset <= BigInt(INT_MAX) && Number(offset) + len <= skbLen(pc)) {
      const at = pc.packet.start + Number(offset);
      out.set(pc.packet.bytes.subarray(at, at + len));
      rc = 0;
    }
    return writeTo(ctx, 3, out) ?? ret(rc);
  };

  const loadBytesRelative: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const offset = ctx.arg(2) & 0xffffffffn;
    const len = num(ctx.arg(4));
    const startHeader = ctx.arg(5);
    const out = new Uint8Array(len);
    let rc = -EFAULT;
    // test_run's skb: the MAC header is the frame start, the network header follows it
    const mac = pc.skb?.mac ?? SKB_HEADROOM;
    const net = pc.skb?.net ?? SKB_HEADROOM + ETH_HLEN;
    const base = startHeader === 0n ? mac : startHeader === 1n ? net : -1;
    if (base >= 0 && offset <= 0xffffn && base + Number(offset) + len <= pc.packet.end) {
      const at = base + Number(offset);
      out.set(pc.packet.bytes.subarray(at, at + len));
      rc = 0;
    }
    return writeTo(ctx, 3, out) ?? ret(rc);
  };

  const storeBytes: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const offset = ctx.arg(2) & 0xffffffffn;
    const len = num(ctx.arg(4));
    const flags = ctx.arg(5);
    if ((flags & ~BigInt(BPF_F_RECOMPUTE_CSUM | BPF_F_INVALIDATE_HASH)) !== 0n) return ret(-EINVAL);
    if (offset > 0xffffn) return ret(-EFAULT);
    if (Number(offset) + len > skbLen(pc)) return ret(-EFAULT);
    const from = readArg(ctx, 3, len, 'from');
    if (isFault(from)) return from;
    pc.packet.bytes.set(from, pc.packet.start + Number(offset));
    if ((flags & BigInt(BPF_F_INVALIDATE_HASH)) !== 0n) pc.skbFields?.setUint32(SKB_HASH, 0, true);
    return 0n;
  };

  /** The __sum16 at `offset` for a csum_replace helper, or an errno. */
  const sumField = (pc: PacketContext, offset: bigint): number => {
    if (offset > 0xffffn || (offset & 1n) !== 0n) return -EFAULT;
    if (Number(offset) + 2 > skbLen(pc)) return -EFAULT;
    return pc.packet.start + Number(offset);
  };

  const l3Replace: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const flags = ctx.arg(5);
    if ((flags & ~BigInt(BPF_F_HDR_FIELD_MASK)) !== 0n) return ret(-EINVAL);
    const at = sumField(pc, ctx.arg(2) & 0xffffffffn);
    if (at < 0) return ret(at);
    const view = pc.packet.view;
    const sum = view.getUint16(at, true);
    const from = Number(ctx.arg(3) & 0xffffffffn);
    const to = Number(ctx.arg(4) & 0xffffffffn);
    switch (Number(flags) & BPF_F_HDR_FIELD_MASK) {
      case 0:
        if (from !== 0) return ret(-EINVAL);
        view.setUint16(at, csumReplaceByDiff(sum, to), true);
        break;
      case 2:
        view.setUint16(at, csumReplace2(sum, from & 0xffff, to & 0xffff), true);
        break;
      case 4:
        view.setUint16(at, csumReplace4(sum, from, to), true);
        break;
      default:
        return ret(-EINVAL);
    }
    return 0n;
  };

  const l4Replace: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const flags = ctx.arg(5);
    const allowed = BPF_F_MARK_MANGLED_0 | BPF_F_MARK_ENFORCE | BPF_F_PSEUDO_HDR | BPF_F_HDR_FIELD_MASK | BPF_F_IPV6;
    if ((flags & ~BigInt(allowed)) !== 0n) return ret(-EINVAL);
    const f = Number(flags);
    const at = sumField(pc, ctx.arg(2) & 0xffffffffn);
    if (at < 0) return ret(at);
    const view = pc.packet.view;
    const sum = view.getUint16(at, true);
    const mangledZero = (f & BPF_F_MARK_MANGLED_0) !== 0;
    if (mangledZero && (f & BPF_F_MARK_ENFORCE) === 0 && sum === 0) return 0n;
    const from = Number(ctx.arg(3) & 0xffffffffn);
    const to = Number(ctx.arg(4) & 0xffffffffn);
    let next: number;
    switch (f & BPF_F_HDR_FIELD_MASK) {
      case 0:
        if (from !== 0) return ret(-EINVAL);
        next = csumReplaceByDiff(sum, to);
        break;
      case 2:
        // inet_proto_csum_replace2 widens the 16-bit values and replaces as 32-bit
        next = csumReplace4(sum, from & 0xffff, to & 0xffff);
        break;
      case 4:
        next = csumReplace4(sum, from, to);
        break;
      default:
        return ret(-EINVAL);
    }
    if (mangledZero && next === 0) next = CSUM_MANGLED_0;
    view.setUint16(at, next, true);
    return 0n;
  };

  const csumDiff: HelperFn = (ctx) => {
    const fromSize = num(ctx.arg(2));
    const toSize = num(ctx.arg(4));
    // 6.18 no longer insists on multiples of 4 (the verifier bounds the sizes).
    if (fromSize + toSize > CSUM_DIFF_MAX) return ret(-EINVAL);
    const seed = Number(ctx.arg(5) & 0xffffffffn);
    const from = fromSize > 0 ? readArg(ctx, 1, fromSize, 'from') : new Uint8Array(0);
    if (isFault(from)) return from;
    const to = toSize > 0 ? readArg(ctx, 3, toSize, 'to') : new Uint8Array(0);
    if (isFault(to)) return to;
    let sum = seed;
    if (fromSize > 0 && toSize > 0) sum = csumSub(csumPartial(to, seed), csumPartial(from, 0));
    else if (toSize > 0) sum = csumPartial(to, seed);
    else if (fromSize > 0) sum = ~csumPartial(from, ~seed >>> 0) >>> 0;
    return BigInt(from32to16(sum));
  };

  const getHashRecalc: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const fields = pc.skbFields;
    if (!fields) return 0n;
    let h = fields.getUint32(SKB_HASH, true);
    if (h === 0) {
      h = flowHash(pc.packet.bytes.subarray(SKB_HEADROOM, pc.packet.end));
      fields.setUint32(SKB_HASH, h, true);
    }
    return BigInt(h);
  };

  const setHash: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    pc.skbFields?.setUint32(SKB_HASH, Number(ctx.arg(2) & 0xffffffffn), true);
    return 0n;
  };

  const setHashInvalid: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    pc.skbFields?.setUint32(SKB_HASH, 0, true);
    return 0n;
  };

  const pullData: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    // The test run's skb is linear: pulling succeeds up to skb->len.
    const len = num(ctx.arg(2));
    return len > skbLen(pc) ? ret(-ENOMEM) : 0n;
  };

  const changeType: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const fields = pc.skbFields;
    const type = Number(ctx.arg(2) & 0xffffffffn);
    if (!fields || fields.getUint32(SKB_PKT_TYPE, true) > PACKET_OTHERHOST || type > PACKET_OTHERHOST) return ret(-EINVAL);
    fields.setUint32(SKB_PKT_TYPE, type, true);
    return 0n;
  };

  const cloneRedirect: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    if ((ctx.arg(3) & ~1n) !== 0n) return ret(-EINVAL);
    // the only device of the simulated namespace is lo (ifindex 1)
    return ctx.arg(2) === 1n ? 0n : ret(-EINVAL);
  };

  const needSkb =
    (value: bigint): HelperFn =>
    (ctx) => {
      const pc = skb(ctx);
      return isFault(pc) ? pc : value;
    };

  return [
    [9, storeBytes],
    [10, l3Replace],
    [11, l4Replace],
    [13, cloneRedirect],
    [26, loadBytes],
    [28, csumDiff],
    [32, changeType],
    [34, getHashRecalc],
    [39, pullData],
    [40, needSkb(ret(-ENOTSUPP))], // csum_update: only CHECKSUM_COMPLETE skbs have a csum to update
    // test_run gives the skb a socket of its own: the first cookie handed out, owned by the caller (root)
    [46, needSkb(1n)],
    [47, (ctx) => { const pc = skb(ctx); return isFault(pc) ? pc : BigInt(session.task.uid); }],
    [48, setHash],
    [41, setHashInvalid],
    [68, loadBytesRelative],
  ];
}

