/**
 * The engine facade over any set of core ports (see ports.ts). Each method
 * takes and returns plain data and never throws: an unexpected error becomes
 * { ok: false, error: 'step: message' }.
 */
import { bytesToHex, hexToBytes, insnsToHex } from '../isa/insn.ts';
import type { ProgramSpec } from '../program.ts';
import type { EnginePorts } from './ports.ts';
import { formatRetval, verdictFor, xdpActionName } from './retval.ts';
import type { ExecutionOutcome, MapDecoder, TailCallTarget } from './ports.ts';
import { btfDecoder, objectProgram, objectView, tailCallTargets } from './object.ts';
import type {
  AssemblyReport,
  DebugReply,
  DebugRequest,
  PacketRunReport,
  BusyWaitReply,
  Engine,
  EngineFailure,
  ObjectRef,
  OpenObjectReply,
  OpenObjectRequest,
  RunReply,
  RunRequest,
  SourceRequest,
  VerificationReport,
  VerifyReply,
} from './types.ts';

/** Runs one named step; an exception becomes a failure that names the step. */
function step<T>(name: string, body: () => T): { ok: true; value: T } | EngineFailure {
  try {
    return { ok: true, value: body() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `${name}: ${message}` };
  }
}

function reportOf(program: ProgramSpec, dialect: AssemblyReport['dialect'], diagnostics: AssemblyReport['diagnostics']): AssemblyReport {
  return {
    assembled: true,
    dialect,
    insnCount: program.insns.length,
    progType: program.progType,
    hex: insnsToHex(program.insns),
    diagnostics,
    insnLines: program.insns.map((_, i) => program.sourceMap?.[i]?.line ?? null),
    maps: program.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries })),
  };
}

interface Prepared {
  report: AssemblyReport;
  program: ProgramSpec | null;
  decode?: MapDecoder;
  tailCalls?: TailCallTarget[];
}

/** The program of a request: assembled from source, or taken from an uploaded ELF object. */
function assembleSource(ports: EnginePorts, req: SourceRequest): { ok: true; value: Prepared } | EngineFailure {
  if (req && typeof req === 'object' && req.object !== undefined) return objectSource(ports, req.object);
  return step('assemble', () => {
    if (typeof req?.source !== 'string') throw new Error('the request has no source text');
    const result = ports.assemble(req.source, { dialect: req.dialect ?? 'auto' });
    if (result.ok) return { report: reportOf(result.program, result.dialect, result.diagnostics), program: result.program };
    const report: AssemblyReport = { assembled: false, dialect: result.dialect, insnCount: 0, progType: null, hex: '', diagnostics: result.diagnostics, insnLines: [], maps: [] };
    return { report, program: null };
  });
}

function objectSource(ports: EnginePorts, ref: ObjectRef): { ok: true; value: Prepared } | EngineFailure {
  const open = ports.openObject;
  if (!open) return { ok: false, error: 'load object: ELF objects are not supported by this engine' };
  return step('load object', () => {
    const opened = open(ref?.bytes, ref?.fileName);
    if (!opened.ok) throw new Error(opened.error.replace(/^load object: /, ''));
    const program = objectProgram(opened.object, String(ref.program));
    if (typeof program === 'string') throw new Error(program);
    return { report: reportOf(program, 'kernel', []), program, decode: btfDecoder(opened.object), tailCalls: tailCallTargets(opened.object) };
  });
}

/** The source line an instruction index came from, when the program has a source map. */
function sourceLineOf(program: ProgramSpec, insn: number | null): number | null {
  if (insn === null) return null;
  return program.sourceMap?.[insn]?.line ?? null;
}

/**
 * Level-2 logs of long verifications run to tens of megabytes, more than a
 * page can show or a worker message should carry. Above this size the middle
 * is cut out, on line boundaries: the start (where the states begin) and the
 * end (the error and the statistics) are what a reader needs.
 */
export const LOG_LIMIT_CHARS = 2_000_000;

/** The most instructions a debug trace may record (~90 bytes each). */
export const MAX_DEBUG_STEPS = 1_000_000;

