/**
 * A test-run session, as a user-space loader plus BPF_PROG_TEST_RUN would
 * drive the kernel: create the maps once, load programs (each gets an fd-like
 * id, so prog_array slots can name them), fill maps from user space, then run
 * programs over packets. Maps persist across the packets and programs of the
 * session. Results come out in the JSON shapes of CLI.md (`runs`,
 * `mapsAfter`); nothing here throws on bad input.
 *
 *   const s = TestRunSession.create(program.maps);            // or an object's maps
 *   if (!s.ok) show(s.error);
 *   const id = s.session.load(program);
 *   s.session.updateMap('m', key, value);                     // null or an error
 *   const runs = s.session.run(id, [{ data: packet }]);
 *   s.session.mapsAfter();
 */
import { bytesToHex } from '../isa/insn.ts';
import type { MapSpec, ProgType, ProgramSpec } from '../program.ts';
import { decodeProgram, type DecodedProgram } from '../interp/decode.ts';
import { isPacketProgType } from '../interp/contexts.ts';
import { Memory } from '../interp/memory.ts';
import { ctxReachOf, runOnPacket, type ProgramRunOutcome } from '../interp/program-run.ts';
import { rawTpCtxProblem } from '../interp/tracing-contexts.ts';
import type { HelperFn } from '../interp/helpers.ts';
import { bindRuntime, RuntimeSession, type RuntimeBinding } from './helpers/index.ts';
import type { MapMemory } from './helpers/map-memory.ts';
import { createMap, DEFAULT_CPUS, type BpfMap } from './maps/index.ts';
import { errnoName } from './maps/errno.ts';
import { u32Bytes } from './maps/bytes.ts';

/** A fixed seed, so bpf_get_prandom_u32 gives the same numbers on every session. */
export const PRANDOM_SEED = 1;

export interface TestRunInput {
  /** the packet (packet program types) */
  data: Uint8Array;
  /** repetitions; durationNs is the mean over them and the last one's output is reported */
  repeat?: number;
  /** ctx_in: an xdp_md / __sk_buff to start from, or the ctx bytes of other program types */
  ctx?: Uint8Array;
  /** BPF_PROG_TEST_RUN's cpu and flags (BPF_F_TEST_RUN_ON_CPU = 1): only raw_tracepoint runs use them */
  cpu?: number;
  flags?: number;
}

/** BPF_F_TEST_RUN_ON_CPU */
const TEST_RUN_ON_CPU = 1;
const NO_CTX = new Uint8Array(0);

/**
 * What bpf_prog_test_run_raw_tp refuses before looking at the ctx: data_in
 * and repeat (our repeat 1 is the kernel's 0: one run), and a cpu without
 * BPF_F_TEST_RUN_ON_CPU. Null when the run may go on.
 */
function rawTpAttrProblem(input: TestRunInput): string | null {
  if (input.data.length > 0) return 'EINVAL: raw_tracepoint test runs take no data_in (the arguments are ctx_in)';
  if ((input.repeat ?? 1) > 1) return 'EINVAL: raw_tracepoint test runs cannot repeat';
  if ((input.cpu ?? 0) !== 0 && ((input.flags ?? 0) & TEST_RUN_ON_CPU) === 0) return 'EINVAL: a cpu needs BPF_F_TEST_RUN_ON_CPU';
  return null;
}

/** BPF_F_TEST_XDP_LIVE_FRAMES, BPF_F_TEST_SKB_CHECKSUM_COMPLETE */
const TEST_XDP_LIVE_FRAMES = 2;
const TEST_SKB_CHECKSUM_COMPLETE = 4;

/**
 * The cpu/flags checks of bpf_prog_test_run_xdp (only the live-frames flag;
 * cpu is ignored) and bpf_prog_test_run_skb (only the checksum-complete
 * flag, no cpu), as measured on 6.18 (test-data/runtime/test-run-attrs.json).
 * The two flags the kernel accepts change what a run means, and we say so
 * rather than run without them.
 */
function packetAttrProblem(progType: ProgType, input: TestRunInput): string | null {
  const flags = input.flags ?? 0;
  if (progType === 'xdp') {
    if (flags & ~TEST_XDP_LIVE_FRAMES) return 'EINVAL: xdp test runs take no flag but BPF_F_TEST_XDP_LIVE_FRAMES';
    if (flags & TEST_XDP_LIVE_FRAMES) return 'BPF_F_TEST_XDP_LIVE_FRAMES (frames sent to a real device) is not simulated';
    return null;
  }
  if (flags & ~TEST_SKB_CHECKSUM_COMPLETE || (input.cpu ?? 0) !== 0) return 'EINVAL: socket-buffer test runs take no cpu and no flag but BPF_F_TEST_SKB_CHECKSUM_COMPLETE';
  if (flags & TEST_SKB_CHECKSUM_COMPLETE) return 'BPF_F_TEST_SKB_CHECKSUM_COMPLETE (the CHECKSUM_COMPLETE check after the run) is not simulated';
  return null;
}

