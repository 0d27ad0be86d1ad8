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
