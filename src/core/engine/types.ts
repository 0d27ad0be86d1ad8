/**
 * Plain-data requests and replies of the engine facade. Everything here must
 * survive structured cloning (the worker boundary): no classes, no functions.
 */
import type { ExecutionTrace } from '../interp/trace.ts';
import type { Diagnostic, ProgType } from '../program.ts';

export type { ExecutionTrace, TraceEnd, TraceRegion, TraceWrite } from '../interp/trace.ts';

export type DialectChoice = 'auto' | 'kernel' | 'ubpf';

/** An unexpected failure inside the engine, named after the step that failed ("assemble: ..."). */
export interface EngineFailure {
  ok: false;
  error: string;
}

/** A program of an uploaded ELF object, in place of assembly source. */
export interface ObjectRef {
  bytes: Uint8Array;
  fileName: string;
  /** the program's name (its function name) */
  program: string;
}

export interface SourceRequest {
  /** assembly text (ignored when `object` is given) */
  source: string;
  dialect?: DialectChoice;
  object?: ObjectRef;
}

export interface OpenObjectRequest {
  bytes: Uint8Array;
  fileName: string;
}

export interface ObjectProgramView {
  name: string;
  section: string;
  progType: string;
  /** instruction slots */
  insnCount: number;
  /** what the editor shows for this program: disassembly with the C source lines interleaved */
  listing: string;
}

export interface ObjectView {
  name: string;
  license: string;
  programs: ObjectProgramView[];
  maps: MapDecl[];
  warnings: string[];
  /** whether BTF came with the object (map entries are shown typed) */
  hasBtf: boolean;
}

export type OpenObjectReply = { ok: true; object: ObjectView } | EngineFailure;

/** What the assembler made of the source: assembly errors are an outcome, not a failure. */
export interface AssemblyReport {
  assembled: boolean;
  dialect: 'kernel' | 'ubpf';
  /** instruction slots (an LD_IMM64 counts two, as in the kernel) */
  insnCount: number;
  progType: ProgType | null;
  /** lowercase hex of the encoded program ('' when assembly failed) */
  hex: string;
  diagnostics: Diagnostic[];
  /** the maps the program declares (empty when assembly failed) */
  maps: MapDecl[];
  /** per instruction slot, the 1-based source line it came from (null: none) */
  insnLines: (number | null)[];
}

/** A declared map, as the Maps panel lists it before a run. */
export interface MapDecl {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
}

/** The verifier's result; the shape mirrors the CLI's JSON (../shared/CLI.md). */
export interface VerificationReport {
  verdict: 'accepted' | 'rejected';
  errorInsn: number | null;
  errorLine: string | null;
  /** 1-based source line of errorInsn, when the program came from assembly */
  errorSourceLine: number | null;
  log: string;
  processedInsns: number | null;
}

export type VerifyReply =
  | {
      ok: true;
      assembly: AssemblyReport;
      /** null when assembly failed or no verifier is plugged in yet */
      verification: VerificationReport | null;
      verifierAvailable: boolean;
    }
  | EngineFailure;

/** A map entry the user puts in a map before the run (BPF_MAP_UPDATE_ELEM from user space). */
export interface MapSeed {
  /** the map's name as declared (`.map NAME ...` or the ELF symbol) */
  map: string;
  keyHex: string;
  /** this CPU's value (replicated to every CPU of a per-CPU map), or every CPU's value back to back */
  valueHex: string;
}

export interface RunRequest extends SourceRequest {
  /** the packet for packet program types (hex, Ethernet frame first) */
  packetHex?: string;
  /**
   * Several packets: the program runs once per packet, in order, over the same
   * live maps (as with repeated BPF_PROG_TEST_RUNs). Wins over packetHex.
   */
  packets?: string[];
  /** entries put into the program's maps before the first packet */
  mapSeeds?: MapSeed[];
  /** instruction budget of the interpreter (default: the interpreter's own) */
  budget?: number;
}

export interface RunFault {
  pc: number;
  message: string;
  /** 1-based source line of pc, when known */
  sourceLine: number | null;
}

