/**
 * Records the verifier golden corpus: programs from the differential
 * generator (fixed seeds) plus hand-picked bundles, run through the real
 * kernel (../shared/tools/kbpf.py, log level 1). The kernel's verdicts,
 * error lines, error instructions, counters and logs go to
 * test-data/verifier/corpus.jsonl, which src/core/verifier/golden.test.ts
 * replays without the kernel.
 *
 *   npx tsx scripts/record-verifier-goldens.ts [--count 1200] [--seed 424242]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insnsToHex } from '../src/core/isa/insn.ts';
import { generate } from '../src/core/verifier/testing/gen.ts';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

const count = Number(arg('--count', '1200'));
const seed = Number(arg('--seed', '424242'));
const out = arg('--out', 'test-data/verifier/corpus.jsonl');

interface Entry {
  id: string;
  bundle: { progType: string; insns: string; maps: object[]; logLevel: number };
}

const entries: Entry[] = [];
for (let i = 0; i < count; i++) {
  const p = generate(seed + i);
  entries.push({
    id: `${p.kind}-${seed + i}`,
    bundle: {
      progType: p.progType,
      insns: insnsToHex(p.insns),
      maps: p.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags })),
      logLevel: 1,
    },
  });
}
for (const f of ['dns_drop.json', 'uninit_r2.json']) {
  const b = JSON.parse(readFileSync(join('/work/shared/tools/examples', f), 'utf8'));
  entries.push({ id: `example-${f.replace('.json', '')}`, bundle: { progType: b.progType ?? 'xdp', insns: b.insns, maps: b.maps ?? [], logLevel: 1 } });
}

const dir = mkdtempSync(join(tmpdir(), 'verifier-goldens-'));
const file = join(dir, 'bundles.jsonl');
writeFileSync(file, entries.map((e) => JSON.stringify(e.bundle)).join('\n') + '\n');
const res = execFileSync('python3', ['/work/shared/tools/kbpf.py', '--batch', file], { maxBuffer: 1 << 30, encoding: 'utf8' })
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));
const lines = entries.map((e, i) => {
  const k = res[i];
  return JSON.stringify({
    id: e.id,
    bundle: e.bundle,
    kernel: {
      verdict: k.verdict,
      errorInsn: k.errorInsn ?? null,
      errorLine: k.errorLine ?? null,
      processedInsns: k.processedInsns,
      totalStates: k.totalStates,
      peakStates: k.peakStates,
      log: k.log,
      version: k.kernel,
    },
  });
});
writeFileSync(out, lines.join('\n') + '\n');
console.log(`wrote ${lines.length} entries to ${out}`);
