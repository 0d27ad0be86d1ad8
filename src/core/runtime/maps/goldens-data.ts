/**
 * The kernel goldens (test-data/runtime/map-goldens.json, recorded by
 * scripts/record-map-goldens.py) and the shapes both replay tests compare.
 * Test support only (reads files with node:fs; nothing outside tests imports it).
 */
import { readFileSync } from 'node:fs';
import type { MapSpec, MapType } from '../../program.ts';
import type { MapDump } from './map.ts';
import { compareBytes, fromHex, toHex } from './bytes.ts';

export interface GoldenSpec {
  type: MapType;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  mapExtra?: number;
}
export interface GoldenOp {
  op: string;
  key?: string;
  value?: string;
  flags?: number;
  size?: number;
  reserveFlags?: number;
}
export interface KernelEntry {
  key: string;
  value: string;
  perCpu?: string[];
}
export interface Scenario {
  name: string;
  map: GoldenSpec;
  sys?: { key?: string; value: string; flags?: number }[];
  ops?: GoldenOp[];
  kernel: {
    sys: string[];
    ops: { ret: number; value?: string }[];
    mapsAfter: { entries?: KernelEntry[]; records?: string[]; discarded?: number; producerPos?: number; skipped?: string };
    /** the recording program's return value */
    retval?: number;
    /** the recording program (hex of raw instructions), kept for a subset of scenarios */
    insns?: string;
  };
}
export interface Goldens {
  kernel: string;
  cpus: number;
  creates: { spec: GoldenSpec; kernel: string }[];
  scenarios: Scenario[];
}

const path = decodeURIComponent(new URL('../../../../test-data/runtime/map-goldens.json', import.meta.url).pathname);
export const goldens = JSON.parse(readFileSync(path, 'utf8')) as Goldens;

export function hex(s: string | undefined): Uint8Array {
  const b = fromHex(s ?? '');
  if (!b) throw new Error(`bad hex in golden data: ${s}`);
  return b;
}

export function spec(g: GoldenSpec): MapSpec {
  return { name: 'target', ...g };
}

/** Our dump in kbpf.py's JSON shape, sorted by key bytes (kernel dumps are sorted the same way below). */
export function ourDump(d: MapDump): unknown {
  if (d.kind === 'skipped') return { skipped: d.reason };
  if (d.kind === 'records') {
    return { records: d.records.map(toHex), discarded: d.discarded, producerPos: d.producerPos };
  }
  return {
    entries: d.entries.map((e) =>
      e.values ? { key: toHex(e.key), value: toHex(e.value), perCpu: e.values.map(toHex) } : { key: toHex(e.key), value: toHex(e.value) },
    ),
  };
}

export function kernelDump(m: Scenario['kernel']['mapsAfter'], type: MapType): unknown {
  if (m.skipped) return { skipped: m.skipped };
  if (m.records) return { records: m.records, discarded: m.discarded, producerPos: m.producerPos };
  const entries = [...(m.entries ?? [])];
  // queue/stack dumps are in pop order; everything else is compared sorted by key bytes
  if (type !== 'queue' && type !== 'stack') entries.sort((a, b) => compareBytes(hex(a.key), hex(b.key)));
  return { entries };
}

