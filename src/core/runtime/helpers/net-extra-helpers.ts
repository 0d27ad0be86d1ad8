/**
 * Networking helpers over the test run's packet and its simulated
 * surroundings (results recorded from Linux 6.18's BPF_PROG_TEST_RUN in
 * test-data/runtime/helper-runs.json):
 * get_route_realm (24), skb_cgroup_id (79), skb_ancestor_cgroup_id (83),
 * skb_ecn_set_ce (97), get_netns_cookie (122), csum_level (135),
 * skb_cgroup_classid (151), redirect_neigh (152), redirect_peer (155),
 * xdp_get_buff_len (188), xdp_load_bytes (189), xdp_store_bytes (190),
 * skb_set_tstamp (192).
 *
 * The simulated machine: one network namespace (cookie SIM_NETNS_COOKIE),
 * every socket and task in the root cgroup (id 1, as cgroup v2's root),
 * no net_cls classid, no routes attached to packets.
 */
import type { HelperContext, HelperFn } from '../../interp/index.ts';
import type { PacketContext } from '../../interp/contexts.ts';
import { EFAULT, EINVAL, EOPNOTSUPP } from '../maps/errno.ts';
import { ctxPacket } from './packet-context.ts';
import { skb } from './skb-resize-helpers.ts';
import { csumDecrement, csumIncrement, csumReset, csumState } from './skb-csum-state.ts';
import { isFault, num, readArg, ret } from './util.ts';
import { fragBytes, xdpBuffLen } from './xdp-frags.ts';

/** cgroup v2's root cgroup id: where the test run's socket and the simulated task live */
export const ROOT_CGROUP_ID = 1n;
/** the simulated (only) network namespace's cookie; the kernel numbers namespaces as it creates them */
export const SIM_NETNS_COOKIE = 1n;
const TC_ACT_SHOT = 2n;
const TC_ACT_REDIRECT = 7n;
const EACCES = 13;
/** __sk_buff offsets */
const PROTOCOL = 16;
const TSTAMP = 152;
const BE_ETH_P_IP = 0x0008;
const BE_ETH_P_IPV6 = 0xdd86;
/** sizeof(struct bpf_redir_neigh) */
const REDIR_NEIGH_SIZE = 20;

function xdpData(ctx: HelperContext): { pc: PacketContext; data: number } | { fault: string } {
  const pc = ctxPacket(ctx);
  if (isFault(pc)) return pc;
  if (pc.kind !== 'xdp' || !pc.xdp) return { fault: 'R1 is not an xdp_md context' };
  return { pc, data: pc.xdp.data };
}

/** IP_ECN_set_ce / IP6_ECN_set_ce on the header at `at`: 1 when the packet is (now) marked CE. */
function ecnSetCe(b: Uint8Array, at: number, v6: boolean): number {
  const tos = v6 ? ((b[at]! & 0x0f) << 4) | (b[at + 1]! >> 4) : b[at + 1]!;
  const ecn = tos & 3;
  if (ecn === 0) return 0; // not ECN-capable
  if (ecn === 3) return 1; // already CE
  if (v6) {
    b[at + 1]! |= 0x30;
    return 1;
  }
  // RFC 1624 incremental update of the IPv4 checksum for the tos change (ECT -> CE)
  const check = (b[at + 10]! << 8) | b[at + 11]!;
  const add = ecn === 1 ? 0xfffd : 0xfffe;
  let sum = check + add;
  sum = (sum & 0xffff) + (sum >> 16);
  b[at + 10] = sum >> 8;
  b[at + 11] = sum & 0xff;
  b[at + 1] = tos | 3;
  return 1;
}

/** Byte `i` of an XDP packet counted from data: the linear part, then the fragments. */
function xdpByte(pc: PacketContext, data: number, i: number): number {
  const linear = pc.packet.end - data;
  return i < linear ? pc.packet.bytes[data + i]! : fragBytes(pc)[i - linear]!;
}

function setXdpByte(pc: PacketContext, data: number, i: number, v: number): void {
  const linear = pc.packet.end - data;
  if (i < linear) pc.packet.bytes[data + i] = v;
  else fragBytes(pc)[i - linear] = v;
}

