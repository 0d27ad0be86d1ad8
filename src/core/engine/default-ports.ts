/**
 * Wires the real core into the engine. When the runtime's maps and helpers or
 * the JIT land, this is the one file to change.
 */
import { assemble } from '../asm/index.ts';
import { decodeProgram } from '../interp/decode.ts';
import { runOnPacket } from '../interp/program-run.ts';
import { verify } from '../verifier/index.ts';
import type { EnginePorts, ExecutionOutcome } from './ports.ts';

export const defaultPorts: EnginePorts = {
  assemble: (source, opts) => assemble(source, opts),
  verify: (program) => {
    // Level 2, like `bpftool prog load ... -d`: a playground shows every state.
    const result = verify(program, { logLevel: 2 });
    return {
      verdict: result.verdict,
      errorInsn: result.error?.insn ?? null,
      errorLine: result.error?.message ?? null,
      log: result.log,
      processedInsns: result.stats.processedInsns,
    };
  },
  execute: (program, packet, { budget }): ExecutionOutcome => {
    // BPF_PROG_TEST_RUN semantics: the ctx for the program type over the packet.
    const outcome = runOnPacket(decodeProgram(program.insns), program.progType, packet, { budget });
    switch (outcome.kind) {
      case 'returned':
        return { kind: 'returned', r0: outcome.r0, dataOut: outcome.dataOut };
      case 'fault':
        return { kind: 'fault', pc: outcome.pc, message: outcome.message };
      case 'refused':
        return { kind: 'refused', reason: outcome.reason };
    }
  },
};
