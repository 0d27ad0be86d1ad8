/**
 * Helper calls whose arguments need more than a type check, as Linux 6.18
 * judged and ran them (test-data/verifier/helper-availability-calls-record.py):
 * bpf_strncmp's constant string, bpf_for_each_map_elem's callback,
 * bpf_strtol/strtoul, XDP byte access, and the simulated-machine helpers
 * (cgroups, ECN, checksum level, timestamps). The verifier must give the
 * kernel's verdict, error instruction and line (and, when it accepts, the
 * number of instructions processed); accepted programs must give
 * the kernel's BPF_PROG_TEST_RUN results.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hexToBytes, insnsFromHex } from '../../isa/insn.ts';
import { isMapType, isProgType, type MapSpec } from '../../program.ts';
import { verify } from '../../verifier/index.ts';
import { TestRunSession } from '../test-run.ts';

interface RecordedMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  frozen?: boolean;
  init?: { key: string; value: string }[];
}
interface RecordedCase {
  name: string;
  progType: string;
  license: string;
  insns: string;
  maps: RecordedMap[];
  packets?: string[];
  verdict: 'accepted' | 'rejected';
  errorInsn: number | null;
  errorLine: string | null;
  processedInsns: number | null;
  runs?: ({ retval: number; dataOut: string } | { errno: string })[];
}

const data = JSON.parse(readFileSync(new URL('../../../../test-data/verifier/helper-availability-calls.json', import.meta.url), 'utf8')) as {
  cases: RecordedCase[];
};

function bytes(hex: string): Uint8Array {
  const b = hexToBytes(hex);
  if (!b.ok) throw new Error(b.error);
  return b.bytes;
}

function mapSpec(m: RecordedMap): MapSpec {
  if (!isMapType(m.type)) throw new Error(`map type ${m.type}`);
  return {
    name: m.name,
    type: m.type,
    keySize: m.keySize,
    valueSize: m.valueSize,
    maxEntries: m.maxEntries,
    flags: m.flags,
    frozen: m.frozen,
    init: (m.init ?? []).map((e) => ({ key: bytes(e.key), value: bytes(e.value) })),
  };
}

describe('helper calls agree with Linux 6.18', () => {
  it('has recorded cases, accepted and rejected', () => {
    expect(data.cases.filter((c) => c.verdict === 'accepted').length).toBeGreaterThan(50);
    expect(data.cases.filter((c) => c.verdict === 'rejected').length).toBeGreaterThan(20);
  });

  it.each(data.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const insns = insnsFromHex(c.insns);
    if (!insns.ok || !isProgType(c.progType)) throw new Error('bad case');
    const maps = c.maps.map(mapSpec);
    const program = { name: 'prog', progType: c.progType, insns: insns.insns, maps, license: c.license };
    const v = verify(program);
    expect({ verdict: v.verdict, insn: v.error?.insn ?? null, line: v.error?.message ?? null }).toEqual({
      verdict: c.verdict,
      insn: c.errorInsn,
      line: c.errorLine,
    });
    if (c.verdict !== 'accepted') return;
    expect(v.stats.processedInsns).toBe(c.processedInsns);
    const created = TestRunSession.create(maps);
    if (!created.ok) throw new Error(created.error);
    const s = created.session;
    const id = s.load({ ...program, maps: [] });
    const runs = s.run(id, (c.packets ?? []).map((p) => ({ data: bytes(p) })));
    const got = runs.map((r) => (r.error !== undefined ? { errno: r.error.split(':')[0] } : r.fault ? { fault: r.fault.message } : { retval: r.retval, dataOut: r.dataOut }));
    expect(got).toEqual(c.runs);
  });
});
