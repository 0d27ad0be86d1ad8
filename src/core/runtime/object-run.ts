/**
 * Run an ELF object the way a libbpf loader plus BPF_PROG_TEST_RUN would:
 * create the object's maps (with .data/.rodata contents and map-in-map
 * slots), verify every program, load the accepted ones together, fill
 * prog_array slots the object initialises (libbpf's `.maps` prog array
 * init), then run the packet-type programs in order over the packets. Maps
 * persist across the packets and the programs. The verifier is passed in
 * (the runtime does not depend on it).
 */
import type { ElfProgramSpec, ObjectSpec } from '../elf/object-spec.ts';
import type { ProgramSpec } from '../program.ts';
import { isPacketProgType } from '../interp/contexts.ts';
import { u32Bytes } from './maps/bytes.ts';
import { DEFAULT_CPUS } from './maps/index.ts';
import { TestRunSession, type MapJson, type RunRecord, type TestRunInput, type TestRunOptions } from './test-run.ts';

export interface ObjectVerdict {
  verdict: 'accepted' | 'rejected' | null;
  errorInsn: number | null;
  errorLine: string | null;
  processedInsns: number | null;
}

/** CLI.md's per-program entry of an object run. */
export interface ObjectProgramResult extends ObjectVerdict {
  section: string;
  name: string;
  progType: string;
  runs: RunRecord[];
  /** the maps right after this program's runs */
  mapsAfter: MapJson[];
}

export type ObjectRunResult = { ok: true; programs: ObjectProgramResult[]; maps: MapJson[] } | { ok: false; error: string };

export interface ObjectRunOptions extends TestRunOptions {
  /** verify a program; null: run unverified */
  verify?: ((p: ProgramSpec) => ObjectVerdict) | null;
  /** user-space map updates before the first run */
  mapUpdates?: { map: string; key: Uint8Array; value: Uint8Array }[];
  /** extra prog_array slots: program by name */
  progArrays?: { map: string; index: number; prog: string }[];
}

const UNVERIFIED: ObjectVerdict = { verdict: null, errorInsn: null, errorLine: null, processedInsns: null };

export function runObjectPrograms(obj: ObjectSpec, packets: readonly TestRunInput[], opts: ObjectRunOptions = {}): ObjectRunResult {
  // libbpf sizes a perf_event_array declared without max_entries to the possible CPUs
  const cpus = opts.cpus ?? DEFAULT_CPUS;
  const specs = obj.maps.map((m) => (m.type === 'perf_event_array' && m.maxEntries === 0 ? { ...m, maxEntries: cpus } : m));
  const created = TestRunSession.create(specs, opts);
  if (!created.ok) return created;
  const session = created.session;
  for (const m of obj.maps) {
    for (const slot of m.initMaps ?? []) {
      const inner = obj.maps[slot.map];
      const err = inner ? session.updateMap(m.name, u32Bytes(slot.key), u32Bytes(slot.map)) : `inner map ${slot.map} does not exist`;
      if (err) return { ok: false, error: `map ${m.name}: slot ${slot.key}: ${err}` };
    }
  }
  const verdicts = obj.programs.map((p) => (opts.verify ? opts.verify(p) : UNVERIFIED));
  // Only programs the kernel would load get ids (a rejected program cannot be tail-called).
  const ids = new Map<string, number>();
  const idOf: (number | null)[] = obj.programs.map((p, i) => {
    if (verdicts[i]!.verdict === 'rejected') return null;
    const id = session.load(p);
    ids.set(p.name, id);
    return id;
  });
  for (const m of obj.maps) {
    for (const slot of m.initProgs ?? []) {
      const id = ids.get(slot.program);
      if (id === undefined) continue; // libbpf skips programs that are not loaded
      const err = session.updateProgArray(m.name, slot.key, id);
      if (err) return { ok: false, error: `map ${m.name}: slot ${slot.key}: ${err}` };
    }
  }
  for (const u of opts.mapUpdates ?? []) {
    const err = session.updateMap(u.map, u.key, u.value);
    if (err) return { ok: false, error: `--map-update: ${err}` };
  }
  for (const s of opts.progArrays ?? []) {
    const id = ids.get(s.prog);
    if (id === undefined) return { ok: false, error: `--prog-array: the object has no loadable program named '${s.prog}'` };
    const err = session.updateProgArray(s.map, s.index, id);
    if (err) return { ok: false, error: `--prog-array: ${err}` };
  }
  const programs = obj.programs.map((p: ElfProgramSpec, i): ObjectProgramResult => {
    const id = idOf[i];
    const runs = id !== null && id !== undefined && isPacketProgType(p.progType) ? session.run(id, packets) : [];
    return { section: p.section, name: p.name, progType: p.progType, ...verdicts[i]!, runs, mapsAfter: runs.length > 0 ? session.mapsAfter() : [] };
  });
  return { ok: true, programs, maps: session.mapsAfter() };
}
