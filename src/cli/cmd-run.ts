/**
 * `bpfiddle run [--json] [--packets FILE.hex] [--map-update MAP K V]...
 * [--prog-array MAP INDEX PROG]... [--no-verify] INPUT` and `run --batch`:
 * verify, then run the program on the interpreter over each packet, as
 * BPF_PROG_TEST_RUN would; maps persist across packets (CLI.md).
 * An ELF object runs every program in it over the packets, sharing its maps.
 */
import { assemble } from '../core/asm/index.ts';
import type { Dialect } from '../core/asm/types.ts';
import { xdpActionName } from '../core/engine/retval.ts';
import { hexToBytes } from '../core/isa/insn.ts';
import { DEFAULT_BUDGET } from '../core/interp/vm.ts';
import { isProgType, type ProgType, type ProgramSpec } from '../core/program.ts';
import { TestRunSession, type MapJson, type RunRecord, type TestRunInput } from '../core/runtime/test-run.ts';
import { verify, type VerifyResult } from '../core/verifier/index.ts';
import { parseBundleText } from './bundle.ts';
import { formatDiagnostics, readInputText } from './cmd-asm.ts';
import { loadObject } from '../core/elf/index.ts';
import { runObjectPrograms } from '../core/runtime/object-run.ts';
import { CliIo, EXIT_OK, UsageError } from './io.ts';

export const RUN_HELP = `Usage: bpfiddle run [options] INPUT
       bpfiddle run --batch [--jit]   (JSON-lines bundles on stdin)

Verify, then run a program on the interpreter. INPUT is FILE.s / FILE.asm
(assembly), FILE.json or - (a bundle, the format of ../shared/tools/kbpf.py),
or FILE.o (a clang BPF object: every program in it, sharing its maps).
Packet program types (xdp, socket_filter, sched_cls, ...) run once per packet;
without packets they run over a default 64-byte Ethernet/IPv4/UDP frame.
A program the verifier rejects is not run (the JSON carries the verdict,
errorInsn, errorLine and log).

Options:
  --json             print the result as JSON (see CLI.md)
  --packets FILE     hex frames, one per line (overrides the bundle's runs)
  --type T           program type for assembly input (default xdp)
  --dialect D        assembly dialect: auto (default), kernel, ubpf
  --budget N         instruction budget per run (default ${DEFAULT_BUDGET})
  --map-update MAP KEYHEX VALHEX
                     put an entry in a map before the first run (repeatable)
  --prog-array MAP INDEX PROG
                     put program PROG in slot INDEX of prog_array MAP, for
                     bpf_tail_call (repeatable). PROG is a file (.s/.json,
                     using the same maps in the same order) or, for an
                     object, the name of one of its programs
  --no-verify        run without verifying (faults are caught by the VM)
  --jit              run on the JIT (not available yet)
  --batch            JSON-lines bundles on stdin, one JSON result per line
  -h, --help         this help

Maps persist across packets (and a run's repeats); the JSON "mapsAfter"
dumps them after the last run.
`;

export interface RunArgs {
  json: boolean;
  batch: boolean;
  jit: boolean;
  noVerify: boolean;
  packetsFile: string | null;
  progType: ProgType | null;
  dialect: Dialect | 'auto';
  budget: number;
  mapUpdates: MapUpdate[];
  progArrays: ProgArraySlot[];
  input: string | null;
}

export interface MapUpdate {
  map: string;
  key: Uint8Array;
  value: Uint8Array;
}

export interface ProgArraySlot {
  map: string;
  index: number;
  prog: string;
}

