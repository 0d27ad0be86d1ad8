/**
 * The common end of bpf_trace_printk and bpf_trace_vprintk: format against
 * the run's memory, append the trace_pipe line, return the length or -errno.
 */
import type { HelperContext, HelperOutcome } from '../../interp/index.ts';
import type { RuntimeSession } from './session.ts';
import { formatPrintk } from './printk.ts';
import { ret } from './util.ts';

export function emitPrintk(session: RuntimeSession, ctx: HelperContext, fmt: Uint8Array, args: readonly bigint[]): HelperOutcome {
  const read = (ptr: bigint, n: number): Uint8Array | null => {
    const r = ctx.memory.read(ptr, n);
    return typeof r === 'string' ? null : r;
  };
  const r = formatPrintk(fmt, args, read);
  if (!r.ok) return ret(-r.errno);
  // a trace_pipe line: one trailing newline belongs to the line, not the message
  session.printk.push(r.text.endsWith('\n') ? r.text.slice(0, -1) : r.text);
  return ret(r.length);
}
