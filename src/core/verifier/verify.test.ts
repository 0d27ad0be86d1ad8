/**
 * Behaviour of verify() on small hand-written programs. Expected verdicts,
 * error instructions and messages were recorded from Linux 6.18 through
 * ../shared/tools/kbpf.py (log level 1) when these tests were written.
 */
import { describe, expect, it } from 'vitest';
import { assemble } from '../asm/index.ts';
import { insn } from '../isa/insn.ts';
import type { MapSpec, ProgType, ProgramSpec } from '../program.ts';
import { verify } from './index.ts';

function prog(text: string, progType: ProgType = 'xdp', maps: MapSpec[] = []): ProgramSpec {
  const r = assemble(text);
  if (!r.ok) throw new Error(`test program does not assemble: ${JSON.stringify(r.diagnostics)}`);
  return { ...r.program, progType, maps, license: 'GPL' };
}

const cases: { name: string; text: string; verdict: 'accepted' | 'rejected'; insn?: number; line?: string; type?: ProgType }[] = [
  { name: 'ctx read past xdp_md', text: 'r0 = 0\nr1 = *(u32 *)(r1 + 24)\nexit', verdict: 'rejected', insn: 1, line: 'invalid bpf_context access off=24 size=4' },
  {
    name: 'packet read one byte past the checked range',
    text: 'r2 = *(u32 *)(r1 + 0)\nr3 = *(u32 *)(r1 + 4)\nr4 = r2\nr4 += 8\nif r4 > r3 goto +1\nr0 = *(u64 *)(r2 + 1)\nr0 = 0\nexit',
    verdict: 'rejected',
    insn: 5,
    line: 'R2 offset is outside of the packet',
  },
  { name: 'root may read uninitialised stack', text: 'r0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit', verdict: 'accepted' },
  { name: 'NULL dereference', text: 'r1 = 0\nr0 = *(u32 *)(r1 + 0)\nexit', verdict: 'rejected', insn: 1, line: "R1 invalid mem access 'scalar'" },
  { name: 'writing r10', text: 'r0 = 0\nr10 = 1\nexit', verdict: 'rejected', insn: 1, line: 'frame pointer is read only' },
  {
    name: 'bitwise op on a stack pointer, after a decided branch',
    text: 'r0 = 0\nif r0 == 0 goto +1\nr0 = 1\nr1 = r10\nr1 &= 1\nexit',
    verdict: 'rejected',
    insn: 4,
    line: 'R1 bitwise operator &= on pointer prohibited',
  },
  { name: 'uninitialised register', text: 'r0 = 0\nr0 += r2\nexit', verdict: 'rejected', insn: 1, line: 'R2 !read_ok' },
];

describe('verify: verdicts and first errors recorded from the kernel', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = verify(prog(c.text, c.type), { logLevel: 1 });
      expect(r.verdict).toBe(c.verdict);
      if (c.verdict === 'rejected') {
        expect(r.error?.insn).toBe(c.insn);
        expect(r.error?.message).toBe(c.line);
      } else {
        expect(r.error).toBeNull();
      }
    });
  }
});

describe('verify: kernel log format', () => {
  it('prints the level-1 path, the error and the summary exactly like the kernel', () => {
    const r = verify(prog('r0 = 0\nr0 += r2\nexit'), { logLevel: 1 });
    // recorded from Linux 6.18 (../shared/tools/examples/uninit_r2.json at log level 1)
    expect(r.log).toBe(
      '0: R1=ctx() R10=fp0\n0: (b7) r0 = 0                        ; R0=0\n1: (0f) r0 += r2\nR2 !read_ok\n' +
        'processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n',
    );
  });

  it('level 2 starts with the sub-program list and the live registers', () => {
    const r = verify(prog('r0 = 0\nr0 += r2\nexit'), { logLevel: 2 });
    expect(r.log.startsWith('func#0 @0\nLive regs before insn:\n      0: ..2....... (b7) r0 = 0\n      1: 0.2....... (0f) r0 += r2\n')).toBe(true);
  });

  it('an accepted program at level 1 logs only the summary', () => {
    const r = verify(prog('r0 = 2\nexit'), { logLevel: 1 });
    expect(r.log).toBe('processed 2 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n');
  });
});

