/**
 * The engine's view of the core: small function types the facade calls.
 * Keeping them as ports lets the facade be tested with fakes, and plugging in
 * a new core piece (the verifier, the JIT) is a change to default-ports.ts only.
 */
import type { AssembleResult, Dialect } from '../asm/types.ts';
import type { ObjectSpec } from '../elf/object-spec.ts';
import type { ExecutionTrace } from '../interp/trace.ts';
import type { ProgramSpec } from '../program.ts';
import type { DialectChoice, MapSeed, MapView, RunEventView } from './types.ts';

export type AssemblePort = (source: string, opts: { dialect?: DialectChoice }) => AssembleResult;

export interface VerifierOutcome {
  verdict: 'accepted' | 'rejected';
  errorInsn: number | null;
  errorLine: string | null;
  log: string;
  processedInsns: number | null;
}

export type VerifyPort = (program: ProgramSpec) => VerifierOutcome;

/** What one packet's run produced besides r0 (absent in fakes = nothing). */
export interface RunSideEffects {
  insnsExecuted?: number;
  events?: RunEventView[];
  printk?: string[];
}

export type ExecutionOutcome =
  /** r0 as unsigned 64-bit; dataOut is the packet after the run */
  | ({ kind: 'returned'; r0: bigint; dataOut: Uint8Array | null } & RunSideEffects)
  | ({ kind: 'fault'; pc: number; message: string } & RunSideEffects)
  /** the run was refused before starting (e.g. a packet too short for the program type) */
  | { kind: 'refused'; reason: string };

/** Typed text of a map's key or value bytes (BTF), or null. */
export type MapDecoder = (mapIndex: number, part: 'key' | 'value', bytes: Uint8Array) => string | null;

/** A program to put in a prog_array slot before the runs (an object's `.values = { [i] = &prog }`). */
export interface TailCallTarget {
  mapIndex: number;
  slot: number;
  program: ProgramSpec;
}

export interface ExecuteOptions {
  /** decodes map entries for display (programs from ELF objects with BTF) */
  decode?: MapDecoder;
  /** prog_array slots to fill, so tail calls reach these programs */
  tailCalls?: readonly TailCallTarget[];
  /** instruction budget; undefined means the interpreter's default */
  budget?: number;
  /** entries put into the maps before the first packet */
  seeds?: readonly MapSeed[];
}

/**
 * Runs over several packets share one set of live maps, built fresh for the
 * call: a Run starts from the declared (and seeded) contents every time.
 */
export type BatchOutcome =
  | { kind: 'ran'; runs: ExecutionOutcome[]; maps: MapView[] }
  /** the maps could not be set up (bad map declaration or seed) */
  | { kind: 'refused'; reason: string };

export type ExecutePort = (program: ProgramSpec, packets: readonly (Uint8Array | null)[], options: ExecuteOptions) => BatchOutcome;

/** One packet traced after the packets before it ran normally (maps carry over). */
export type TraceOutcome = { kind: 'traced'; trace: ExecutionTrace } | { kind: 'refused'; reason: string };

export interface TracePortOptions extends ExecuteOptions {
  packetIndex: number;
  maxSteps?: number;
}

export type TracePort = (program: ProgramSpec, packets: readonly (Uint8Array | null)[], options: TracePortOptions) => TraceOutcome;

export interface EnginePorts {
  assemble: AssemblePort;
  /** null until the verifier lands */
  verify: VerifyPort | null;
  /** null until the interpreter lands */
  execute: ExecutePort | null;
  /** the debugger's traced run; absent: debugging is not available */
  trace?: TracePort;
  /** reads ELF objects; absent: objects are not supported */
  openObject?: (bytes: unknown, fileName: unknown) => { ok: true; object: ObjectSpec } | { ok: false; error: string };
}

export type { Dialect };