export function boundedLog(log: string): string {
  if (log.length <= LOG_LIMIT_CHARS) return log;
  const headEnd = log.lastIndexOf('\n', Math.floor(LOG_LIMIT_CHARS * 0.75)) + 1;
  const tailStart = log.indexOf('\n', log.length - Math.floor(LOG_LIMIT_CHARS * 0.25)) + 1;
  let omitted = 0;
  for (let i = headEnd; i < tailStart; i++) if (log.charCodeAt(i) === 10) omitted++;
  return `${log.slice(0, headEnd)}... ${omitted} lines of the log omitted (it is ${(log.length / 1e6).toFixed(1)} MB; bpfiddle keeps its start and its end) ...\n${log.slice(tailStart)}`;
}

/** The request's packets as bytes: `packets` wins over `packetHex`; none means one default run. */
function readPackets(req: RunRequest): (Uint8Array | null)[] {
  const texts = req.packets ?? (req.packetHex === undefined || req.packetHex === '' ? [null] : [req.packetHex]);
  if (!Array.isArray(texts)) throw new Error('packets must be a list of hex strings');
  if (texts.length === 0) return [null];
  return texts.map((text, i) => {
    if (text === null) return null;
    if (typeof text !== 'string') throw new Error(`packet ${i + 1} is not a hex string`);
    const parsed = hexToBytes(text);
    if (!parsed.ok) throw new Error(texts.length > 1 ? `packet ${i + 1}: ${parsed.error}` : parsed.error);
    return parsed.bytes;
  });
}

function packetReport(program: ProgramSpec, o: ExecutionOutcome, index: number): PacketRunReport {
  if (o.kind === 'refused') {
    return { index, retval: null, retvalHex: null, verdict: null, fault: null, refused: o.reason, dataOutHex: null, insnsExecuted: null, events: [], printk: [] };
  }
  const common = { index, refused: null, insnsExecuted: o.insnsExecuted ?? null, events: o.events ?? [], printk: o.printk ?? [] };
  if (o.kind === 'fault') {
    return { ...common, retval: null, retvalHex: null, verdict: null, dataOutHex: null, fault: { pc: o.pc, message: o.message, sourceLine: sourceLineOf(program, o.pc) } };
  }
  const { decimal, hex } = formatRetval(o.r0);
  return { ...common, retval: decimal, retvalHex: hex, verdict: verdictFor(program.progType, o.r0), fault: null, dataOutHex: o.dataOut ? bytesToHex(o.dataOut) : null };
}

