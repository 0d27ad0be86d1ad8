/**
 * The engine's run over several packets with live maps: build the maps from
 * the program's specs (plus the user's seeds), bind the runtime's helpers,
 * run once per packet on one session (maps persist across packets, as with
 * repeated BPF_PROG_TEST_RUNs on a loaded program) and dump the maps after.
 */
import { bytesToHex, hexToBytes } from '../isa/insn.ts';
import { decodeProgram, type DecodedProgram } from '../interp/decode.ts';
import { Memory } from '../interp/memory.ts';
import { runOnPacket } from '../interp/program-run.ts';
import type { MapEntrySpec, MapSpec, ProgramSpec } from '../program.ts';
import { bindRuntime, RuntimeSession } from '../runtime/helpers/index.ts';
import { createMap, DEFAULT_CPUS, EBADF, type BpfMap, type FdKind } from '../runtime/maps/index.ts';
import type { BatchOutcome, ExecuteOptions, ExecutionOutcome, MapDecoder } from './ports.ts';
import type { MapSeed, MapView } from './types.ts';

/** Numbers standing for tail-call target programs in prog_array slots (like fds: small, positive). */
const FIRST_PROG_FD = 100;

/** A fixed seed, so bpf_get_prandom_u32 gives the same numbers on every Run. */
const PRANDOM_SEED = 1;

/** The map specs with the seeds appended to their init entries; a message for a bad seed. */
export function applySeeds(maps: readonly MapSpec[], seeds: readonly MapSeed[]): MapSpec[] | string {
  const extra = new Map<string, MapEntrySpec[]>();
  for (const [i, seed] of seeds.entries()) {
    const spec = maps.find((m) => m.name === seed.map);
    if (!spec) return `map seed ${i + 1}: the program has no map named '${seed.map}'`;
    const key = hexToBytes(seed.keyHex);
    if (!key.ok) return `map seed ${i + 1} (${seed.map}): key: ${key.error}`;
    const value = hexToBytes(seed.valueHex);
    if (!value.ok) return `map seed ${i + 1} (${seed.map}): value: ${value.error}`;
    const list = extra.get(seed.map) ?? [];
    list.push({ key: key.bytes, value: value.bytes });
    extra.set(seed.map, list);
  }
  return maps.map((m) => (extra.has(m.name) ? { ...m, init: [...(m.init ?? []), ...extra.get(m.name)!] } : m));
}

/** A live map as plain data for the UI. */
export function mapView(map: BpfMap, index = 0, decode?: MapDecoder): MapView {
  const text = (part: 'key' | 'value', bytes: Uint8Array) => decode?.(index, part, bytes) ?? undefined;
  const base = { name: map.name, type: map.type, keySize: map.keySize, valueSize: map.valueSize, maxEntries: map.maxEntries, cpus: map.cpus };
  const dump = map.dump();
  switch (dump.kind) {
    case 'entries':
      return {
        ...base,
        entries: dump.entries.map((e) => {
          const keyText = text('key', e.key);
          const valueText = text('value', e.value);
          const perCpuText = decode && e.values ? e.values.map((v) => text('value', v) ?? '') : undefined;
          return {
            keyHex: bytesToHex(e.key),
            valueHex: bytesToHex(e.value),
            ...(e.values && { perCpuHex: e.values.map(bytesToHex) }),
            ...(keyText !== undefined && { keyText }),
            ...(valueText !== undefined && { valueText }),
            ...(perCpuText && perCpuText.some((t) => t !== '') && { perCpuText }),
          };
        }),
      };
    case 'records':
      return { ...base, entries: [], records: dump.records.map(bytesToHex) };
    case 'skipped':
      return { ...base, entries: [], note: dump.reason };
  }
}

/** Live maps, helpers and memory for runs of one program (one Run or one debug session). */
export interface LiveSession {
  maps: BpfMap[];
  session: RuntimeSession;
  memory: Memory;
  binding: ReturnType<typeof bindRuntime>;
  decoded: DecodedProgram;
}

/** Build the maps (with seeds and prog_array targets) and bind the helpers; a message when that fails. */
export function openSession(program: ProgramSpec, options: ExecuteOptions): LiveSession | string {
  const specs = applySeeds(program.maps, options.seeds ?? []);
  if (typeof specs === 'string') return specs;
  // Tail-call targets get fd-like numbers; prog_array slots may hold only those.
  const targets = (options.tailCalls ?? []).map((t, i) => ({ ...t, fd: FIRST_PROG_FD + i }));
  const progFds = new Set(targets.map((t) => t.fd));
  const checkFd = (_map: BpfMap, kind: FdKind, fd: number) => (kind === 'prog' && progFds.has(fd) ? 0 : -EBADF);
  const maps: BpfMap[] = [];
  for (const spec of specs) {
    const created = createMap(spec, { cpus: DEFAULT_CPUS, checkFd });
    if (!created.ok) return `load maps: ${created.message}`;
    maps.push(created.map);
  }
  const session = new RuntimeSession(maps, { cpu: 0, seed: PRANDOM_SEED });
  for (const t of targets) {
    const map = maps[t.mapIndex];
    const key = new Uint8Array(4);
    const value = new Uint8Array(4);
    new DataView(key.buffer).setUint32(0, t.slot, true);
    new DataView(value.buffer).setUint32(0, t.fd, true);
    const r = map ? map.sysUpdate(key, value, 0) : -EBADF;
    if (r < 0) return `load maps: prog_array ${map?.name ?? t.mapIndex} slot ${t.slot}: cannot hold ${t.program.name} (errno ${-r})`;
    session.programs.set(t.fd, decodeProgram(t.program.insns));
  }
  // One memory for the whole session: map value regions outlive single runs.
  const memory = new Memory();
  const binding = bindRuntime(session, memory);
  return { maps, session, memory, binding, decoded: decodeProgram(program.insns) };
}

export function runWithMaps(program: ProgramSpec, packets: readonly (Uint8Array | null)[], options: ExecuteOptions): BatchOutcome {
  const live = openSession(program, options);
  if (typeof live === 'string') return { kind: 'refused', reason: live };
  const { maps, session, memory, binding, decoded } = live;
  const runs: ExecutionOutcome[] = packets.map((packet) => {
    session.packet = packet;
    const outcome = runOnPacket(decoded, program.progType, packet, { budget: options.budget, helpers: binding.helpers, maps: binding.maps, memory });
    binding.maps.releaseValues();
    const { events, printk } = session.takeRunOutput();
    const sideEffects = { events: events.map((e) => ({ kind: e.kind, map: e.map, hex: bytesToHex(e.data) })), printk };
    switch (outcome.kind) {
      case 'returned':
        return { kind: 'returned', r0: outcome.r0, dataOut: outcome.dataOut, insnsExecuted: outcome.insnsExecuted, ...sideEffects };
      case 'fault':
        return { kind: 'fault', pc: outcome.pc, message: outcome.message, insnsExecuted: outcome.insnsExecuted, ...sideEffects };
      case 'refused':
        return { kind: 'refused', reason: outcome.reason };
    }
  });
  return { kind: 'ran', runs, maps: maps.map((m, i) => mapView(m, i, options.decode)) };
}
