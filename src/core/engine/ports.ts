/**
 * The engine's view of the core: small function types the facade calls.
 * Keeping them as ports lets the facade be tested with fakes, and plugging in
 * a new core piece (the verifier, the JIT) is a change to default-ports.ts only.
 */
import type { AssembleResult, Dialect } from '../asm/types.ts';
import type { ProgramSpec } from '../program.ts';
import type { DialectChoice } from './types.ts';

export type AssemblePort = (source: string, opts: { dialect?: DialectChoice }) => AssembleResult;

export interface VerifierOutcome {
  verdict: 'accepted' | 'rejected';
  errorInsn: number | null;
  errorLine: string | null;
  log: string;
  processedInsns: number | null;
}

export type VerifyPort = (program: ProgramSpec) => VerifierOutcome;

export type ExecutionOutcome =
  /** r0 as unsigned 64-bit; dataOut is the packet after the run */
  | { kind: 'returned'; r0: bigint; dataOut: Uint8Array | null }
  | { kind: 'fault'; pc: number; message: string }
  /** the run was refused before starting (e.g. a packet too short for the program type) */
  | { kind: 'refused'; reason: string };

export interface ExecuteOptions {
  /** instruction budget; undefined means the interpreter's default */
  budget?: number;
}

export type ExecutePort = (program: ProgramSpec, packet: Uint8Array | null, options: ExecuteOptions) => ExecutionOutcome;

export interface EnginePorts {
  assemble: AssemblePort;
  /** null until the verifier lands */
  verify: VerifyPort | null;
  /** null until the interpreter lands */
  execute: ExecutePort | null;
}

export type { Dialect };
