/**
 * Records the Linux 6.18 kernel's results for the gallery (needs root and
 * ../shared/tools/kbpf.py): assemble each example, build a kbpf bundle with
 * its maps (initial contents included) and packets, run it on the kernel.
 * Maps declared frozen (.rodata, `.map ... frozen`) are frozen after they are
 * filled, through test-data/asm/kbpf-frozen.py (kbpf.py alone does not freeze).
 *
 *   npx tsx src/core/engine/examples/record-kernel.mts > test-data/engine/examples.kernel.json
 */
import { execFileSync } from 'node:child_process';
import { assemble } from '../../asm/index.ts';
import { bytesToHex, insnsToHex } from '../../isa/insn.ts';
import { buildExample, toHex } from '../../net/index.ts';
import type { MapSpec } from '../../program.ts';
import { GALLERY } from './gallery.ts';

const KBPF = process.env.KBPF ?? 'test-data/asm/kbpf-frozen.py';

/** A map in the bundle format (../shared/CLI.md), with the "frozen" extension. */
function bundleMap(m: MapSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags };
  if (m.init?.length) out.init = m.init.map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }));
  if (m.frozen) out.frozen = true;
  return out;
}

const results: Record<string, unknown> = {};
for (const example of GALLERY) {
  const asm = assemble(example.source);
  if (!asm.ok) throw new Error(`${example.id}: ${asm.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  const p = asm.program;
  const packets = (example.packets.length ? example.packets : ['eth-ipv4-udp-64']).map((id) => {
    const built = buildExample(id);
    if (!built.ok) throw new Error(built.error);
    return toHex(built.value);
  });
  const bundle = { progType: p.progType, insns: insnsToHex(p.insns), maps: p.maps.map(bundleMap), license: p.license, logLevel: 1, runs: packets.map((data) => ({ data })) };
  const out = JSON.parse(execFileSync('python3', [KBPF, '--no-log'], { input: JSON.stringify(bundle) }).toString()) as Record<string, unknown>;
  results[example.id] = {
    packets,
    verdict: out.verdict,
    errorLine: out.errorLine,
    errorInsn: out.errorInsn,
    runs: ((out.runs as { retval: number; dataOut: string }[] | undefined) ?? []).map((r) => ({ retval: r.retval, dataOut: r.dataOut })),
    mapsAfter: out.mapsAfter ?? [],
  };
}
process.stdout.write(JSON.stringify({ kernel: 'Linux 6.18 via kbpf.py', examples: results }, null, 1) + '\n');
