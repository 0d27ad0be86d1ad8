/**
 * bpf_ktime_get_ns (5), bpf_trace_printk (6), bpf_get_prandom_u32 (7),
 * bpf_get_smp_processor_id (8), bpf_ktime_get_boot_ns (125).
 */
import type { HelperFn } from '../../interp/index.ts';
import type { RuntimeSession } from './session.ts';
import { MAX_TRACE_PRINTK_ARGS } from './printk.ts';
import { emitPrintk } from './printk-emit.ts';
import { num, readArg, isFault } from './util.ts';

export function miscHelpers(session: RuntimeSession): [number, HelperFn][] {
  const printk: HelperFn = (ctx) => {
    const size = num(ctx.arg(2));
    const fmt = readArg(ctx, 1, size, 'format');
    if (isFault(fmt)) return fmt;
    const args = [ctx.arg(3), ctx.arg(4), ctx.arg(5)].slice(0, MAX_TRACE_PRINTK_ARGS);
    return emitPrintk(session, ctx, fmt, args);
  };

  return [
    [5, () => session.clock.monotonic()],
    [6, printk],
    [7, () => BigInt(session.random.nextU32())],
    [8, () => BigInt(session.cpu)],
    [125, () => session.clock.boot()],
  ];
}