export function createEngineWith(ports: EnginePorts): Engine {
  return {
    async version() {
      return { ok: true, verifierAvailable: ports.verify !== null, interpreterAvailable: ports.execute !== null };
    },

    async verify(req: SourceRequest): Promise<VerifyReply> {
      const asm = assembleSource(ports, req);
      if (!asm.ok) return asm;
      const { report, program } = asm.value;
      const verifyPort = ports.verify;
      if (!program || !verifyPort) {
        return { ok: true, assembly: report, verification: null, verifierAvailable: verifyPort !== null };
      }
      const verified = step('verify', () => verifyPort(program));
      if (!verified.ok) return verified;
      const v = verified.value;
      const verification: VerificationReport = {
        verdict: v.verdict,
        errorInsn: v.errorInsn,
        errorLine: v.errorLine,
        errorSourceLine: sourceLineOf(program, v.errorInsn),
        log: boundedLog(v.log),
        processedInsns: v.processedInsns,
      };
      return { ok: true, assembly: report, verification, verifierAvailable: true };
    },

    async run(req: RunRequest): Promise<RunReply> {
      const asm = assembleSource(ports, req);
      if (!asm.ok) return asm;
      const { report, program } = asm.value;
      if (!program) return { ok: true, assembly: report, run: null, refused: null };
      const execute = ports.execute;
      if (!execute) return { ok: false, error: 'run: the interpreter is not available yet' };

      const packets = step('read packet', () => readPackets(req));
      if (!packets.ok) return packets;
      const budget = req.budget;
      if (budget !== undefined && (!Number.isSafeInteger(budget) || budget < 1)) {
        return { ok: false, error: 'run: the instruction budget must be a positive whole number' };
      }
      const seeds = req.mapSeeds ?? [];
      if (!Array.isArray(seeds)) return { ok: false, error: 'run: mapSeeds must be a list' };

      const started = performance.now();
      const decode = asm.value.decode;
      const tailCalls = asm.value.tailCalls;
      const executed = step('run', () => execute(program, packets.value, { budget, seeds, ...(decode && { decode }), ...(tailCalls && { tailCalls }) }));
      if (!executed.ok) return executed;
      const durationMs = performance.now() - started;
      const batch = executed.value;
      if (batch.kind === 'refused') return { ok: true, assembly: report, run: null, refused: batch.reason };
      const reports = batch.runs.map((o, i) => packetReport(program, o, i));
      // The summary fields follow the first packet that ran; a refused packet shows in its own report.
      const firstIndex = batch.runs.findIndex((o) => o.kind !== 'refused');
      const first = batch.runs[firstIndex];
      if (!first || first.kind === 'refused') {
        const reason = batch.runs[0]?.kind === 'refused' ? batch.runs[0].reason : 'no packet to run on';
        return { ok: true, assembly: report, run: null, refused: reason };
      }

      const isXdp = program.progType === 'xdp';
      const r0 = first.kind === 'returned' ? first.r0 : 0n;
      const { decimal, hex } = formatRetval(r0);
      return {
        ok: true,
        assembly: report,
        refused: null,
        run: {
          progType: program.progType,
          retval: decimal,
          retvalHex: hex,
          xdpAction: isXdp && first.kind === 'returned' ? xdpActionName(r0) : null,
          fault: reports[firstIndex]!.fault,
          dataOutHex: reports[firstIndex]!.dataOutHex,
          durationMs,
          packets: reports,
          maps: batch.maps,
        },
      };
    },

    async debug(req: DebugRequest): Promise<DebugReply> {
      const packetIndex = req?.packetIndex ?? 0;
      const asm = assembleSource(ports, req);
      if (!asm.ok) return asm;
      const { report, program } = asm.value;
      if (!program) return { ok: true, assembly: report, trace: null, refused: null, packetIndex };
      const trace = ports.trace;
      if (!trace) return { ok: false, error: 'debug: the debugger is not available in this engine' };
      if (!Number.isSafeInteger(packetIndex) || packetIndex < 0) return { ok: false, error: 'debug: packetIndex must be a whole number >= 0' };
      const maxSteps = req.maxSteps;
      if (maxSteps !== undefined && (!Number.isSafeInteger(maxSteps) || maxSteps < 1 || maxSteps > MAX_DEBUG_STEPS)) {
        return { ok: false, error: `debug: maxSteps must be a whole number from 1 to ${MAX_DEBUG_STEPS}` };
      }
      const packets = step('read packet', () => readPackets(req));
      if (!packets.ok) return packets;
      const seeds = req.mapSeeds ?? [];
      if (!Array.isArray(seeds)) return { ok: false, error: 'debug: mapSeeds must be a list' };
      const decode = asm.value.decode;
      const tailCalls = asm.value.tailCalls;
      const traced = step('debug', () => trace(program, packets.value, { packetIndex, maxSteps, budget: req.budget, seeds, ...(decode && { decode }), ...(tailCalls && { tailCalls }) }));
      if (!traced.ok) return traced;
      if (traced.value.kind === 'refused') return { ok: true, assembly: report, trace: null, refused: traced.value.reason, packetIndex };
      return { ok: true, assembly: report, trace: traced.value.trace, refused: null, packetIndex };
    },

    async openObject(req: OpenObjectRequest): Promise<OpenObjectReply> {
      const open = ports.openObject;
      if (!open) return { ok: false, error: 'load object: ELF objects are not supported by this engine' };
      const opened = step('load object', () => open(req?.bytes, req?.fileName));
      if (!opened.ok) return opened;
      if (!opened.value.ok) return { ok: false, error: opened.value.error };
      const object = opened.value.object;
      const view = step('load object', () => objectView(object));
      return view.ok ? { ok: true, object: view.value } : view;
    },

    async busyWait(ms: number): Promise<BusyWaitReply | EngineFailure> {
      if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) {
        return { ok: false, error: 'busy wait: ms must be a number between 0 and 60000' };
      }
      // Deliberately blocks the thread: this is what a runaway program looks like to the bridge.
      const start = performance.now();
      while (performance.now() - start < ms) {
        /* spin */
      }
      return { ok: true, waitedMs: performance.now() - start };
    },
  };
}
