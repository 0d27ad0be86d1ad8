/**
 * bpf_loop callbacks are verified as if called an unknown number of times:
 * the callback's exit returns to the call, which runs again until the state
 * there is within one already explored. Expected figures were recorded from
 * the Linux 6.18 kernel with ../shared/tools/kbpf.py (log level 2).
 */
import { describe, expect, it } from 'vitest';
import { insnsFromHex } from '../isa/insn.ts';
import { verify } from './index.ts';

// The gallery's bpf-loop example: *(u64 *)(r10-8) = 0; bpf_loop(100, add, &fp-8, 0);
// r0 = *(u64 *)(r10-8); exit; add: *(u64 *)(r2) += r1; r0 = 0; exit
const SUM_LOOP =
  '7a0af8ff00000000b70100006400000018420000070000000000000000000000bfa300000000000007030000f8ffffffb70400000000000085000000b500000079a0f8ff00000000950000000000000079230000000000000f130000000000007b32000000000000b7000000000000009500000000000000';

function program(hex: string) {
  const d = insnsFromHex(hex);
  if (!d.ok) throw new Error(d.error);
  return { name: 't', progType: 'socket_filter' as const, insns: d.insns, maps: [], license: 'GPL' };
}

describe('bpf_loop callbacks', () => {
  it('re-verifies the callback until the state at the call converges, with the kernel counters', () => {
    const r = verify(program(SUM_LOOP), { logLevel: 2 });
    expect(r.verdict).toBe('accepted');
    // kernel: processed 23 insns ... max_states_per_insn 1 total_states 2 peak_states 2
    expect([r.stats.processedInsns, r.stats.maxStatesPerInsn, r.stats.totalStates, r.stats.peakStates]).toEqual([23, 1, 2, 2]);
    // the callback's write reaches the caller: after the loop the slot is unknown, not the 0 stored before it
    expect(r.log).toContain('8: (79) r0 = *(u64 *)(r10 -8)         ; R0=scalar() R10=fp0 fp-8=scalar()');
    expect(r.log).toContain('to caller at 7:');
    expect(r.log).toContain('from 14 to 7: safe');
  });
});
