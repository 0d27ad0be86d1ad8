/**
 * A traced run over one packet for the debugger, set up by the same
 * `setUpRun` as program-run.ts `runOnPacket` (the program type's ctx over
 * the packet, ctx_in included), so a traced run sees what a run sees.
 */
import type { ProgType } from '../program.ts';
import type { DecodedProgram } from './decode.ts';
import { setUpRun, type ProgramRunOptions } from './program-run.ts';
import { traceRun, type ExecutionTrace } from './trace.ts';

export interface TracePacketOptions extends Omit<ProgramRunOptions, 'budget'> {
  /** instructions to record (default: trace.ts DEFAULT_TRACE_STEPS) */
  maxSteps?: number;
}

export type TracePacketOutcome = { kind: 'traced'; trace: ExecutionTrace } | { kind: 'refused'; reason: string };

export function traceOnPacket(prog: DecodedProgram, progType: ProgType, packet: Uint8Array | null, opts: TracePacketOptions = {}): TracePacketOutcome {
  const setup = setUpRun(prog, progType, packet, opts);
  if ('refused' in setup) return { kind: 'refused', reason: setup.refused };
  try {
    return { kind: 'traced', trace: traceRun(prog, { ...setup.runOptions, maxSteps: opts.maxSteps }) };
  } finally {
    setup.release();
  }
}
