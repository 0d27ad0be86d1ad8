/**
 * Wires the real core into the engine. When the runtime's maps and helpers or
 * the JIT land, this is the one file to change.
 */
import { assemble } from '../asm/index.ts';
import { verify } from '../verifier/index.ts';
import { LOG_LIMIT_CHARS } from './facade.ts';
import type { EnginePorts } from './ports.ts';
import { openObjectBytes } from './object.ts';
import { runWithMaps } from './session-run.ts';
import { traceWithMaps } from './session-trace.ts';

export const defaultPorts: EnginePorts = {
  assemble: (source, opts) => assemble(source, opts),
  verify: (program) => {
    // Level 2, like `bpftool prog load ... -d`: a playground shows every state.
    // The log stops being kept (and formatted) where the app would cut it anyway.
    const result = verify(program, { logLevel: 2, logLimit: LOG_LIMIT_CHARS - 100_000 });
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