export interface RunEventJson {
  kind: 'ringbuf' | 'perf';
  map: string;
  data: string;
}

/** One run, as CLI.md's `runs[]` (plus a few extra keys). */
export interface RunRecord {
  packet: number;
  retval?: number;
  r0?: string;
  dataOut?: string | null;
  durationNs?: number;
  insnsExecuted?: number;
  events?: RunEventJson[];
  printk?: string[];
  fault?: { insn: number; message: string };
  error?: string;
}

export interface MapJson {
  name: string;
  type: string;
  entries?: { key: string; value: string; values?: string[] }[];
  records?: string[];
  discarded?: number;
  skipped?: string;
}

export interface TestRunOptions {
  cpus?: number;
  /** the CPU runs happen on (default 0, as kbpf.py pins its test runs) */
  cpu?: number;
  seed?: number;
  /** instruction budget per run */
  budget?: number;
}

interface LoadedProgram {
  spec: ProgramSpec;
  decoded: DecodedProgram;
}

export type CreateSessionResult = { ok: true; session: TestRunSession } | { ok: false; error: string };

export class TestRunSession {
  readonly maps: BpfMap[];
  readonly runtime: RuntimeSession;
  readonly memory = new Memory();
  private readonly binding: RuntimeBinding;
  private readonly programs: LoadedProgram[] = [];
  private readonly budget: number | undefined;
  private readonly cpus: number;

  private constructor(maps: BpfMap[], runtime: RuntimeSession, opts: TestRunOptions) {
    this.maps = maps;
    this.runtime = runtime;
    this.binding = bindRuntime(runtime, this.memory);
    this.budget = opts.budget;
    this.cpus = opts.cpus ?? DEFAULT_CPUS;
  }

  /** Create the maps (with their init entries). Program ids used in prog_array inits must be loaded first: use updateProgArray for those. */
  static create(specs: readonly MapSpec[], opts: TestRunOptions = {}): CreateSessionResult {
    const maps: BpfMap[] = [];
    // Filled once the session exists: prog_array updates check the id against it.
    let session: TestRunSession | null = null;
    for (const spec of specs) {
      const created = createMap(spec, {
        cpus: opts.cpus ?? DEFAULT_CPUS,
        // programs by load id, inner maps by their index in `specs`; anything else is a bad fd
        checkFd: (_map, kind, fd) => ((kind === 'prog' && session !== null && session.programs[fd] !== undefined) || (kind === 'map' && fd < specs.length) ? 0 : -9 /* EBADF */),
      });
      if (!created.ok) return { ok: false, error: `load maps: ${created.message}` };
      maps.push(created.map);
    }
    // attachPerfEvents off: a bare BPF_PROG_TEST_RUN (and kbpf.py) has no perf reader.
    const runtime = new RuntimeSession(maps, { cpu: opts.cpu ?? 0, seed: opts.seed ?? PRANDOM_SEED, attachPerfEvents: false });
    session = new TestRunSession(maps, runtime, opts);
    return { ok: true, session };
  }

  /** The helper table and map resolver of this session (to add or replace helpers). */
  get helpers(): Map<number, HelperFn> {
    return this.binding.helpers;
  }

  get mapMemory(): MapMemory {
    return this.binding.maps;
  }

  /** Load a program whose map references index this session's maps; returns its id (what a prog_array slot holds). */
  load(spec: ProgramSpec): number {
    const id = this.programs.length;
    const decoded = decodeProgram(spec.insns);
    this.programs.push({ spec, decoded });
    this.runtime.programs.set(id, decoded);
    return id;
  }

  program(id: number): ProgramSpec | undefined {
    return this.programs[id]?.spec;
  }

  mapIndex(name: string): number {
    return this.maps.findIndex((m) => m.name === name);
  }

  /** BPF_MAP_UPDATE_ELEM from user space: null, or why it failed (the kernel's errno). */
  updateMap(name: string, key: Uint8Array, value: Uint8Array): string | null {
    const map = this.maps[this.mapIndex(name)];
    if (!map) return `no map named '${name}'`;
    if (key.length !== map.keySize && map.keySize !== 0) return `map ${name}: key has ${key.length} bytes, keySize is ${map.keySize} (EINVAL)`;
    const r = map.sysUpdate(key, value, 0);
    return r < 0 ? `map ${name}: BPF_MAP_UPDATE_ELEM failed: ${errnoName(-r)} (${-r})` : null;
  }

