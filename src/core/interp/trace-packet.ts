/**
 * A traced run over one packet, set up the way program-run.ts `runOnPacket`
 * sets up a test run (the program type's ctx over the packet), for the
 * debugger.
 */
import type { ProgType } from '../program.ts';
import { buildContext } from './contexts.ts';
import type { DecodedProgram } from './decode.ts';
import type { HelperTable, MapResolver } from './helpers.ts';
import { Memory } from './memory.ts';
import { traceRun, type ExecutionTrace } from './trace.ts';

export interface TracePacketOptions {
  helpers?: HelperTable;
  maps?: MapResolver;
  /** memory that outlives the run (map values); a fresh one when omitted */
  memory?: Memory;
  /** instructions to record (default: trace.ts DEFAULT_TRACE_STEPS) */
  maxSteps?: number;
}

export type TracePacketOutcome = { kind: 'traced'; trace: ExecutionTrace } | { kind: 'refused'; reason: string };

export function traceOnPacket(prog: DecodedProgram, progType: ProgType, packet: Uint8Array | null, opts: TracePacketOptions = {}): TracePacketOutcome {
  const memory = opts.memory ?? new Memory();
  const built = buildContext(memory, progType, packet);
  if (!built.ok) return { kind: 'refused', reason: built.reason };
  try {
    const trace = traceRun(prog, {
      memory,
      args: [built.ctxPointer],
      helpers: opts.helpers,
      maps: opts.maps,
      ldAbsPacket: built.context?.packet,
      maxSteps: opts.maxSteps,
    });
    return { kind: 'traced', trace };
  } finally {
    for (const id of built.regionIds) memory.free(id);
  }
}
