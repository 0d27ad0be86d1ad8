/**
 * Helper of scripts/record-elf-goldens.py: loads ELF fixtures with bpfiddle's
 * own loader and prints one kbpf.py bundle per program (JSON lines), so the
 * kernel can judge objects libbpf 1.x refuses (legacy "maps" section) and so
 * every program can be cross-checked through the bundle path.
 *   npx tsx scripts/record-elf-goldens.ts PACKETS.hex FILE.o...
 */
import { readFileSync } from 'node:fs';
import { loadObject, programBundle } from '../src/core/elf/index.ts';
import { hexToBytes } from '../src/core/isa/insn.ts';

const RUNNABLE = new Set(['xdp', 'sched_cls', 'socket_filter', 'cgroup_skb']);

const [packetsFile, ...files] = process.argv.slice(2);
const packets = readFileSync(packetsFile, 'utf8').split('\n').filter((l) => l.trim()).flatMap((l) => {
  const r = hexToBytes(l);
  return r.ok ? [r.bytes] : [];
});
for (const file of files) {
  const r = loadObject(new Uint8Array(readFileSync(file)), { fileName: file });
  if (!r.ok) {
    console.log(JSON.stringify({ file, error: r.error }));
    continue;
  }
  r.object.programs.forEach((p, i) => {
    const bundle = programBundle(r.object, i, { packets: RUNNABLE.has(p.progType) ? packets : undefined, logLevel: 1 });
    console.log(JSON.stringify({ file, section: p.section, name: p.name, bundle }));
  });
}
