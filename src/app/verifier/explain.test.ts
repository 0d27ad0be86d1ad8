import { describe, expect, it } from 'vitest';
import { EXPLAINED_MESSAGE_COUNT, explainVerifierMessage } from './explain.ts';

/**
 * Error lines exactly as the Linux 6.18 kernel printed them (kbpf.py on small
 * programs written to trigger each one), and a word the explanation must use.
 */
const KERNEL_MESSAGES: [string, RegExp][] = [
  ['R0 !read_ok', /exit/],
  ['R2 !read_ok', /before it was given a value/],
  ['R0 offset is outside of the packet', /data_end/],
  ["R0 invalid mem access 'map_value_or_null'", /NULL/],
  ["R0 invalid mem access 'scalar'", /number is used as a pointer/],
  ['R0 min value is outside of the allowed memory range', /outside the object/],
  ['R0 max value is outside of the allowed memory range', /outside the object/],
  ['R2 type=scalar expected=fp, pkt, pkt_meta, map_key, map_value, mem, ringbuf_mem, buf, trusted_ptr_', /R2 of the call is a scalar/],
  ['unreachable insn 2', /instruction 2/],
  ['infinite loop detected at insn 1', /loop/],
  ['BPF_EXIT instruction in main prog would lead to reference leak', /bpf_ringbuf_submit/],
  ['invalid bpf_context access off=0 size=8', /8 bytes at offset 0/],
  ['frame pointer is read only', /R10/],
  ['jump out of range from insn 0 to 6', /jumps to 6/],
  ['math between map_value pointer and register with unbounded min value is not allowed', /lower bound/],
  ['BPF program is too large. Processed 1000001 insn', /one million/],
  ['At program exit the register R0 has smin=7 smax=7 should have been in [0, 1]', /\[0, 1\]/],
  ['invalid func unknown#212', /not allowed for this program type/],
  ['program of this type cannot use helper bpf_xdp_adjust_head#44', /helper/],
];

describe('explanations of kernel verifier messages', () => {
  it.each(KERNEL_MESSAGES)('explains %s', (message, expected) => {
    const e = explainVerifierMessage(message);
    expect(e).not.toBeNull();
    expect(e!.meaning + ' ' + e!.hint).toMatch(expected);
    expect(e!.hint.length).toBeGreaterThan(10);
  });

  it('covers at least 15 messages and says nothing about unknown ones', () => {
    expect(EXPLAINED_MESSAGE_COUNT).toBeGreaterThanOrEqual(15);
    expect(explainVerifierMessage('something the table does not know')).toBeNull();
  });
});
