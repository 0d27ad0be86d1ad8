/**
 * bpf_check_mtu (163) for tc and XDP: would the packet, grown or shrunk by
 * len_diff, fit the MTU of the device? The simulated network namespace has
 * one device, lo (ifindex 1, MTU 65536, 14-byte hard header), which is
 * where test runs happen; any other ifindex is -ENODEV. Results recorded
 * from Linux 6.18 in test-data/verifier/helper-availability-calls.json.
 */
import type { HelperFn } from '../../interp/index.ts';
import { EINVAL, ENODEV } from '../maps/errno.ts';
import { ctxPacket } from './packet-context.ts';
import { isFault, readArg, ret } from './util.ts';

const LO_IFINDEX = 1n;
const LO_MTU = 65536;
const LO_HARD_HEADER_LEN = 14;
const BPF_MTU_CHK_SEGS = 1n;
const RET_SUCCESS = 0n;
const RET_FRAG_NEEDED = 1n;

export function mtuHelpers(): [number, HelperFn][] {
  const checkMtu: HelperFn = (ctx) => {
    const pc = ctxPacket(ctx);
    if (isFault(pc)) return pc;
    const lenArg = readArg(ctx, 3, 4, 'mtu_len');
    if (isFault(lenArg)) return lenArg;
    const mtuLen = new DataView(lenArg.buffer, lenArg.byteOffset, 4).getUint32(0, true);
    const ifindex = ctx.arg(2) & 0xffffffffn;
    const lenDiff = Number(BigInt.asIntN(32, ctx.arg(4)));
    const flags = ctx.arg(5);
    const xdp = pc.kind === 'xdp';
    if (xdp ? flags !== 0n : (flags & ~BPF_MTU_CHK_SEGS) !== 0n) return ret(-EINVAL);
    if (!xdp && flags !== 0n && (lenDiff !== 0 || mtuLen !== 0)) return ret(-EINVAL);
    if (ifindex !== 0n && ifindex !== LO_IFINDEX) return ret(-ENODEV);
    const devLen = LO_MTU + LO_HARD_HEADER_LEN;
    // the packet's length: the linear XDP data, or the whole skb; *mtu_len (an L3 length) replaces it when set
    const pktLen = xdp ? pc.packet.end - pc.xdp!.data : pc.packet.end - pc.packet.start;
    const len = ((mtuLen !== 0 ? mtuLen + LO_HARD_HEADER_LEN : pktLen) + lenDiff) | 0;
    // test-run packets are never GSO, so a packet over the MTU needs fragmenting
    const result = len <= devLen ? RET_SUCCESS : RET_FRAG_NEEDED;
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, LO_MTU, true);
    const err = ctx.memory.write(ctx.arg(3), out);
    if (err) return { fault: `mtu_len (R3): ${err}` };
    return result;
  };
  return [[163, checkMtu]];
}
