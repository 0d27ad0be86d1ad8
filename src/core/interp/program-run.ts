/**
 * One test run of a program the way BPF_PROG_TEST_RUN does it: build the
 * ctx for the program type over the packet, run, report r0 and the packet
 * afterwards. This is the interpreter's `execute` for the engine facade and
 * the CLI.
 */
import type { ProgType } from '../program.ts';
import { buildContext } from './contexts.ts';
import type { DecodedProgram } from './decode.ts';
import type { Fault, HelperTable, MapResolver } from './helpers.ts';
import { Memory } from './memory.ts';
import { run } from './vm.ts';

export interface ProgramRunOptions {
  budget?: number;
  helpers?: HelperTable;
  maps?: MapResolver;
  /** memory that outlives the run (map values); a fresh one when omitted */
  memory?: Memory;
  /** BPF_PROG_TEST_RUN's ctx_in (see buildContext) */
  ctxIn?: Uint8Array;
}

export type ProgramRunOutcome =
  | { kind: 'returned'; r0: bigint; dataOut: Uint8Array | null; insnsExecuted: number }
  | { kind: 'fault'; pc: number; message: string; fault: Fault; insnsExecuted: number }
  | { kind: 'refused'; reason: string };

export function runOnPacket(prog: DecodedProgram, progType: ProgType, packet: Uint8Array | null, opts: ProgramRunOptions = {}): ProgramRunOutcome {
  const memory = opts.memory ?? new Memory();
  const built = buildContext(memory, progType, packet, opts.ctxIn);
  if (!built.ok) return { kind: 'refused', reason: built.reason };
  try {
    const result = run(prog, {
      memory,
      args: [built.ctxPointer],
      helpers: opts.helpers,
      maps: opts.maps,
      budget: opts.budget,
      ldAbsPacket: built.context?.packet,
    });
    if (!result.ok) return { kind: 'fault', pc: result.fault.pc, message: result.fault.message, fault: result.fault, insnsExecuted: result.insnsExecuted };
    return { kind: 'returned', r0: result.r0, dataOut: built.context ? built.context.dataOut() : null, insnsExecuted: result.insnsExecuted };
  } finally {
    for (const id of built.regionIds) memory.free(id);
  }
}