/** A ring-buffer or perf record a run emitted. */
export interface RunEventView {
  kind: 'ringbuf' | 'perf';
  map: string;
  hex: string;
}

/** One packet's run. */
export interface PacketRunReport {
  /** index into the request's packets */
  index: number;
  /** null when the run was refused (see refused) */
  retval: string | null;
  retvalHex: string | null;
  /**
   * The verdict in the program type's words: XDP_PASS, TC_ACT_SHOT, "keep 42
   * bytes" for socket filters; null when the type has no such reading.
   */
  verdict: string | null;
  fault: RunFault | null;
  refused: string | null;
  dataOutHex: string | null;
  insnsExecuted: number | null;
  events: RunEventView[];
  printk: string[];
}

export interface MapEntryView {
  keyHex: string;
  /** CPU 0's value for per-CPU maps */
  valueHex: string;
  /** per-CPU maps: every CPU's value, CPU 0 first */
  perCpuHex?: string[];
  /** key and value decoded through the object's BTF, when it has types for the map */
  keyText?: string;
  valueText?: string;
  perCpuText?: string[];
}

/** A live map's contents after the run, as BPF_MAP_GET_NEXT_KEY + LOOKUP would show them. */
export interface MapView {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  cpus: number;
  entries: MapEntryView[];
  /** ringbuf: records not consumed */
  records?: string[];
  /** why the map has no listing (perf_event_array, bloom_filter) */
  note?: string;
}

export interface RunReport {
  progType: ProgType;
  /** r0 as an unsigned 64-bit decimal string (a number would lose bits) */
  retval: string;
  /** r0 as 0x-prefixed lowercase hex */
  retvalHex: string;
  /** the XDP action name for XDP programs with a known action */
  xdpAction: string | null;
  fault: RunFault | null;
  /** the packet after the run (hex), for packet program types */
  dataOutHex: string | null;
  /** wall time of the run inside the engine */
  durationMs: number;
  /** every packet's run (the fields above repeat the first one) */
  packets: PacketRunReport[];
  /** the maps after the last packet */
  maps: MapView[];
}

export type RunReply =
  | {
      ok: true;
      assembly: AssemblyReport;
      /** null when assembly failed */
      run: RunReport | null;
      /** a refusal before running (e.g. a packet the kernel would not accept) */
      refused: string | null;
    }
  | EngineFailure;

/** A debug session: the program runs on the packets before `packetIndex`, then one packet is traced. */
export interface DebugRequest extends RunRequest {
  /** which of the request's packets to trace (default 0) */
  packetIndex?: number;
  /** instructions to record before the trace is cut (default 100000) */
  maxSteps?: number;
}

export type DebugReply =
  | {
      ok: true;
      assembly: AssemblyReport;
      /** null when assembly failed or the run was refused */
      trace: ExecutionTrace | null;
      refused: string | null;
      packetIndex: number;
    }
  | EngineFailure;

export interface VersionReply {
  ok: true;
  verifierAvailable: boolean;
  interpreterAvailable: boolean;
}

export interface BusyWaitReply {
  ok: true;
  waitedMs: number;
}

/**
 * The engine as the worker exposes it. Every method resolves (never rejects)
 * with plain data; unexpected errors come back as EngineFailure.
 */
export interface Engine {
  version(): Promise<VersionReply>;
  /** assemble, then verify when a verifier is plugged in */
  verify(req: SourceRequest): Promise<VerifyReply>;
  /** assemble, then run on the interpreter */
  run(req: RunRequest): Promise<RunReply>;
  /** assemble, then record an instruction-by-instruction trace of one packet's run (the debugger) */
  debug(req: DebugRequest): Promise<DebugReply>;
  /** read an ELF object: its programs (with listings) and maps */
  openObject(req: OpenObjectRequest): Promise<OpenObjectReply>;
  /**
   * Test hook: keep the engine's thread busy for `ms` milliseconds, so the
   * bridge's watchdog can be exercised end to end without a runaway program.
   */
  busyWait(ms: number): Promise<BusyWaitReply | EngineFailure>;
}
