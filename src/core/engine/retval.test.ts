import { describe, expect, it } from 'vitest';
import { formatRetval, tcActionName, verdictFor, xdpActionName } from './retval.ts';

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

  it('names TC actions of include/uapi/linux/pkt_cls.h, read as a signed int', () => {
    expect([-1n, 0n, 2n, 7n].map(tcActionName)).toEqual(['TC_ACT_UNSPEC', 'TC_ACT_OK', 'TC_ACT_SHOT', 'TC_ACT_REDIRECT']);
    expect(tcActionName(0xffffffffn)).toBe('TC_ACT_UNSPEC');
    expect(tcActionName(42n)).toBeNull();
  });

  it('reads a return value in the program type\'s words', () => {
    expect(verdictFor('xdp', 1n)).toBe('XDP_DROP');
    expect(verdictFor('sched_cls', 2n)).toBe('TC_ACT_SHOT');
    expect(verdictFor('socket_filter', 0n)).toBe('drop (0 bytes kept)');
    expect(verdictFor('socket_filter', 60n)).toBe('keep 60 bytes');
    expect(verdictFor('kprobe', 1n)).toBeNull();
  });
});
