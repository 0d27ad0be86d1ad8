/** How a program's return value is shown: r0 is an unsigned 64-bit register. */

const U64_MASK = (1n << 64n) - 1n;

/** enum xdp_action from include/uapi/linux/bpf.h */
const XDP_ACTIONS = ['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT'] as const;

export function formatRetval(r0: bigint): { decimal: string; hex: string } {
  const u = BigInt.asUintN(64, r0) & U64_MASK;
  return { decimal: u.toString(10), hex: `0x${u.toString(16)}` };
}

/**
 * The XDP action for a return value, or null when it is not one. The kernel
 * reads the action from the low 32 bits only (u32 act = bpf_prog_run_xdp()).
 */
export function xdpActionName(r0: bigint): string | null {
  const act = Number(BigInt.asUintN(32, r0));
  return XDP_ACTIONS[act] ?? null;
}

/** enum tc_action from include/uapi/linux/pkt_cls.h, by value + 1 (TC_ACT_UNSPEC is -1). */
const TC_ACTIONS = ['TC_ACT_UNSPEC', 'TC_ACT_OK', 'TC_ACT_RECLASSIFY', 'TC_ACT_SHOT', 'TC_ACT_PIPE', 'TC_ACT_STOLEN', 'TC_ACT_QUEUED', 'TC_ACT_REPEAT', 'TC_ACT_REDIRECT', 'TC_ACT_TRAP'] as const;

/** The TC action for a return value (the kernel reads it as a signed int), or null. */
export function tcActionName(r0: bigint): string | null {
  const act = Number(BigInt.asIntN(32, r0));
  return TC_ACTIONS[act + 1] ?? null;
}

/**
 * A return value in the words of the program type: the XDP or TC action, or
 * for socket filters how many bytes of the packet are kept (0 drops it).
 */
export function verdictFor(progType: string, r0: bigint): string | null {
  switch (progType) {
    case 'xdp':
      return xdpActionName(r0);
    case 'sched_cls':
    case 'sched_act':
      return tcActionName(r0);
    case 'socket_filter': {
      const keep = Number(BigInt.asUintN(32, r0));
      return keep === 0 ? 'drop (0 bytes kept)' : `keep ${keep} bytes`;
    }
    case 'cgroup_skb':
      return (BigInt.asUintN(32, r0) & 1n) === 1n ? 'allow' : 'deny';
    default:
      return null;
  }
}
