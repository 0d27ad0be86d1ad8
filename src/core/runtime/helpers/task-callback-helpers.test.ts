import { describe, expect, it } from 'vitest';
import { assemble } from '../../asm/index.ts';
import type { MapSpec, ProgType } from '../../program.ts';
import { TestRunSession } from '../test-run.ts';

/** Assemble and run once on a fresh session; returns the run and the session. */
function runAsm(asm: string, opts: { progType?: ProgType; maps?: MapSpec[]; packet?: Uint8Array } = {}) {
  const a = assemble(asm);
  if (!a.ok) throw new Error(a.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  const created = TestRunSession.create(opts.maps ?? []);
  if (!created.ok) throw new Error(created.error);
  const s = created.session;
  const id = s.load({ ...a.program, progType: opts.progType ?? 'kprobe', maps: opts.maps ?? [] });
  const [run] = s.run(id, opts.packet ? [{ data: opts.packet }] : []);
  return { run: run!, session: s };
}

const ARRAY: MapSpec = { name: 'out', type: 'array', keySize: 4, valueSize: 32, maxEntries: 1, flags: 0 };
/** r0 = &out[0] (a 32-byte value to write results into), clobbers r1, r2 */
const LOOKUP_OUT = `r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map[0] ll
r2 = r10
r2 += -4
call 1
if r0 == 0 goto fail
`;

describe('the simulated task', () => {
  it('pid_tgid and uid_gid pack tgid/gid in the high half', () => {
    expect(runAsm('call 14\nexit').run.r0).toBe(`0x${((4242n << 32n) | 4242n).toString(16)}`);
    expect(runAsm('call 15\nexit').run.retval).toBe(0); // root, as the kernel test run here
  });

  it('get_current_comm writes the NUL-padded name, truncated to the buffer', () => {
    const prog = `${LOOKUP_OUT}r6 = r0
r1 = r6
r2 = 16
call 16
r1 = r6
r1 += 16
r2 = 4
call 16
r0 = 0
exit
fail:
r0 = 1
exit`;
    const { run, session } = runAsm(prog, { maps: [ARRAY] });
    expect(run.retval).toBe(0);
    const v = session.mapsAfter()[0]!.entries![0]!.value;
    const name = Buffer.from('bpfiddle').toString('hex');
    // 16 bytes: the name and NULs; then 4 bytes: 3 characters and a NUL
    expect(v.slice(0, 32)).toBe(name + '00'.repeat(8));
    expect(v.slice(32, 40)).toBe(Buffer.from('bpf').toString('hex') + '00');
  });
});

describe('probe_read', () => {
  it('copies readable memory and returns 0', () => {
    const prog = `r1 = 0x1122334455667788 ll
*(u64 *)(r10 - 16) = r1
r1 = r10
r1 += -8
r2 = 8
r3 = r10
r3 += -16
call 113
r1 = *(u64 *)(r10 - 8)
r0 += r1
exit`;
    expect(runAsm(prog).run.r0).toBe('0x1122334455667788');
  });

  it('a bad address gives -ERANGE (user-space address, _kernel) or -EFAULT (_user) and a zeroed destination, not a fault', () => {
    const prog = `r1 = -1
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = 8
r3 = 4096
call 113
r1 = *(u64 *)(r10 - 8)
r0 |= r1
exit`;
    // kernel-recorded in test-data/runtime/raw-tp-runs.json: probe_read_kernel(0x1000) = -ERANGE
    expect(runAsm(prog).run.retval).toBe(2 ** 32 - 34);
    expect(runAsm(prog.replace('call 113', 'call 112')).run.retval).toBe(2 ** 32 - 14);
    expect(runAsm(prog.replace('r3 = 4096', 'r3 = 0x900000000000 ll')).run.retval).toBe(2 ** 32 - 14);
  });

  it('the _str variants stop at the NUL and count it; a full buffer ends in NUL', () => {
    // "hi\0" on the stack, read into a 16-byte buffer -> 3; into a 2-byte buffer -> 2 ("h\0")
    const read = (size: number) => `r1 = 0x6968
*(u64 *)(r10 - 8) = r1
r1 = 0
*(u64 *)(r10 - 32) = r1
*(u64 *)(r10 - 24) = r1
r1 = r10
r1 += -32
r2 = ${size}
r3 = r10
r3 += -8
call 115
r1 = *(u64 *)(r10 - 32)
r0 <<= 32
r0 |= r1
exit`;
    expect(runAsm(read(16)).run.r0).toBe('0x300006968');
    expect(runAsm(read(2)).run.r0).toBe('0x200000068');
  });
});

describe('bpf_snprintf and bpf_strncmp', () => {
  const RODATA: MapSpec = { name: '.rodata', type: 'array', keySize: 4, valueSize: 16, maxEntries: 1, flags: 0x80, init: [{ key: new Uint8Array(4), value: new TextEncoder().encode('n=%d x=%x\0abc\0\0\0') }] };

  it('formats like the kernel and returns the length with the NUL', () => {
    const prog = `r1 = 42
*(u64 *)(r10 - 16) = r1
r1 = 255
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -48
r2 = 32
r3 = map_value[0] + 0 ll
r4 = r10
r4 += -16
r5 = 16
call 165
r6 = r0
r1 = *(u64 *)(r10 - 48)
r0 = r6
exit`;
    const { run } = runAsm(prog, { maps: [RODATA] });
    expect(run.retval).toBe('n=42 x=ff'.length + 1);
    // the text itself: the first 8 bytes as a little-endian u64
    const text = runAsm(prog.replace('r0 = r6\nexit', 'r0 = r1\nexit'), { maps: [RODATA] }).run.r0;
    expect(Buffer.from(BigInt(text!).toString(16).padStart(16, '0'), 'hex').reverse().toString()).toBe('n=42 x=f');
  });

  it('strncmp compares up to n bytes, -1/0/1 as lib/string.c', () => {
    const cmp = (s: string, n: number) => {
      const word = [...new TextEncoder().encode(s.padEnd(8, '\0'))].reverse().map((b) => b.toString(16).padStart(2, '0')).join('');
      return runAsm(`r1 = 0x${word} ll
*(u64 *)(r10 - 8) = r1
r1 = r10
r1 += -8
r2 = ${n}
r3 = map_value[0] + 10 ll
call 182
exit`, { maps: [RODATA] }).run.r0;
    };
    expect(cmp('abc', 4)).toBe('0x0');
    expect(cmp('abd', 4)).toBe('0x1');
    expect(cmp('abb', 4)).toBe('0xffffffffffffffff');
    expect(cmp('abz', 2)).toBe('0x0');
  });
});

describe('tail calls', () => {
  it('a program that tail-calls itself runs 1 + 33 times, then falls through', () => {
    const counter: MapSpec = { name: 'n', type: 'array', keySize: 4, valueSize: 8, maxEntries: 1, flags: 0 };
    const jmp: MapSpec = { name: 'jmp', type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 };
    const a = assemble(`r6 = r1
r1 = 0
*(u32 *)(r10 - 4) = r1
r1 = map[0] ll
r2 = r10
r2 += -4
call 1
if r0 == 0 goto out
r1 = 1
lock *(u64 *)(r0 + 0) += r1
r1 = r6
r2 = map[1] ll
r3 = 0
call 12
out:
r0 = 7
exit`);
    if (!a.ok) throw new Error('asm');
    const created = TestRunSession.create([counter, jmp]);
    if (!created.ok) throw new Error(created.error);
    const s = created.session;
    const id = s.load({ ...a.program, progType: 'xdp', maps: [counter, jmp] });
    expect(s.updateProgArray('jmp', 0, id)).toBeNull();
    const [run] = s.run(id, [{ data: new Uint8Array(60) }]);
    expect(run!.retval).toBe(7);
    expect(s.mapsAfter()[0]!.entries![0]!.value).toBe('2200000000000000'); // 34
    expect(s.updateProgArray('jmp', 0, 99)).toMatch(/EBADF/);
  });
});

describe('callbacks', () => {
  it('a faulting bpf_loop callback stops the run with a clear message', () => {
    const prog = `r1 = 3
r2 = func cb ll
r3 = 0
r4 = 0
call 181
exit
cb:
r0 = *(u64 *)(r2 + 0)
exit`;
    const { run } = runAsm(prog);
    expect(run.fault?.message).toMatch(/^bpf_loop callback \(iteration 0\): .*null pointer/);
  });
});

describe('the helper table', () => {
  it('answers every helper the verifier knows: simulated, or stopping the run with the reason', async () => {
    const { knownHelperIds } = await import('../../verifier/helper-protos.ts');
    const { RUNTIME_HELPER_IDS, UNSIMULATED_HELPER_IDS, bindRuntime, RuntimeSession } = await import('./index.ts');
    const { Memory } = await import('../../interp/memory.ts');
    const table = bindRuntime(new RuntimeSession([]), new Memory()).helpers;
    for (const id of [...RUNTIME_HELPER_IDS, ...UNSIMULATED_HELPER_IDS]) expect(table.has(id), `helper ${id}`).toBe(true);
    const missing = knownHelperIds().filter((id) => !table.has(id));
    expect(missing).toEqual([]);
    // the two lists do not overlap: a helper is simulated or it is not
    expect(RUNTIME_HELPER_IDS.filter((id) => UNSIMULATED_HELPER_IDS.includes(id))).toEqual([]);
  });
});
