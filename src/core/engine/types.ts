/**
 * Plain-data requests and replies of the engine facade. Everything here must
 * survive structured cloning (the worker boundary): no classes, no functions.
 */
import type { Diagnostic, ProgType } from '../program.ts';

export type DialectChoice = 'auto' | 'kernel' | 'ubpf';

/** An unexpected failure inside the engine, named after the step that failed ("assemble: ..."). */
export interface EngineFailure {
  ok: false;
  error: string;
}

export interface SourceRequest {
  source: string;
  dialect?: DialectChoice;
}

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

export interface RunRequest extends SourceRequest {
  /** the packet for packet program types (hex, Ethernet frame first) */
  packetHex?: string;
  /** instruction budget of the interpreter (default: the interpreter's own) */
  budget?: number;
}

export interface RunFault {
  pc: number;
  message: string;
  /** 1-based source line of pc, when known */
  sourceLine: number | null;
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
  /**
   * Test hook: keep the engine's thread busy for `ms` milliseconds, so the
   * bridge's watchdog can be exercised end to end without a runaway program.
   */
  busyWait(ms: number): Promise<BusyWaitReply | EngineFailure>;
}
