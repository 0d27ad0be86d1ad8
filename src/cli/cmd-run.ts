/**
 * `bpfiddle run [--json] [--jit] [--packets FILE.hex] [--no-verify] INPUT`
 * and `bpfiddle run --batch`: verify (once the verifier exists), then run the
 * program on the interpreter over each packet, as BPF_PROG_TEST_RUN would.
 */
import { assemble } from '../core/asm/index.ts';
import type { Dialect } from '../core/asm/types.ts';
import { xdpActionName } from '../core/engine/retval.ts';
import { hexToBytes, bytesToHex } from '../core/isa/insn.ts';
import { decodeProgram } from '../core/interp/decode.ts';
import { isPacketProgType } from '../core/interp/contexts.ts';
import { runOnPacket, type ProgramRunOutcome } from '../core/interp/program-run.ts';
import { DEFAULT_BUDGET } from '../core/interp/vm.ts';
import { isProgType, type MapSpec, type ProgType, type ProgramSpec } from '../core/program.ts';
import { Memory } from '../core/interp/memory.ts';
import { bindRuntime, RuntimeSession, type RunEvent } from '../core/runtime/helpers/index.ts';
import { createMap, DEFAULT_CPUS, type BpfMap } from '../core/runtime/maps/index.ts';
import { parseBundleText, type BundleRun } from './bundle.ts';
import { formatDiagnostics, readInputText } from './cmd-asm.ts';
import { CliIo, EXIT_OK, UsageError } from './io.ts';

/** A fixed seed, so bpf_get_prandom_u32 gives the same numbers on every run (as the engine does). */
const PRANDOM_SEED = 1;

export const RUN_HELP = `Usage: bpfiddle run [options] INPUT
       bpfiddle run --batch [--jit]   (JSON-lines bundles on stdin)

Run a program on the interpreter. INPUT is FILE.s / FILE.asm (assembly),
FILE.json or - (a bundle, the format of ../shared/tools/kbpf.py).
Packet program types (xdp, socket_filter, sched_cls, ...) run once per packet;
without packets they run over a default 64-byte Ethernet/IPv4/UDP frame.

Options:
  --json             print the result as JSON (see CLI.md)
  --packets FILE     hex frames, one per line (overrides the bundle's runs)
  --type T           program type for assembly input (default xdp)
  --dialect D        assembly dialect: auto (default), kernel, ubpf
  --budget N         instruction budget per run (default ${DEFAULT_BUDGET})
  --map-update MAP KEYHEX VALHEX
                     put an entry in a map before the first run (repeatable)
  --no-verify        run without verifying (faults are caught by the VM)
  --jit              run on the JIT (not available yet)
  --batch            JSON-lines bundles on stdin, one JSON result per line
  -h, --help         this help

Maps persist across packets (and a run's repeats); the JSON "mapsAfter"
dumps them after the last run. The verifier has not landed yet: programs
run unverified and the JSON "verdict" is null.
`;

interface RunArgs {
  json: boolean;
  batch: boolean;
  jit: boolean;
  noVerify: boolean;
  packetsFile: string | null;
  progType: ProgType | null;
  dialect: Dialect | 'auto';
  budget: number;
  mapUpdates: MapUpdate[];
  input: string | null;
}

interface MapUpdate {
  map: string;
  key: Uint8Array;
  value: Uint8Array;
}

