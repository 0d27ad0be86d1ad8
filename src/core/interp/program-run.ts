/**
 * One test run of a program the way BPF_PROG_TEST_RUN does it: build the
 * ctx for the program type over the packet, run, report r0 and the packet
 * afterwards. This is the interpreter's `execute` for the engine facade and
 * the CLI. `setUpRun` is the setup both a run and the debugger's traced run
 * (trace-packet.ts) go through, so the debugger sees exactly what a run sees.
 */
import type { ProgType } from '../program.ts';
import { buildContext } from './contexts.ts';
import { maxCtxOffset } from './ctx-reach.ts';
import type { DecodedProgram } from './decode.ts';
import type { Fault, HelperTable, MapResolver } from './helpers.ts';
import { Memory } from './memory.ts';
import { run, type RunOptions } from './vm.ts';

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

/** A run ready to start: the interpreter's options, and what to read and free afterwards. */
export interface RunSetup {
  runOptions: RunOptions & { memory: Memory };
  /** data_out after the run (null for program types without a packet) */
  dataOut(): Uint8Array | null;
  /** free the run's ctx and packet regions */
  release(): void;
}

/** max_ctx_offset per program, worked out when a run first needs it. */
const ctxReachCache = new WeakMap<DecodedProgram, number>();

export function ctxReachOf(prog: DecodedProgram): number {
  let reach = ctxReachCache.get(prog);
  if (reach === undefined) {
    reach = maxCtxOffset(prog.insns);
    ctxReachCache.set(prog, reach);
  }
  return reach;
}

/** Build the ctx (and packet) for one run, or the reason BPF_PROG_TEST_RUN would refuse it. */
export function setUpRun(prog: DecodedProgram, progType: ProgType, packet: Uint8Array | null, opts: ProgramRunOptions = {}): RunSetup | { refused: string } {
  const memory = opts.memory ?? new Memory();
  const built = buildContext(memory, progType, packet, opts.ctxIn, () => ctxReachOf(prog));
  if (!built.ok) return { refused: built.reason };
  const context = built.context;
  return {
    runOptions: { memory, args: [built.ctxPointer], helpers: opts.helpers, maps: opts.maps, budget: opts.budget, ldAbsPacket: context?.packet },
    dataOut: () => (context ? context.dataOut() : null),
    release: () => {
      for (const id of built.regionIds) memory.free(id);
    },
  };
}

export function runOnPacket(prog: DecodedProgram, progType: ProgType, packet: Uint8Array | null, opts: ProgramRunOptions = {}): ProgramRunOutcome {
  const setup = setUpRun(prog, progType, packet, opts);
  if ('refused' in setup) return { kind: 'refused', reason: setup.refused };
  try {
    const result = run(prog, setup.runOptions);
    if (!result.ok) return { kind: 'fault', pc: result.fault.pc, message: result.fault.message, fault: result.fault, insnsExecuted: result.insnsExecuted };
    return { kind: 'returned', r0: result.r0, dataOut: setup.dataOut(), insnsExecuted: result.insnsExecuted };
  } finally {
    setup.release();
  }
}