function parseArgs(args: string[]): RunArgs | 'help' {
  const out: RunArgs = { json: false, batch: false, jit: false, noVerify: false, packetsFile: null, progType: null, dialect: 'auto', budget: DEFAULT_BUDGET, mapUpdates: [], progArrays: [], input: null };
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
      const [map, indexText, prog] = [value(i + 1, a), value(i + 2, a), value(i + 3, a)];
      i += 3;
      const index = Number(indexText);
      if (!/^\d+$/.test(indexText) || index > 0xffffffff) throw new UsageError(`--prog-array ${map}: INDEX must be a non-negative integer, not '${indexText}'`);
      out.progArrays.push({ map, index, prog });
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
  if (parsed.input === null) throw new UsageError('missing INPUT (a .s/.asm file, a bundle .json, an object .o, or - for stdin); try --help');
  const packets = parsed.packetsFile !== null ? parsePackets(parsed.packetsFile, await readInputText(parsed.packetsFile, io)) : null;
  if (parsed.input !== '-' && (/\.o$/i.test(parsed.input) || isElf(await readBytes(parsed.input, io)))) {
    const result = runObject(await readBytes(parsed.input, io), parsed.input, packets ?? [], parsed);
    io.stdout(parsed.json ? JSON.stringify(result.json) + '\n' : result.text);
    return EXIT_OK;
  }
  const text = await readInputText(parsed.input, io);
  const loaded = loadProgramText(parsed.input, text, parsed, io);
  const tailTargets: { slot: ProgArraySlot; program: ProgramSpec }[] = [];
  for (const slot of parsed.progArrays) {
    const t = loadProgramText(slot.prog, await readInputText(slot.prog, io), { ...parsed, progType: parsed.progType ?? loaded.program.progType }, io);
    tailTargets.push({ slot, program: { ...t.program, maps: loaded.program.maps } });
  }
  const result = runProgram(loaded.program, packets ?? loaded.runs, parsed, tailTargets);
  io.stdout(parsed.json ? JSON.stringify(result.json) + '\n' : result.text);
  return EXIT_OK;
}

function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** An object: every program verified, the accepted ones run over the packets with shared maps (CLI.md's ELF shape). */
function runObject(bytes: Uint8Array, path: string, packets: TestRunInput[], opts: RunArgs): { json: object; text: string } {
  const loaded = loadObject(bytes, { fileName: path.split('/').pop() ?? path });
  if (!loaded.ok) throw new UsageError(`${path}: ${loaded.error}`);
  const lines: string[] = [];
  const result = runObjectPrograms(loaded.object, packets, {
    budget: opts.budget,
    verify: opts.noVerify
      ? null
      : (p) => {
          const v = verdictJson(p, opts, []);
          return { verdict: v.verdict, errorInsn: v.errorInsn, errorLine: v.errorLine, processedInsns: v.processedInsns };
        },
    mapUpdates: opts.mapUpdates,
    progArrays: opts.progArrays,
  });
  if (!result.ok) throw new UsageError(`${path}: ${result.error}`);
  for (const p of result.programs) {
    const head = `${p.section} ${p.name} (${p.progType})`;
    if (p.verdict === 'rejected') lines.push(`${head}: rejected${p.errorInsn !== null ? ` at insn ${p.errorInsn}` : ''}: ${p.errorLine ?? ''}`);
    else lines.push(`${head}: ${p.verdict ?? 'not verified'}${p.runs.length === 0 ? ' (not a packet program: not run)' : ''}`);
    describeRuns(p.runs, p.progType as ProgType, lines, '  ');
  }
  describeMaps(result.maps, lines);
  const programs = result.programs.map(({ mapsAfter: _mapsAfter, ...p }) => p);
  return { json: { programs, maps: result.maps }, text: lines.join('\n') + '\n' };
}

async function readBytes(path: string, io: CliIo): Promise<Uint8Array> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const why = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}

interface Loaded {
  program: ProgramSpec;
  runs: TestRunInput[];
}

