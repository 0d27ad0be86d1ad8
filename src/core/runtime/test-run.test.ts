import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import type { ProgType } from '../program.ts';
import { TestRunSession, type TestRunInput } from './test-run.ts';
import { PT_REGS } from '../interp/tracing-contexts.ts';

/** Runs of tracing programs through a session, as the CLI drives them from a bundle's runs[].ctx. */
function runs(progType: ProgType, insns: Insn[], inputs: TestRunInput[]) {
  const created = TestRunSession.create([]);
  if (!created.ok) throw new Error(created.error);
  const id = created.session.load({ name: 'p', progType, insns, maps: [], license: 'GPL' });
  return created.session.run(id, inputs).map((r) => (r.error !== undefined ? r.error.split(':')[0] : r.fault ? `fault: ${r.fault.message}` : r.retval));
}

const u64s = (...v: bigint[]): Uint8Array => {
  const b = new Uint8Array(8 * v.length);
  v.forEach((x, i) => new DataView(b.buffer).setBigUint64(8 * i, x, true));
  return b;
};
const none = new Uint8Array(0);
const exit = insn(0x95);

describe('test runs of tracing programs', () => {
  it('kprobe: the registers come from ctx_in (a pt_regs), the rest are 0', () => {
    const regs = new Uint8Array(PT_REGS.ip + 8);
    new DataView(regs.buffer).setBigUint64(PT_REGS.si, 77n, true);
    const readSi = [insn(0x79, 0, 1, PT_REGS.si), exit];
    expect(runs('kprobe', readSi, [{ data: none, ctx: regs }, { data: none }])).toEqual([77, 0]);
  });

  it('tracepoint: the record comes from ctx_in, header included', () => {
    const rec = new Uint8Array(16);
    rec[8] = 5;
    expect(runs('tracepoint', [insn(0x61, 0, 1, 8), exit], [{ data: none, ctx: rec }])).toEqual([5]);
  });

  it('raw_tracepoint: arguments from ctx_in; without runs, a simulated event with zero arguments', () => {
    const readArg1 = [insn(0x79, 0, 1, 8), exit];
    expect(runs('raw_tracepoint', readArg1, [{ data: none, ctx: u64s(1n, 9n) }, { data: none, ctx: u64s(1n) }, { data: none }])).toEqual([9, 'EINVAL', 'EINVAL']);
    expect(runs('raw_tracepoint', readArg1, [])).toEqual([0]);
  });

  it('raw_tracepoint: the attr checks of bpf_prog_test_run_raw_tp, in its order', () => {
    const ret7 = [insn(0xb7, 0, 0, 0, 7), exit];
    const readArg1 = [insn(0x79, 0, 1, 8), exit];
    expect(runs('raw_tracepoint', ret7, [{ data: new Uint8Array(14) }, { data: none, repeat: 3 }, { data: none, cpu: 1 }])).toEqual(['EINVAL', 'EINVAL', 'EINVAL']);
    // BPF_F_TEST_RUN_ON_CPU: CPU 1 exists (2 simulated CPUs), CPU 2 does not — but a short ctx_in is refused first
    expect(runs('raw_tracepoint', ret7, [{ data: none, cpu: 1, flags: 1 }, { data: none, cpu: 2, flags: 1 }])).toEqual([7, 'ENXIO']);
    expect(runs('raw_tracepoint', readArg1, [{ data: none, cpu: 2, flags: 1, ctx: u64s(1n) }])).toEqual(['EINVAL']);
  });
});

describe('cpu and flags of packet test runs', () => {
  interface AttrCase { progType: ProgType; run: { cpu?: number; flags?: number }; retval: number | null; errno: number | null }
  const recorded = JSON.parse(readFileSync(new URL('../../../test-data/runtime/test-run-attrs.json', import.meta.url), 'utf8')) as { cases: AttrCase[] };
  const ret2 = [insn(0xb7, 0, 0, 0, 2), exit];

  it('refuses what the kernel refuses and runs what it runs', () => {
    expect(recorded.cases.length).toBeGreaterThan(10);
    for (const c of recorded.cases) {
      const [got] = runs(c.progType, ret2, [{ data: new Uint8Array(64), ...c.run }]);
      const checksumComplete = c.progType !== 'xdp' && ((c.run.flags ?? 0) & 4) !== 0;
      if (c.errno === 22) expect(got, JSON.stringify(c)).toBe('EINVAL');
      // accepted by the kernel, but the post-run checksum check is not simulated: said, not faked
      else if (checksumComplete) expect(got, JSON.stringify(c)).toBe('BPF_F_TEST_SKB_CHECKSUM_COMPLETE (the CHECKSUM_COMPLETE check after the run) is not simulated');
      else expect(got, JSON.stringify(c)).toBe(c.retval);
    }
  });
});
