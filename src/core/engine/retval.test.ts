import { describe, expect, it } from 'vitest';
import { formatRetval, xdpActionName } from './retval.ts';

describe('return value display', () => {
  it('names the XDP actions of enum xdp_action (include/uapi/linux/bpf.h)', () => {
    expect([0n, 1n, 2n, 3n, 4n].map(xdpActionName)).toEqual(['XDP_ABORTED', 'XDP_DROP', 'XDP_PASS', 'XDP_TX', 'XDP_REDIRECT']);
    expect(xdpActionName(5n)).toBeNull();
  });

  it('reads the action from the low 32 bits, as the kernel does', () => {
    expect(xdpActionName((1n << 32n) | 2n)).toBe('XDP_PASS');
    expect(xdpActionName(-1n)).toBeNull();
  });

  it('prints r0 as unsigned 64-bit decimal and hex', () => {
    expect(formatRetval(0n)).toEqual({ decimal: '0', hex: '0x0' });
    expect(formatRetval(255n)).toEqual({ decimal: '255', hex: '0xff' });
    expect(formatRetval(-2n)).toEqual({ decimal: '18446744073709551614', hex: '0xfffffffffffffffe' });
  });
});