function loadProgramText(path: string, text: string, opts: RunArgs, io: CliIo): Loaded {
  if (text.startsWith('\x7fELF')) throw new UsageError(`${path}: an ELF object here is not supported; pass the object as INPUT and name its program`);
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

function parsePackets(path: string, text: string): TestRunInput[] {
  const runs: TestRunInput[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.replace(/#.*/, '').trim();
    if (t === '') return;
    const bytes = hexToBytes(t);
    if (!bytes.ok) throw new UsageError(`${path}:${i + 1}: ${bytes.error}`);
    runs.push({ data: bytes.bytes, repeat: 1 });
  });
  return runs;
}

/**
 * The verifier's answer, or null when it could not give one (an internal
 * error of the verifier must not stop the run: it is then reported and the
 * program runs unverified, as with --no-verify).
 */
export function verifyOrNull(program: ProgramSpec, logLevel: 0 | 1 | 2 = 1): VerifyResult | { crashed: string } {
  try {
    return verify(program, { logLevel });
  } catch (e) {
    return { crashed: e instanceof Error ? e.message : String(e) };
  }
}

export interface VerdictJson {
  verdict: 'accepted' | 'rejected' | null;
  errorInsn: number | null;
  errorLine: string | null;
  log: string;
  processedInsns: number | null;
  totalStates: number | null;
  peakStates: number | null;
}

/** The verdict keys of CLI.md; lines for the text output go to `lines`. */
export function verdictJson(program: ProgramSpec, opts: Pick<RunArgs, 'noVerify'>, lines: string[], logLevel: 0 | 1 | 2 = 1): VerdictJson {
  const none: VerdictJson = { verdict: null, errorInsn: null, errorLine: null, log: '', processedInsns: null, totalStates: null, peakStates: null };
  if (opts.noVerify) {
    lines.push('not verified (--no-verify)');
    return none;
  }
  const v = verifyOrNull(program, logLevel);
  if ('crashed' in v) {
    lines.push(`not verified: the verifier failed (${v.crashed}); running as with --no-verify`);
    return none;
  }
  if (v.verdict === 'rejected') {
    lines.push(`verifier: rejected${v.error?.insn !== null && v.error?.insn !== undefined ? ` at insn ${v.error.insn}` : ''}: ${v.error?.message ?? ''}`);
  } else lines.push(`verifier: accepted (${v.stats.processedInsns} insns processed)`);
  return {
    verdict: v.verdict,
    errorInsn: v.error?.insn ?? null,
    errorLine: v.error?.message ?? null,
    log: v.log,
    processedInsns: v.stats.processedInsns,
    totalStates: v.stats.totalStates,
    peakStates: v.stats.peakStates,
  };
}

/**
 * Verify, then run every packet on one session: maps (from the program's
 * specs plus --map-update entries) persist across packets and repeats, as on
 * a loaded program the kernel test-runs again and again.
 */
function runProgram(program: ProgramSpec, runs: readonly TestRunInput[], opts: RunArgs, tailTargets: { slot: ProgArraySlot; program: ProgramSpec }[] = []): { json: object; text: string } {
  const lines: string[] = [];
  const verdict = verdictJson(program, opts, lines);
  const created = TestRunSession.create(program.maps, { budget: opts.budget });
  if (!created.ok) throw new UsageError(created.error);
  const session = created.session;
  const id = session.load(program);
  for (const u of opts.mapUpdates) {
    const err = session.updateMap(u.map, u.key, u.value);
    if (err) throw new UsageError(`--map-update: ${err}`);
  }
  for (const t of tailTargets) {
    const targetVerdict = opts.noVerify ? null : verifyOrNull(t.program);
    if (targetVerdict && 'verdict' in targetVerdict && targetVerdict.verdict === 'rejected') {
      throw new UsageError(`--prog-array ${t.slot.map} ${t.slot.index} ${t.slot.prog}: the verifier rejects it: ${targetVerdict.error?.message ?? ''}`);
    }
    const err = session.updateProgArray(t.slot.map, t.slot.index, session.load(t.program));
    if (err) throw new UsageError(`--prog-array: ${err}`);
  }
  const records = verdict.verdict === 'rejected' ? [] : session.run(id, runs);
  describeRuns(records, program.progType, lines);
  const mapsAfter = session.mapsAfter();
  describeMaps(mapsAfter, lines);
  return { json: { ...verdict, runs: records, mapsAfter }, text: lines.join('\n') + '\n' };
}

export function describeMaps(maps: readonly MapJson[], lines: string[]): void {
  for (const m of maps) lines.push(`map ${m.name}: ${JSON.stringify(m.entries ?? m.records ?? m.skipped)}`);
}

export function describeRuns(records: readonly RunRecord[], progType: ProgType, lines: string[], prefix = ''): void {
  for (const r of records) {
    const i = r.packet;
    if (r.error !== undefined) {
      lines.push(`${prefix}run ${i}: refused: ${r.error}`);
      continue;
    }
    for (const line of r.printk ?? []) lines.push(`${prefix}run ${i}: printk: ${line}`);
    for (const e of r.events ?? []) lines.push(`${prefix}run ${i}: ${e.kind} event on ${e.map}: ${e.data}`);
    if (r.fault) {
      lines.push(`${prefix}run ${i}: fault at insn ${r.fault.insn}: ${r.fault.message} (${r.insnsExecuted} insns executed)`);
      continue;
    }
    const retval = r.retval ?? 0;
    const action = progType === 'xdp' ? xdpActionName(BigInt(retval)) : null;
    const full = r.r0 !== undefined && BigInt(r.r0) !== BigInt(retval) ? `, r0 = ${r.r0}` : '';
    lines.push(`${prefix}run ${i}: retval ${retval} (0x${retval.toString(16)})${action ? ` ${action}` : ''}${full}, ${r.insnsExecuted} insns executed`);
  }
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
    try {
      const result = runProgram(b.bundle.program, b.bundle.runs, opts);
      io.stdout(JSON.stringify(result.json) + '\n');
    } catch (e) {
      // one bad bundle (a map that cannot be created) must not end the batch
      io.stdout(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }) + '\n');
    }
  }
  return EXIT_OK;
}