  /** Put program `progId` in slot `index` of prog_array `name`. */
  updateProgArray(name: string, index: number, progId: number): string | null {
    const map = this.maps[this.mapIndex(name)];
    if (!map) return `no map named '${name}'`;
    if (map.type !== 'prog_array') return `map ${name} is a ${map.type}, not a prog_array`;
    return this.updateMap(name, u32Bytes(index), u32Bytes(progId));
  }

  /**
   * Run program `progId` once per input (packet types) — or once on an empty
   * ctx when there are no inputs. Packets of unsuitable size give
   * `{packet, error}` as the kernel's test run refuses them.
   */
  run(progId: number, inputs: readonly TestRunInput[]): RunRecord[] {
    const loaded = this.programs[progId];
    if (!loaded) return [{ packet: 0, error: `no program with id ${progId}` }];
    const progType = loaded.spec.progType;
    const packetType = isPacketProgType(progType);
    const runs: (TestRunInput | null)[] = inputs.length > 0 ? [...inputs] : [null];
    return runs.map((input, i) => {
      const packet = packetType ? (input?.data ?? null) : null;
      const repeat = Math.max(1, input?.repeat ?? 1);
      let ctxIn = input?.ctx;
      if (progType === 'raw_tracepoint' && input) {
        // a test run (not a simulated event): the kernel's checks, and no ctx_in is a NULL ctx
        ctxIn ??= NO_CTX;
        const problem = rawTpAttrProblem(input) ?? rawTpCtxProblem(ctxIn, ctxReachOf(loaded.decoded)) ?? this.cpuProblem(input);
        if (problem) return { packet: i, error: problem };
      }
      if (packetType && input) {
        const problem = packetAttrProblem(progType, input);
        if (problem) return { packet: i, error: problem };
      }
      let outcome: ProgramRunOutcome = { kind: 'refused', reason: 'not run' };
      let output = { events: [] as RunEventJson[], printk: [] as string[] };
      let elapsedMs = 0;
      for (let k = 0; k < repeat; k++) {
        this.runtime.packet = packet;
        this.runtime.progType = progType;
        const started = performance.now();
        outcome = runOnPacket(loaded.decoded, progType, packet, {
          budget: this.budget,
          memory: this.memory,
          helpers: this.binding.helpers,
          maps: this.binding.maps,
          ctxIn,
        });
        elapsedMs += performance.now() - started;
        this.binding.maps.releaseValues();
        const out = this.runtime.takeRunOutput();
        output = { events: out.events.map((e) => ({ kind: e.kind, map: e.map, data: bytesToHex(e.data) })), printk: out.printk };
        if (outcome.kind === 'refused') break;
      }
      return describeRun(i, outcome, Math.round((elapsedMs * 1e6) / repeat), output);
    });
  }

  /** ENXIO for a BPF_F_TEST_RUN_ON_CPU run on a CPU the machine does not have (after the ctx checks, as the kernel orders them). */
  private cpuProblem(input: TestRunInput): string | null {
    const cpu = input.cpu ?? 0;
    if (((input.flags ?? 0) & TEST_RUN_ON_CPU) === 0 || cpu < this.cpus) return null;
    return `ENXIO: there is no CPU ${cpu} (the simulated machine has ${this.cpus})`;
  }

  mapsAfter(): MapJson[] {
    return this.maps.map(mapJson);
  }
}

function describeRun(i: number, o: ProgramRunOutcome, durationNs: number, output: { events: RunEventJson[]; printk: string[] }): RunRecord {
  if (o.kind === 'refused') return { packet: i, error: o.reason };
  if (o.kind === 'fault') {
    return { packet: i, fault: { insn: o.pc, message: o.message }, dataOut: null, durationNs, insnsExecuted: o.insnsExecuted, events: output.events, printk: output.printk };
  }
  return {
    packet: i,
    // BPF_PROG_TEST_RUN reports the low 32 bits of r0.
    retval: Number(BigInt.asUintN(32, o.r0)),
    r0: `0x${o.r0.toString(16)}`,
    dataOut: o.dataOut ? bytesToHex(o.dataOut) : null,
    durationNs,
    insnsExecuted: o.insnsExecuted,
    events: output.events,
    printk: output.printk,
  };
}

/** A live map in kbpf.py's mapsAfter shape (per-CPU values also as "values", CLI.md). */
export function mapJson(map: BpfMap): MapJson {
  const dump = map.dump();
  const base = { name: map.name, type: map.type };
  switch (dump.kind) {
    case 'entries':
      return {
        ...base,
        entries: dump.entries.map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value), ...(e.values && { values: e.values.map(bytesToHex) }) })),
      };
    case 'records':
      return { ...base, records: dump.records.map(bytesToHex), discarded: dump.discarded };
    case 'skipped':
      return { ...base, skipped: dump.reason };
  }
}

export function isPacketRunType(t: ProgType): boolean {
  return isPacketProgType(t);
}