describe('verify: control flow and loops', () => {
  it('reports unreachable code and jumps out of range before running', () => {
    expect(verify(prog('r0 = 0\nexit\nr0 = 1\nexit')).error?.message).toBe('unreachable insn 2');
    const oob = verify({ name: 'p', progType: 'xdp', license: 'GPL', maps: [], insns: [insn(0xb7), insn(0x05, 0, 0, 5), insn(0x95)] });
    expect(oob.error?.message).toBe('jump out of range from insn 1 to 7');
    expect(verify(prog('r0 = 0\nr0 += 1')).error?.message).toBe('last insn is not an exit or jmp');
  });

  it('detects an infinite loop and accepts a bounded one', () => {
    const inf = verify(prog('r0 = 0\nr2 = 0\nr3 = 1\nif r3 == 1 goto -2\nr0 = 0\nexit'), { logLevel: 0 });
    expect(inf.error?.message).toBe('infinite loop detected at insn 3');
    const bounded = verify(prog('r0 = 0\nr2 = 0\nr2 += 1\nif r2 < 16 goto -2\nexit'), { logLevel: 0 });
    expect(bounded.verdict).toBe('accepted');
    // each iteration is explored: 2 + 16 * 2 + 1 instructions
    expect(bounded.stats.processedInsns).toBe(35);
  });

  it('stops at the instruction limit with the kernel message', () => {
    const r = verify(prog('r0 = 0\nr2 = 0\nr2 += 1\nif r2 < 1000000 goto -2\nexit'), { logLevel: 0, insnLimit: 1000 });
    expect(r.error?.message).toBe('BPF program is too large. Processed 1001 insn');
  });
});

describe('verify: maps, helpers, NULL checks', () => {
  const array: MapSpec = { name: 'm', type: 'array', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 };
  const hash: MapSpec = { name: 'h', type: 'hash', keySize: 4, valueSize: 8, maxEntries: 4, flags: 0 };
  const lookup = (after: string): string =>
    `*(u32 *)(r10 - 4) = 0\nr1 = map[0] ll\nr2 = r10\nr2 += -4\ncall bpf_map_lookup_elem\n${after}\nr0 = 0\nexit`;

  it('needs a NULL check on hash lookups', () => {
    const r = verify(prog(lookup('r1 = *(u64 *)(r0 + 0)'), 'xdp', [hash]));
    expect(r.error?.message).toBe("R0 invalid mem access 'map_value_or_null'");
    expect(verify(prog(lookup('if r0 == 0 goto +1\nr1 = *(u64 *)(r0 + 0)'), 'xdp', [hash])).verdict).toBe('accepted');
  });

  it('elides the NULL check of an array lookup with a constant in-range key (6.18)', () => {
    expect(verify(prog(lookup('r1 = *(u64 *)(r0 + 0)'), 'xdp', [array])).verdict).toBe('accepted');
  });

  it('bounds accesses by the value size', () => {
    const r = verify(prog(lookup('if r0 == 0 goto +1\nr1 = *(u64 *)(r0 + 4)'), 'xdp', [hash]));
    expect(r.error?.lines).toEqual(['invalid access to map value, value_size=8 off=4 size=8', 'R0 min value is outside of the allowed memory range']);
  });

  it('refuses helpers the program type may not call', () => {
    const r = verify(prog('r1 = r1\nr2 = 0\ncall bpf_skb_load_bytes\nr0 = 0\nexit'), { logLevel: 0 });
    expect(r.error?.message).toBe('program of this type cannot use helper bpf_skb_load_bytes#26');
  });

  it('clobbers r1-r5 after a call', () => {
    const r = verify(prog('call bpf_ktime_get_ns\nr0 = r1\nexit'));
    expect(r.error?.message).toBe('R1 !read_ok');
  });
});

describe('verify: bad input never throws', () => {
  it('empty, huge, and garbage programs give structured errors', () => {
    expect(verify({ name: 'p', progType: 'xdp', license: 'GPL', maps: [], insns: [] }).error?.message).toBe('program has no instructions');
    const huge = Array.from({ length: 1_000_001 }, () => insn(0xb7));
    expect(verify({ name: 'p', progType: 'xdp', license: 'GPL', maps: [], insns: huge }).verdict).toBe('rejected');
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 300; n++) {
      const insns = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () =>
        insn(Math.floor(rnd() * 256), Math.floor(rnd() * 16), Math.floor(rnd() * 16), Math.floor(rnd() * 65536) - 32768, Math.floor(rnd() * 2 ** 32) - 2 ** 31),
      );
      const r = verify({ name: 'g', progType: 'xdp', license: 'GPL', maps: [], insns }, { logLevel: 2 });
      expect(['accepted', 'rejected']).toContain(r.verdict);
      expect(r.error?.message ?? '').not.toMatch(/internal verifier error/);
    }
  });
});

describe('verify: structured results for a visualizer', () => {
  it('records one snapshot per visited instruction and the explored path events', () => {
    const r = verify(prog('r0 = 0\nif r1 == 0 goto +1\nr0 = 1\nexit'), { logLevel: 0, snapshots: true });
    expect(r.verdict).toBe('accepted');
    // path 1: 0, 1, 2, 3; path 2 (taken branch): 3
    expect(r.snapshots.map((s) => s.insn)).toEqual([0, 1, 2, 3, 3]);
    expect(r.snapshots[0].regs).toBe('R0=0 R1=ctx() R10=fp0');
    expect(r.paths.map((p) => p.kind)).toEqual(['branch', 'exit', 'exit']);
    expect(r.paths[0]).toEqual({ kind: 'branch', insn: 1, target: 3 });
  });
});

