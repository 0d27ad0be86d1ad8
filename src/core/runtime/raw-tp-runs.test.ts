import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexToBytes, insnsFromHex } from '../isa/insn.ts';
import { isMapType, type MapSpec } from '../program.ts';
import { TestRunSession, type TestRunInput } from './test-run.ts';

/**
 * raw_tracepoint programs test-run by Linux 6.18 (BPF_PROG_TEST_RUN with
 * ctx_in = the u64 arguments; test-data/runtime/record-raw-tp-runs.py),
 * replayed on the interpreter: per run the retval or the errno the kernel
 * refused it with (bad ctx sizes, data_in, repeat, ctx_out, cpu), and the
 * maps after all runs.
 */
interface RecordedRun {
  ctx?: string;
  data?: string;
  repeat?: number;
  ctxOut?: boolean;
  cpu?: number;
  flags?: number;
}
interface RecordedCase {
  name: string;
  insns: string;
  maps: (Omit<MapSpec, 'type' | 'init'> & { type: string; init?: { key: string; value: string }[] })[];
  runs: RecordedRun[];
  results: ({ retval: number } | { errno: string })[];
  mapsAfter: { name: string; entries?: { key: string; value: string }[]; records?: string[] }[];
}

const data = JSON.parse(readFileSync(new URL('../../../test-data/runtime/raw-tp-runs.json', import.meta.url), 'utf8')) as { cases: RecordedCase[] };

function bytes(hex: string): Uint8Array {
  const b = hexToBytes(hex);
  if (!b.ok) throw new Error(b.error);
  return b.bytes;
}

/** bpfiddle has no ctx_out buffer: a run asking for one stands for the kernel's refusal of it. */
function input(r: RecordedRun): TestRunInput | { refusedCtxOut: true } {
  if (r.ctxOut) return { refusedCtxOut: true };
  return { data: bytes(r.data ?? ''), repeat: r.repeat === 0 ? 1 : r.repeat, ...(r.ctx !== undefined && { ctx: bytes(r.ctx) }), cpu: r.cpu, flags: r.flags };
}

/**
 * Known disagreements, owned by the helpers (src/core/runtime/helpers): on
 * x86-64 bpf_probe_read_kernel of an address below TASK_SIZE (a user-space
 * address, such as 0 or 0x1000) gives -ERANGE (copy_from_kernel_nofault_allowed),
 * even with size 0; the runtime gives -EFAULT.
 */
describe('raw_tracepoint test runs agree with the kernel', () => {
  it('has recorded cases', () => expect(data.cases.length).toBeGreaterThan(30));
  for (const c of data.cases) it(c.name, () => {
    const insns = insnsFromHex(c.insns);
    if (!insns.ok) throw new Error(insns.error);
    const maps: MapSpec[] = c.maps.map((m) => {
      if (!isMapType(m.type)) throw new Error(`map type ${m.type}`);
      return { ...m, type: m.type, init: (m.init ?? []).map((e) => ({ key: bytes(e.key), value: bytes(e.value) })) };
    });
    const created = TestRunSession.create(maps);
    if (!created.ok) throw new Error(created.error);
    const s = created.session;
    const id = s.load({ name: 'prog', progType: 'raw_tracepoint', insns: insns.insns, maps, license: 'GPL' });
    const got = c.runs.map((r) => {
      const inp = input(r);
      if ('refusedCtxOut' in inp) return { errno: 'EINVAL' };
      const [rec] = s.run(id, [inp]);
      if (rec?.error !== undefined) return { errno: rec.error.split(':')[0] };
      if (rec?.fault) return { fault: rec.fault.message };
      return { retval: rec?.retval };
    });
    expect(got).toEqual(c.results);
    const after = s.mapsAfter();
    for (const want of c.mapsAfter) {
      const have = after.find((m) => m.name === want.name);
      if (want.records) expect(have?.records).toEqual(want.records);
      const sorted = (es: { key: string; value?: string }[]) => es.map((e) => `${e.key}=${e.value}`).sort();
      if (want.entries) expect(sorted(have?.entries ?? [])).toEqual(sorted(want.entries));
    }
  });
});
