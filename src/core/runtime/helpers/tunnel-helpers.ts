/**
 * Tunnel and IPsec metadata helpers on test-run packets, which carry none:
 * bpf_skb_get_tunnel_key (20) -EINVAL, bpf_skb_get_tunnel_opt (29) -ENOENT,
 * bpf_skb_get_xfrm_state (66) -EINVAL, each clearing the caller's buffer as
 * the kernel does; bpf_skb_set_tunnel_opt (30) -EINVAL, since no tunnel key
 * was set. bpf_skb_set_tunnel_key (21) would attach metadata the simulation
 * does not keep, so it stops the run (unsimulated-helpers.ts).
 * Recorded on Linux 6.18: test-data/verifier/helper-availability-calls.json.
 */
import type { HelperFn } from '../../interp/index.ts';
import { EINVAL, ENOENT } from '../maps/errno.ts';
import { skb } from './skb-resize-helpers.ts';
import { isFault, num, ret } from './util.ts';

/** -errno after zeroing `size` bytes at the buffer in `bufArg` (the kernel's err_clear). */
function clearAndFail(errno: number, bufArg: 2 | 3, sizeArg: 3 | 4): HelperFn {
  return (ctx) => {
    const pc = skb(ctx);
    if (isFault(pc)) return pc;
    const err = ctx.memory.write(ctx.arg(bufArg), new Uint8Array(num(ctx.arg(sizeArg) & 0xffffffffn)));
    if (err) return { fault: `buffer (R${bufArg}): ${err}` };
    return ret(-errno);
  };
}

export function tunnelHelpers(): [number, HelperFn][] {
  return [
    [20, clearAndFail(EINVAL, 2, 3)],
    [29, clearAndFail(ENOENT, 2, 3)],
    [66, clearAndFail(EINVAL, 3, 4)],
    [
      30,
      (ctx) => {
        const pc = skb(ctx);
        return isFault(pc) ? pc : ret(-EINVAL);
      },
    ],
  ];
}