export function netExtraHelpers(): [number, HelperFn][] {
  const onSkb =
    (value: bigint): HelperFn =>
    (ctx) => {
      const pc = skb(ctx);
      return isFault(pc) ? pc : value;
    };

  const ancestorCgroup: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    // the root is the only ancestor, at level 0
    return ctx.arg(2) === 0n ? ROOT_CGROUP_ID : 0n;
  };

  const ecn: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const proto = pc.skbFields!.getUint16(PROTOCOL, true);
    const v6 = proto === BE_ETH_P_IPV6;
    if (proto !== BE_ETH_P_IP && !v6) return 0n;
    const net = pc.skb!.net;
    if (pc.packet.end - net < (v6 ? 40 : 20)) return 0n;
    return BigInt(ecnSetCe(pc.packet.bytes, net, v6));
  };

  const csumLevel: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    switch (ctx.arg(2)) {
      case 0n: {
        const s = csumState(pc);
        return s.unnecessary ? BigInt(s.level) : ret(-EACCES);
      }
      case 1n:
        csumIncrement(pc);
        return 0n;
      case 2n:
        csumDecrement(pc);
        return 0n;
      case 3n:
        csumReset(pc);
        return 0n;
      default:
        return ret(-EINVAL);
    }
  };

  const redirectNeigh: HelperFn = (ctx) => {
    const plen = num(ctx.arg(3) & 0xffffffffn);
    if ((plen !== 0 && plen < REDIR_NEIGH_SIZE) || ctx.arg(4) !== 0n) return TC_ACT_SHOT;
    return TC_ACT_REDIRECT;
  };

  const setTstamp: HelperFn = (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const proto = pc.skbFields!.getUint16(PROTOCOL, true);
    if (proto !== BE_ETH_P_IP && proto !== BE_ETH_P_IPV6) return ret(-EOPNOTSUPP);
    const tstamp = ctx.arg(2);
    const type = ctx.arg(3) & 0xffffffffn;
    // BPF_SKB_CLOCK_REALTIME, _MONOTONIC, _TAI: only realtime may be 0
    if (type > 2n || (type !== 0n && tstamp === 0n)) return ret(-EINVAL);
    pc.skbFields!.setBigUint64(TSTAMP, tstamp, true);
    return 0n;
  };

  /** bpf_xdp_pointer's checks: -EFAULT past 16 bits, -EINVAL past the frame */
  const xdpRange = (ctx: HelperContext, pc: PacketContext, data: number): number => {
    const off = num(ctx.arg(2) & 0xffffffffn);
    const len = num(ctx.arg(4) & 0xffffffffn);
    if (off > 0xffff || len > 0xffff) return -EFAULT;
    if (off + len > xdpBuffLen(pc, data)) return -EINVAL;
    return off;
  };

  const xdpLoad: HelperFn = (ctx) => {
    const x = xdpData(ctx);
    if (isFault(x)) return x;
    const off = xdpRange(ctx, x.pc, x.data);
    if (off < 0) return ret(off);
    const len = num(ctx.arg(4) & 0xffffffffn);
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = xdpByte(x.pc, x.data, off + i);
    const err = ctx.memory.write(ctx.arg(3), out);
    return err ? { fault: `buf (R3): ${err}` } : 0n;
  };

  const xdpStore: HelperFn = (ctx) => {
    const x = xdpData(ctx);
    if (isFault(x)) return x;
    const off = xdpRange(ctx, x.pc, x.data);
    if (off < 0) return ret(off);
    const len = num(ctx.arg(4) & 0xffffffffn);
    const src = readArg(ctx, 3, len, 'buf');
    if (isFault(src)) return src;
    for (let i = 0; i < len; i++) setXdpByte(x.pc, x.data, off + i, src[i]!);
    return 0n;
  };

  const xdpLen: HelperFn = (ctx) => {
    const x = xdpData(ctx);
    return isFault(x) ? x : BigInt(xdpBuffLen(x.pc, x.data));
  };

  return [
    [24, onSkb(0n)],
    [79, onSkb(ROOT_CGROUP_ID)],
    [83, ancestorCgroup],
    [97, ecn],
    [122, () => SIM_NETNS_COOKIE],
    [135, csumLevel],
    [151, onSkb(0n)],
    [152, redirectNeigh],
    [155, (ctx) => (ctx.arg(2) !== 0n ? TC_ACT_SHOT : TC_ACT_REDIRECT)],
    [188, xdpLen],
    [189, xdpLoad],
    [190, xdpStore],
    [192, setTstamp],
  ];
}
