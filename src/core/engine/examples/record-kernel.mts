/**
 * Records the Linux 6.18 kernel's results for the gallery (needs root and
 * ../shared/tools/kbpf.py): assemble each example with bin/bpfiddle asm
 * --json, build a kbpf bundle with its packets, run it on the kernel.
 *
 *   npx tsx src/core/engine/examples/record-kernel.mts > test-data/engine/examples.kernel.json
 */
import { execFileSync } from 'node:child_process';
import { buildExample, toHex } from '../../net/index.ts';
import { GALLERY } from './gallery.ts';

const KBPF = process.env.KBPF ?? '/work/shared/tools/kbpf.py';
const results: Record<string, unknown> = {};
for (const example of GALLERY) {
  const asm = JSON.parse(execFileSync('bin/bpfiddle', ['asm', '--json', '-'], { input: example.source }).toString()) as Record<string, unknown>;
  const packets = (example.packets.length ? example.packets : ['eth-ipv4-udp-64']).map((id) => {
    const built = buildExample(id);
    if (!built.ok) throw new Error(built.error);
    return toHex(built.value);
  });
  const bundle = { ...asm, logLevel: 1, runs: packets.map((data) => ({ data })) };
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
