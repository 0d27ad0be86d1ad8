/**
 * Wires the real core into the engine. When the runtime's maps and helpers or
 * the JIT land, this is the one file to change.
 */
import { assemble } from '../asm/index.ts';
import { verify } from '../verifier/index.ts';
import type { EnginePorts } from './ports.ts';
import { openObjectBytes } from './object.ts';
import { runWithMaps } from './session-run.ts';
import { traceWithMaps } from './session-trace.ts';

/**
 * Log text the app keeps from one verification: about 8,000 lines. More only
 * costs the page a long layout of the log panel (half a second for 2 MB);
 * `bpfiddle verify` gives the full log (up to 16 MiB).
 */
const APP_LOG_LIMIT = 500_000;

export const defaultPorts: EnginePorts = {
  assemble: (source, opts) => assemble(source, opts),
  verify: (program) => {
    // Level 2, like `bpftool prog load ... -d`: a playground shows every state.
    // The log stops being kept (and formatted) where the app would cut it anyway.
    const result = verify(program, { logLevel: 2, logLimit: APP_LOG_LIMIT });
    return {
      verdict: result.verdict,
      errorInsn: result.error?.insn ?? null,
      errorLine: result.error?.message ?? null,
      log: result.log,
      processedInsns: result.stats.processedInsns,
    };
  },
  // BPF_PROG_TEST_RUN semantics per packet, over live maps with the runtime's helpers.
  execute: runWithMaps,
  // The debugger: the same session, one packet single-stepped with a trace.
  trace: traceWithMaps,
  openObject: openObjectBytes,
};
