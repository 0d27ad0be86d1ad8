/**
 * The ctx of tracing programs, as the program sees it.
 *
 * - raw_tracepoint: the tracepoint's arguments as an array of u64, at most
 *   12 (MAX_BPF_FUNC_ARGS). BPF_PROG_TEST_RUN can run these programs; its
 *   ctx_in is that array, checked as bpf_prog_test_run_raw_tp checks it (see
 *   rawTpCtxProblem). Without a ctx_in (a simulated event) all 12 are 0.
 * - kprobe: the probed function's registers, an x86-64 `struct pt_regs`
 *   (PT_REGS below; the verifier lets the program read any aligned field).
 *   The kernel cannot test-run kprobes, so the registers the user supplies
 *   (a bundle's runs[].ctx, in memory order) are the event; missing bytes are 0.
 * - tracepoint: the trace record: an 8-byte common header (TP_COMMON), then
 *   the event's fields as its format file lays them out. The verifier refuses
 *   reads of the header and allows any aligned read up to
 *   PERF_MAX_TRACE_SIZE, so the record is zero-padded to that size. The
 *   supplied bytes are the record from offset 0, header included.
 */
import type { ProgType } from '../program.ts';
import type { Memory } from './memory.ts';

/** MAX_BPF_FUNC_ARGS u64 arguments */
export const RAW_TP_CTX_MAX = 12 * 8;

/** x86-64 struct pt_regs (arch/x86/include/asm/ptrace.h): 21 u64, byte offsets. */
export const PT_REGS = {
  r15: 0,
  r14: 8,
  r13: 16,
  r12: 24,
  bp: 32,
  bx: 40,
  r11: 48,
  r10: 56,
  r9: 64,
  r8: 72,
  ax: 80,
  cx: 88,
  dx: 96,
  si: 104,
  di: 112,
  orig_ax: 120,
  ip: 128,
  cs: 136,
  flags: 144,
  sp: 152,
  ss: 160,
} as const;
export const PT_REGS_SIZE = 168;
/** Function arguments in pt_regs, in calling-convention order (PT_REGS_PARM1..6). */
export const PT_REGS_PARMS = [PT_REGS.di, PT_REGS.si, PT_REGS.dx, PT_REGS.cx, PT_REGS.r8, PT_REGS.r9] as const;

/** struct trace_entry, the header of every tracepoint record (8 bytes). */
export const TP_COMMON = { type: 0, flags: 2, preempt_count: 3, pid: 4, size: 8 } as const;
export const PERF_MAX_TRACE_SIZE = 8192;
/** The size of the ctx of other non-packet program types when none is given. */
const DEFAULT_CTX_SIZE = 256;

export type TracingContext = { ok: true; ctxPointer: bigint; regionIds: number[] } | { ok: false; reason: string };

/**
 * Why bpf_prog_test_run_raw_tp refuses this ctx_in, or null. `reach` is how
 * far the program reads into its ctx (ctx-reach.ts maxCtxOffset).
 */
export function rawTpCtxProblem(ctxIn: Uint8Array, reach: number): string | null {
  if (ctxIn.length > RAW_TP_CTX_MAX) return `EINVAL: raw_tracepoint ctx_in is ${ctxIn.length} bytes; at most ${RAW_TP_CTX_MAX} (12 u64 arguments)`;
  if (ctxIn.length < reach) return `EINVAL: raw_tracepoint ctx_in is ${ctxIn.length} bytes but the program reads its ctx up to byte ${reach}`;
  return null;
}

/**
 * The ctx of a non-packet program type over `ctxIn` (undefined: a simulated
 * event with every argument / register / field 0). `reach` is only asked
 * for raw_tracepoint runs with a ctx_in.
 */
export function tracingContext(memory: Memory, progType: ProgType, ctxIn: Uint8Array | undefined, reach: () => number): TracingContext {
  let size: number;
  switch (progType) {
    case 'raw_tracepoint': {
      if (ctxIn === undefined) {
        size = RAW_TP_CTX_MAX;
        break;
      }
      const problem = rawTpCtxProblem(ctxIn, reach());
      if (problem) return { ok: false, reason: problem };
      // No ctx_in: the program runs with a NULL ctx (it cannot read it, or the check above refused).
      if (ctxIn.length === 0) return { ok: true, ctxPointer: 0n, regionIds: [] };
      size = ctxIn.length;
      break;
    }
    case 'kprobe':
      if (ctxIn && ctxIn.length > PT_REGS_SIZE) return { ok: false, reason: `EINVAL: a kprobe ctx is a struct pt_regs of ${PT_REGS_SIZE} bytes, not ${ctxIn.length}` };
      size = PT_REGS_SIZE;
      break;
    case 'tracepoint':
      if (ctxIn && ctxIn.length > PERF_MAX_TRACE_SIZE) return { ok: false, reason: `EINVAL: a tracepoint record is at most ${PERF_MAX_TRACE_SIZE} bytes, not ${ctxIn.length}` };
      size = PERF_MAX_TRACE_SIZE;
      break;
    default:
      size = Math.max(DEFAULT_CTX_SIZE, ctxIn?.length ?? 0);
  }
  const bytes = new Uint8Array(size);
  if (ctxIn) bytes.set(ctxIn);
  const ctx = memory.addRegion({ kind: 'ctx', name: 'ctx', bytes, writable: false });
  return { ok: true, ctxPointer: memory.pointer(ctx.id), regionIds: [ctx.id] };
}
