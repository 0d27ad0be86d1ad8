/**
 * Plain-language explanations and fix hints for the kernel verifier's most
 * common messages. The kernel's own wording stays the headline (it is what
 * the real kernel will say); this is the "what does that mean" beside it.
 */
export interface Explanation {
  /** what the verifier is complaining about, in plain words */
  meaning: string;
  /** what usually fixes it */
  hint: string;
}

interface Rule {
  pattern: RegExp;
  explain(m: RegExpExecArray): Explanation;
}

const RULES: readonly Rule[] = [
  {
    pattern: /^R0 !read_ok/,
    explain: () => ({
      meaning: 'R0 is read (usually by exit, which returns it) before anything was written to it on this path.',
      hint: 'Set r0 to the return value (for example r0 = 2 for XDP_PASS) on every path before exit.',
    }),
  },
  {
    pattern: /^R(\d+) !read_ok/,
    explain: (m) => ({
      meaning: `R${m[1]} is read before it was given a value on this path. After a call, R1-R5 are clobbered too.`,
      hint: `Assign R${m[1]} first, or keep the value in a callee-saved register (R6-R9) across calls.`,
    }),
  },
  {
    pattern: /offset is outside of the packet|^invalid access to packet/,
    explain: () => ({
      meaning: 'The program reads or writes packet bytes that it has not proven to lie before data_end.',
      hint: 'Compare first: r3 = r1; r3 += N; if r3 > r2 goto out (r1 = data, r2 = data_end), then access fewer than N bytes from r1.',
    }),
  },
  {
    pattern: /invalid mem access '(map_value_or_null|ptr_or_null|mem_or_null|ringbuf_mem_or_null|[a-z_]*_or_null)'/,
    explain: () => ({
      meaning: 'The pointer may be NULL (a map lookup that found nothing, a failed reservation) and is used without a check.',
      hint: 'Test it right after the call: if r0 == 0 goto out; then use r0 only on the non-NULL path.',
    }),
  },
  {
    pattern: /invalid mem access 'scalar'/,
    explain: () => ({
      meaning: 'A plain number is used as a pointer. The verifier only lets you dereference pointers it knows (ctx, stack, packet, map value).',
      hint: 'Load the pointer from where it comes (e.g. data from the ctx, a value from bpf_map_lookup_elem) instead of computing it from a number.',
    }),
  },
  {
    pattern: /^invalid (indirect )?read from stack/,
    explain: () => ({
      meaning: 'The program reads stack bytes that were never written on this path.',
      hint: 'Write the stack slot before reading it or passing it to a helper (e.g. *(u32 *)(r10 - 4) = 0).',
    }),
  },
  {
    pattern: /^invalid access to map value, value_size=(\d+) off=(-?\d+) size=(\d+)/,
    explain: (m) => ({
      meaning: `The access covers bytes ${m[2]}..${Number(m[2]) + Number(m[3]) - 1} of a map value that is only ${m[1]} bytes long.`,
      hint: 'Keep offset + size within the value size; when the offset comes from a variable, bound it with a comparison first.',
    }),
  },
  {
    pattern: /min value is negative, either use unsigned index or do a if \(index >=0\) check/,
    explain: () => ({
      meaning: 'The offset added to a pointer may be negative as far as the verifier knows.',
      hint: 'Use an unsigned comparison (if rX > N goto out uses unsigned bounds) or check rX s< 0 before the access.',
    }),
  },
  {
    pattern: /unbounded memory access|(min|max) value is outside of the allowed memory range/,
    explain: () => ({
      meaning: 'With the offsets the verifier considers possible, the access could fall outside the object the pointer points into.',
      hint: 'Before the access, compare the index against the size: if r1 > 63 goto out, or mask it (r1 &= 63).',
    }),
  },
  {
    pattern: /math between (pkt|map_value|fp|ctx)[a-z_]* pointer and register with unbounded min value is not allowed/,
    explain: () => ({
      meaning: 'A pointer is moved by a register whose lower bound is unknown.',
      hint: 'Bound the register from both sides (or make it unsigned with a mask) before adding it to the pointer.',
    }),
  },
  {
    pattern: /^R(\d+) type=(\S+) expected=(.+)$/,
    explain: (m) => ({
      meaning: `Argument R${m[1]} of the call is a ${m[2]} but the helper expects ${m[3]}.`,
      hint: 'Pass the kind of pointer the helper wants: e.g. a stack pointer (r2 = r10; r2 += -4) for a map key, map[NAME] ll for a map.',
    }),
  },
  {
    pattern: /^(unknown func|invalid func|program of this type cannot use helper)/,
    explain: () => ({
      meaning: 'This helper does not exist or is not allowed for this program type.',
      hint: 'Check the helper name and the .prog type; tracing helpers are not available to XDP or socket filters, for example.',
    }),
  },
  {
    pattern: /^(back-edge from insn|infinite loop detected)/,
    explain: () => ({
      meaning: 'The verifier found a loop it cannot prove to terminate.',
      hint: 'Give the loop a counter with a constant bound (if r6 > 16 goto out), or use bpf_loop for long loops.',
    }),
  },
  {
    pattern: /^BPF program is too large|too many states|^The sequence of \d+ jumps is too complex/,
    explain: () => ({
      meaning: 'Exploring every path took more than the verifier allows (one million instructions).',
      hint: 'Shorten loops, reduce the number of branches inside them, or move work into bpf_loop callbacks.',
    }),
  },
  {
    pattern: /^unreachable insn (\d+)/,
    explain: (m) => ({
      meaning: `No path reaches instruction ${m[1]}. The kernel refuses dead code.`,
      hint: 'Remove the dead instructions or fix the jump that should lead to them.',
    }),
  },
  {
    pattern: /^jump out of range from insn (\d+) to (-?\d+)/,
    explain: (m) => ({
      meaning: `Instruction ${m[1]} jumps to ${m[2]}, which is outside the program.`,
      hint: 'Check the jump offset or label; the last instruction must be exit or an unconditional jump.',
    }),
  },
  {
    pattern: /^Unreleased reference id=(\d+)|would lead to reference leak/,
    explain: () => ({
      meaning: 'A reference (a ring-buffer reservation, a socket lookup) is still held when the program exits.',
      hint: 'Release it on every path: bpf_ringbuf_submit or bpf_ringbuf_discard after bpf_ringbuf_reserve, bpf_sk_release after a lookup.',
    }),
  },
  {
    pattern: /^invalid bpf_context access off=(\d+) size=(\d+)/,
    explain: (m) => ({
      meaning: `The program reads ${m[2]} bytes at offset ${m[1]} of its context, which is not a field it may access that way.`,
      hint: 'Use the field offsets and sizes of the context struct (xdp_md fields are u32: data at 0, data_end at 4).',
    }),
  },
  {
    pattern: /^At program exit the register R0 has (.*) should have been in (.*)$/,
    explain: (m) => ({
      meaning: `The program may return a value outside what this program type allows (${m[2]}).`,
      hint: 'Return only the allowed values, e.g. set r0 to a constant right before exit.',
    }),
  },
  {
    pattern: /^frame pointer is read only/,
    explain: () => ({
      meaning: 'R10 (the frame pointer) cannot be changed.',
      hint: 'Copy it first (r2 = r10; r2 += -8) and change the copy.',
    }),
  },
];

export function explainVerifierMessage(message: string): Explanation | null {
  for (const rule of RULES) {
    const m = rule.pattern.exec(message.trim());
    if (m) return rule.explain(m);
  }
  return null;
}

export const EXPLAINED_MESSAGE_COUNT = RULES.length;