describe('verify: a log limit bounds memory, never the verdict', () => {
  // Linux 6.18 logs ~1.7 KB per iteration of this loop at level 2 (recorded for 1000 iterations:
  // 1,692,584 bytes, equal to ours); 20,000 iterations would be ~34 MB.
  const loop = prog('r1 = 0\nl:\nr1 += 1\nif r1 < 20000 goto l\nr0 = 2\nexit', 'xdp');

  it('keeps the head and the final lines, with the same verdict and stats as an unlimited run', () => {
    const full = verify(loop, { logLevel: 0 });
    const capped = verify(loop, { logLevel: 2, logLimit: 100_000 });
    expect(capped.verdict).toBe(full.verdict);
    expect({ ...capped.stats, durationMs: 0 }).toEqual({ ...full.stats, durationMs: 0 });
    expect(capped.log.length).toBeLessThan(101_000);
    expect(capped.log.startsWith('func#0 @0\n')).toBe(true);
    expect(capped.log).toContain('bpfiddle stopped keeping it here');
    expect(capped.log.trimEnd().endsWith(`processed ${full.stats.processedInsns} insns (limit 1000000) max_states_per_insn ${full.stats.maxStatesPerInsn} total_states ${full.stats.totalStates} peak_states ${full.stats.peakStates} mark_read 0`)).toBe(true);
  });

  it('has a 16 MiB default, the buffer libbpf and kbpf.py give the kernel', () => {
    const r = verify(loop, { logLevel: 2 });
    expect(r.log.length).toBeGreaterThan(16 << 20);
    expect(r.log.length).toBeLessThan((16 << 20) + 1000);
  });
});

describe('verify: __sk_buff->sk (PTR_TO_SOCK_COMMON_OR_NULL)', () => {
  // Recorded with kbpf on Linux 6.18, for sched_cls and socket_filter alike.
  const skCases: { text: string; verdict: 'accepted' | 'rejected'; processed: number; line?: string }[] = [
    { text: 'r0 = *(u64 *)(r1 + 168)\nr0 = 0\nexit', verdict: 'accepted', processed: 3 },
    { text: 'r2 = *(u64 *)(r1 + 168)\nr0 = *(u32 *)(r2 + 4)\nr0 = 0\nexit', verdict: 'rejected', processed: 2, line: "R2 invalid mem access 'sock_common_or_null'" },
    { text: 'r2 = 0\n*(u64 *)(r1 + 168) = r2\nr0 = 0\nexit', verdict: 'rejected', processed: 2, line: 'invalid bpf_context access off=168 size=8' },
    { text: 'r2 = *(u32 *)(r1 + 168)\nr0 = 0\nexit', verdict: 'rejected', processed: 1, line: 'invalid bpf_context access off=168 size=4' },
    { text: 'r2 = *(u64 *)(r1 + 168)\nr3 = r2\nif r2 != 0 goto +2\n*(u64 *)(r10 - 8) = r3\nr0 = *(u64 *)(r10 - 8)\nr0 = 0\nexit', verdict: 'accepted', processed: 9 },
  ];
  for (const type of ['sched_cls', 'socket_filter'] as const) {
    it(`${type}: reads it as a pointer that must be NULL-checked, as the kernel does`, () => {
      for (const c of skCases) {
        const r = verify(prog(c.text, type), { logLevel: 1 });
        expect([r.verdict, r.stats.processedInsns, r.error?.message], c.text).toEqual([c.verdict, c.processed, c.line]);
      }
    });
  }

  it('prints it as the kernel does', () => {
    // kernel: "0: (79) r0 = *(u64 *)(r1 +168)        ; R0=sock_common_or_null(id=1) R1=ctx()"
    expect(verify(prog(skCases[0].text, 'sched_cls'), { logLevel: 2 }).log).toContain('0: (79) r0 = *(u64 *)(r1 +168)        ; R0=sock_common_or_null(id=1) R1=ctx()\n');
  });

  it('says plainly that reads through the socket are not modelled (the kernel allows bpf_sock_common fields)', () => {
    const r = verify(prog('r2 = *(u64 *)(r1 + 168)\nif r2 == 0 goto +1\nr0 = *(u32 *)(r2 + 4)\nr0 = 0\nexit', 'sched_cls'));
    expect(r.error?.message).toBe('bpfiddle cannot verify R2 access through a socket pointer (struct bpf_sock_common) yet');
  });
});