function parseArgs(args: string[]): RunArgs | 'help' {
  const out: RunArgs = { json: false, batch: false, jit: false, noVerify: false, packetsFile: null, progType: null, dialect: 'auto', budget: DEFAULT_BUDGET, mapUpdates: [], input: null };
  const value = (i: number, name: string): string => {
    const v = args[i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--json') out.json = true;
    else if (a === '--batch') out.batch = true;
    else if (a === '--jit') out.jit = true;
    else if (a === '--no-verify') out.noVerify = true;
    else if (a === '--packets') out.packetsFile = value(++i, '--packets');
    else if (a === '--type') {
      const t = value(++i, '--type');
      if (!isProgType(t)) throw new UsageError(`unknown program type '${t}'`);
      out.progType = t;
    } else if (a === '--dialect') {
      const d = value(++i, '--dialect');
      if (d !== 'auto' && d !== 'kernel' && d !== 'ubpf') throw new UsageError(`--dialect must be auto, kernel or ubpf, not '${d}'`);
      out.dialect = d;
    } else if (a === '--budget') {
      const n = Number(value(++i, '--budget'));
      if (!Number.isInteger(n) || n <= 0) throw new UsageError('--budget must be a positive integer');
      out.budget = n;
    } else if (a === '--map-update') {
      const [map, keyHex, valueHex] = [value(i + 1, a), value(i + 2, a), value(i + 3, a)];
      i += 3;
      const key = hexToBytes(keyHex);
      const val = hexToBytes(valueHex);
      if (!key.ok) throw new UsageError(`--map-update ${map}: key: ${key.error}`);
      if (!val.ok) throw new UsageError(`--map-update ${map}: value: ${val.error}`);
      out.mapUpdates.push({ map, key: key.bytes, value: val.bytes });
    } else if (a === '--prog-array') {
      throw new UsageError('--prog-array: tail calls into other programs are not supported yet');
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (try --help)`);
    else if (out.input !== null) throw new UsageError(`only one INPUT, got '${out.input}' and '${a}'`);
    else out.input = a;
  }
  return out;
}

export async function runCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(RUN_HELP);
    return EXIT_OK;
  }
  if (parsed.jit) throw new UsageError('the JIT is not available yet; run without --jit to use the interpreter');
  if (parsed.batch) return runBatch(parsed, io);
  if (parsed.input === null) throw new UsageError('missing INPUT (a .s/.asm file, a bundle .json, or - for stdin); try --help');
  const text = await readInputText(parsed.input, io);
  const loaded = loadInput(parsed.input, text, parsed, io);
  let runs = loaded.runs;
  if (parsed.packetsFile !== null) runs = parsePackets(parsed.packetsFile, await readInputText(parsed.packetsFile, io));
  for (const u of parsed.mapUpdates) {
    if (!loaded.program.maps.some((m) => m.name === u.map)) throw new UsageError(`--map-update: the program has no map named '${u.map}'`);
  }
  const result = runAll(loaded.program, runs, parsed);
  io.stdout(parsed.json ? JSON.stringify(result.json) + '\n' : result.text);
  return EXIT_OK;
}

interface Loaded {
  program: ProgramSpec;
  runs: BundleRun[];
}

function loadInput(path: string, text: string, opts: RunArgs, io: CliIo): Loaded {
  if (text.startsWith('\x7fELF')) throw new UsageError(`${path}: ELF objects are not supported by run yet`);
  if (text.trimStart().startsWith('{') || /\.json$/i.test(path)) {
    const b = parseBundleText(text, path === '-' ? '<stdin>' : path);
    if (!b.ok) throw new UsageError(b.error);
    const program = opts.progType ? { ...b.bundle.program, progType: opts.progType } : b.bundle.program;
    return { program, runs: b.bundle.runs };
  }
  const r = assemble(text, { dialect: opts.dialect });
  io.stderr(formatDiagnostics(path, r.diagnostics.filter((d) => d.severity === 'warning')));
  if (!r.ok) {
    const first = r.diagnostics.find((d) => d.severity === 'error') ?? r.diagnostics[0];
    throw new UsageError(first ? `${path}:${first.line}:${first.column}: ${first.message}` : `${path}: does not assemble`);
  }
  const program = { ...r.program, progType: opts.progType ?? r.program.progType };
  return { program, runs: [] };
}

function parsePackets(path: string, text: string): BundleRun[] {
  const runs: BundleRun[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/#.*/, '').trim();
    if (t === '') return;
    const bytes = hexToBytes(t);
    if (!bytes.ok) throw new UsageError(`${path}:${i + 1}: ${bytes.error}`);
    runs.push({ data: bytes.bytes, repeat: 1 });
  });
  return runs;
}

interface RunJson {
  packet: number;
  retval?: number;
  r0?: string;
  dataOut?: string | null;
  durationNs?: number;
  insnsExecuted?: number;
  events?: { kind: string; map: string; data: string }[];
  printk?: string[];
  fault?: { insn: number; message: string };
  error?: string;
}

/**
 * Run every packet on one session: maps (from the program's specs plus
 * --map-update entries) persist across packets and repeats, as on a loaded
 * program the kernel test-runs again and again. Text and JSON renderings.
 */
function runAll(program: ProgramSpec, bundleRuns: BundleRun[], opts: RunArgs): { json: object; text: string } {
  const lines: string[] = [];
  // Seam: once src/core/verifier lands, verify here (unless --no-verify) and
  // only run accepted programs; until then nothing is claimed about the verdict.
  if (!opts.noVerify) lines.push('not verified: the verifier is not available yet (running as with --no-verify)');
  const maps: BpfMap[] = [];
  for (const spec of withMapUpdates(program.maps, opts.mapUpdates)) {
    const created = createMap(spec, { cpus: DEFAULT_CPUS });
    if (!created.ok) throw new UsageError(`load maps: ${created.message}`);
    maps.push(created.map);
  }
  // attachPerfEvents off: a bare BPF_PROG_TEST_RUN (and kbpf.py) has no perf reader.
  const session = new RuntimeSession(maps, { cpu: 0, seed: PRANDOM_SEED, attachPerfEvents: false });
  const memory = new Memory();
  const binding = bindRuntime(session, memory);
  const prog = decodeProgram(program.insns);
  const packetType = isPacketProgType(program.progType);
  // With no runs given, packet programs see the default frame and others a zeroed ctx.
  const runs: (BundleRun | null)[] = bundleRuns.length > 0 ? bundleRuns : [null];
  const runResults: RunJson[] = runs.map((r, i) => {
    const packet = packetType ? (r?.data ?? null) : null;
    const repeat = r?.repeat ?? 1;
    let outcome: ProgramRunOutcome | null = null;
    let output: { events: RunEvent[]; printk: string[] } = { events: [], printk: [] };
    let elapsedMs = 0;
    for (let k = 0; k < repeat; k++) {
      session.packet = packet;
      const started = performance.now();
      outcome = runOnPacket(prog, program.progType, packet, { budget: opts.budget, memory, helpers: binding.helpers, maps: binding.maps });
      elapsedMs += performance.now() - started;
      binding.maps.releaseValues();
      // Like the kernel's test run, report what the last repetition produced.
      output = session.takeRunOutput();
    }
    const durationNs = Math.round((elapsedMs * 1e6) / repeat);
    return describe(i, outcome as ProgramRunOutcome, durationNs, output, program.progType, lines);
  });
  const mapsAfter = maps.map(mapJson);
  for (const m of mapsAfter) lines.push(`map ${m.name}: ${JSON.stringify(m.entries ?? m.records ?? m.skipped)}`);
  const json = {
    verdict: null,
    errorInsn: null,
    errorLine: null,
    log: '',
    processedInsns: null,
    totalStates: null,
    peakStates: null,
    runs: runResults,
    mapsAfter,
  };
  return { json, text: lines.join('\n') + '\n' };
}

/** The program's maps with --map-update entries appended to their init lists. */
function withMapUpdates(specs: readonly MapSpec[], updates: readonly MapUpdate[]): MapSpec[] {
  return specs.map((spec) => {
    const extra = updates.filter((u) => u.map === spec.name).map((u) => ({ key: u.key, value: u.value }));
    return extra.length > 0 ? { ...spec, init: [...(spec.init ?? []), ...extra] } : spec;
  });
}

interface MapJson {
  name: string;
  type: string;
  entries?: { key: string; value: string; values?: string[] }[];
  records?: string[];
  discarded?: number;
  skipped?: string;
}

/** A live map in kbpf.py's mapsAfter shape (per-CPU values also as "values", CLI.md). */
function mapJson(map: BpfMap): MapJson {
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

function describe(i: number, o: ProgramRunOutcome, durationNs: number, output: { events: RunEvent[]; printk: string[] }, progType: ProgType, lines: string[]): RunJson {
  if (o.kind === 'refused') {
    lines.push(`run ${i}: refused: ${o.reason}`);
    return { packet: i, error: o.reason };
  }
  const events = output.events.map((e) => ({ kind: e.kind, map: e.map, data: bytesToHex(e.data) }));
  for (const line of output.printk) lines.push(`run ${i}: printk: ${line}`);
  for (const e of events) lines.push(`run ${i}: ${e.kind} event on ${e.map}: ${e.data}`);
  if (o.kind === 'fault') {
    lines.push(`run ${i}: fault at insn ${o.pc}: ${o.message} (${o.insnsExecuted} insns executed)`);
    return { packet: i, fault: { insn: o.pc, message: o.message }, dataOut: null, durationNs, insnsExecuted: o.insnsExecuted, events, printk: output.printk };
  }
  // BPF_PROG_TEST_RUN reports the low 32 bits of r0.
  const retval = Number(BigInt.asUintN(32, o.r0));
  const action = progType === 'xdp' ? xdpActionName(o.r0) : null;
  const full = BigInt.asUintN(64, o.r0) === BigInt(retval) ? '' : `, r0 = 0x${o.r0.toString(16)}`;
  lines.push(`run ${i}: retval ${retval} (0x${retval.toString(16)})${action ? ` ${action}` : ''}${full}, ${o.insnsExecuted} insns executed`);
  return {
    packet: i,
    retval,
    r0: `0x${o.r0.toString(16)}`,
    dataOut: o.dataOut ? bytesToHex(o.dataOut) : null,
    durationNs,
    insnsExecuted: o.insnsExecuted,
    events,
    printk: output.printk,
  };
}

async function runBatch(opts: RunArgs, io: CliIo): Promise<number> {
  const input = await io.readStdin();
  const lines = input.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const b = parseBundleText(line, `line ${i + 1}`);
    if (!b.ok) {
      io.stdout(JSON.stringify({ error: b.error }) + '\n');
      continue;
    }
    const result = runAll(b.bundle.program, b.bundle.runs, opts);
    io.stdout(JSON.stringify(result.json) + '\n');
  }
  return EXIT_OK;
}

