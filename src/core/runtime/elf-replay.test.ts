import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadObject } from '../elf/index.ts';
import { hexToBytes } from '../isa/insn.ts';
import { runObjectPrograms, type ObjectVerdict } from './object-run.ts';
import type { MapJson, RunRecord } from './test-run.ts';

/**
 * The ELF fixtures' kernel ground truth (test-data/elf/kernel-results.json:
 * libbpf loads each object, the packet-type programs run in order over
 * packets.hex with shared maps) replayed through loadObject and the runtime.
 * The kernel's verdicts decide which programs load, so this measures the
 * runtime alone. Target: >= 98 % of runs equal (retval, data_out, events).
 */
interface KRun {
  packet: number;
  retval?: number;
  dataOut?: string;
  events?: { kind: string; map: string; data: string }[];
}
interface KMap {
  name: string;
  entries: { key: string; value?: string; values?: string[] }[] | null;
}
interface KProgram {
  name: string;
  verdict: 'accepted' | 'rejected';
  runs?: KRun[];
  mapsAfter?: KMap[];
}
interface KObject {
  object: string;
  programs?: KProgram[];
  mapsAfter?: KMap[];
}

const ROOT = new URL('../../../test-data/elf/', import.meta.url);
const golden = JSON.parse(readFileSync(new URL('kernel-results.json', ROOT), 'utf8')) as { packets: string; objects: KObject[] };
const packetLines = readFileSync(new URL(golden.packets, ROOT), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
const packets = packetLines.map((h) => {
  const b = hexToBytes(h);
  if (!b.ok) throw new Error(b.error);
  return { data: b.bytes };
});

function runKey(r: RunRecord | KRun): string {
  // a refused packet: an errno (the bundle-recorded legacy object has just no retval)
  if (('error' in r && r.error !== undefined) || r.retval === undefined) return `error`;
  // perf events are not captured by the recorder
  const events = (r.events ?? []).filter((e) => e.kind === 'ringbuf').map((e) => `${e.map}:${e.data}`);
  return JSON.stringify({ retval: r.retval, dataOut: r.dataOut, events });
}

function sortedEntries(m: KMap | MapJson): string {
  const es = (m.entries ?? []).map((e) => ('values' in e && e.values ? `${e.key}=${e.values.join(',')}` : `${e.key}=${e.value}`));
  return es.sort().join(' ');
}

/** The recorder's process ran on CPU 1: that is where its per-CPU values are. */
const RECORDED_CPU = 1;

let total = 0;
let equal = 0;
const mismatches: string[] = [];

describe('ELF fixtures replay the kernel runs', () => {
  for (const obj of golden.objects) {
    const programs = obj.programs ?? [];
    if (!programs.some((p) => (p.runs ?? []).length > 0)) continue;
    it(obj.object, () => {
      const loaded = loadObject(new Uint8Array(readFileSync(new URL(obj.object, ROOT))), { fileName: obj.object });
      if (!loaded.ok) throw new Error(loaded.error);
      const verdictOf = new Map(programs.map((p) => [p.name, p.verdict]));
      const verify = (p: { name: string }): ObjectVerdict => ({ verdict: verdictOf.get(p.name) ?? 'rejected', errorInsn: null, errorLine: null, processedInsns: null });
      const r = runObjectPrograms(loaded.object, packets, { verify, cpu: RECORDED_CPU });
      if (!r.ok) throw new Error(r.error);
      for (const want of programs) {
        const have = r.programs.find((p) => p.name === want.name);
        for (const run of want.runs ?? []) {
          total++;
          const got = have?.runs[run.packet];
          if (got && runKey(got) === runKey(run)) equal++;
          else mismatches.push(`${obj.object} ${want.name} packet ${run.packet}: kernel ${runKey(run)} ours ${got ? runKey(got) : 'none'}`);
        }
      }
      for (const want of obj.mapsAfter ?? []) {
        if (want.entries === null) continue; // not dumpable (ringbuf, perf, queue...)
        const have = r.maps.find((m) => m.name === want.name);
        expect(have && sortedEntries(have), `map ${want.name}`).toBe(sortedEntries(want));
      }
    });
  }

  it('agrees on at least 98 % of the runs', () => {
    if (mismatches.length) console.log(mismatches.slice(0, 10).join('\n'));
    console.log(`ELF replay: ${equal}/${total} runs equal (${((100 * equal) / total).toFixed(1)} %)`);
    expect(total).toBeGreaterThan(100);
    expect(equal / total).toBeGreaterThanOrEqual(0.98);
  });
});
