/**
 * The interpreter engine: pre-decode once (`decodeProgram`), then `run` as
 * often as needed over a `Memory` of regions, with a pluggable helper table.
 *
 *   const prog = decodeProgram(spec.insns);
 *   const r = run(prog, { memory, args: [ctxPointer], helpers, maps, budget });
 *   if (r.ok) r.r0 else r.fault   // { pc, kind, message }; run never throws
 *
 * `runOnPacket(prog, progType, packet, opts)` does one BPF_PROG_TEST_RUN-style
 * run: it builds the xdp_md / __sk_buff / tracing ctx (ctx_in applied and
 * checked as the kernel does) and reports data_out.
 */
export { decodeProgram, type DecodedProgram } from './decode.ts';
export { runOnPacket, setUpRun, type ProgramRunOptions, type ProgramRunOutcome, type RunSetup } from './program-run.ts';
export { PT_REGS, PT_REGS_SIZE, PT_REGS_PARMS, TP_COMMON, PERF_MAX_TRACE_SIZE, RAW_TP_CTX_MAX, rawTpCtxProblem } from './tracing-contexts.ts';
export { maxCtxOffset } from './ctx-reach.ts';
export { buildContext, defaultPacket, isPacketProgType, XDP_HEADROOM, type PacketContext, type ContextResult } from './contexts.ts';
export { parseConformanceData, runConformanceCase, type ConformanceCase, type ConformanceOutcome } from './conformance.ts';
export { run, DEFAULT_BUDGET, MAY_GOTO_LIMIT, MAX_TAIL_CALLS, type RunOptions, type RunResult } from './vm.ts';
export {
  Memory,
  REGION_TAG_BASE,
  OFFSET_BIAS,
  pointerLo,
  pointerHi,
  type Region,
  type RegionSpec,
  type RegionKind,
  type CtxAccessors,
  type Pair,
  type AccessSize,
  type Resolved,
} from './memory.ts';
export {
  conformanceHelpers,
  FUNC_POINTER_TAG,
  type Fault,
  type FaultKind,
  type CallResult,
  type HelperContext,
  type HelperFn,
  type HelperOutcome,
  type HelperTable,
  type MapResolver,
  type ArrayLookupLayout,
} from './helpers.ts';
