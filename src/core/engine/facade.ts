/**
 * The engine facade over any set of core ports (see ports.ts). Each method
 * takes and returns plain data and never throws: an unexpected error becomes
 * { ok: false, error: 'step: message' }.
 */
import { bytesToHex, hexToBytes, insnsToHex } from '../isa/insn.ts';
import type { ProgramSpec } from '../program.ts';
import type { EnginePorts } from './ports.ts';
import { formatRetval, xdpActionName } from './retval.ts';
import type {
  AssemblyReport,
  BusyWaitReply,
  Engine,
  EngineFailure,
  RunReply,
  RunRequest,
  SourceRequest,
  VerificationReport,
  VerifyReply,
} from './types.ts';

/** Runs one named step; an exception becomes a failure that names the step. */
function step<T>(name: string, body: () => T): { ok: true; value: T } | EngineFailure {
  try {
    return { ok: true, value: body() };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `${name}: ${message}` };
  }
}

function assembleSource(ports: EnginePorts, req: SourceRequest) {
  return step('assemble', () => {
    if (typeof req?.source !== 'string') throw new Error('the request has no source text');
    const result = ports.assemble(req.source, { dialect: req.dialect ?? 'auto' });
    const report: AssemblyReport = {
      assembled: result.ok,
      dialect: result.dialect,
      insnCount: result.ok ? result.program.insns.length : 0,
      progType: result.ok ? result.program.progType : null,
      hex: result.ok ? insnsToHex(result.program.insns) : '',
      diagnostics: result.diagnostics,
    };
    return { report, program: result.ok ? result.program : null };
  });
}

/** The source line an instruction index came from, when the program has a source map. */
function sourceLineOf(program: ProgramSpec, insn: number | null): number | null {
  if (insn === null) return null;
  return program.sourceMap?.[insn]?.line ?? null;
}

export function createEngineWith(ports: EnginePorts): Engine {
  return {
    async version() {
      return { ok: true, verifierAvailable: ports.verify !== null, interpreterAvailable: ports.execute !== null };
    },

    async verify(req: SourceRequest): Promise<VerifyReply> {
      const asm = assembleSource(ports, req);
      if (!asm.ok) return asm;
      const { report, program } = asm.value;
      const verifyPort = ports.verify;
      if (!program || !verifyPort) {
        return { ok: true, assembly: report, verification: null, verifierAvailable: verifyPort !== null };
      }
      const verified = step('verify', () => verifyPort(program));
      if (!verified.ok) return verified;
      const v = verified.value;
      const verification: VerificationReport = {
        verdict: v.verdict,
        errorInsn: v.errorInsn,
        errorLine: v.errorLine,
        errorSourceLine: sourceLineOf(program, v.errorInsn),
        log: v.log,
        processedInsns: v.processedInsns,
      };
      return { ok: true, assembly: report, verification, verifierAvailable: true };
    },

    async run(req: RunRequest): Promise<RunReply> {
      const asm = assembleSource(ports, req);
      if (!asm.ok) return asm;
      const { report, program } = asm.value;
      if (!program) return { ok: true, assembly: report, run: null, refused: null };
      const execute = ports.execute;
      if (!execute) return { ok: false, error: 'run: the interpreter is not available yet' };

      const packet = step('read packet', () => {
        if (req.packetHex === undefined || req.packetHex === '') return null;
        const parsed = hexToBytes(req.packetHex);
        if (!parsed.ok) throw new Error(parsed.error);
        return parsed.bytes;
      });
      if (!packet.ok) return packet;
      const budget = req.budget;
      if (budget !== undefined && (!Number.isSafeInteger(budget) || budget < 1)) {
        return { ok: false, error: 'run: the instruction budget must be a positive whole number' };
      }

      const started = performance.now();
      const executed = step('run', () => execute(program, packet.value, { budget }));
      if (!executed.ok) return executed;
      const durationMs = performance.now() - started;
      const outcome = executed.value;
      if (outcome.kind === 'refused') return { ok: true, assembly: report, run: null, refused: outcome.reason };

      const isXdp = program.progType === 'xdp';
      const r0 = outcome.kind === 'returned' ? outcome.r0 : 0n;
      const { decimal, hex } = formatRetval(r0);
      return {
        ok: true,
        assembly: report,
        refused: null,
        run: {
          progType: program.progType,
          retval: decimal,
          retvalHex: hex,
          xdpAction: isXdp && outcome.kind === 'returned' ? xdpActionName(r0) : null,
          fault:
            outcome.kind === 'fault'
              ? { pc: outcome.pc, message: outcome.message, sourceLine: sourceLineOf(program, outcome.pc) }
              : null,
          dataOutHex: outcome.kind === 'returned' && outcome.dataOut ? bytesToHex(outcome.dataOut) : null,
          durationMs,
        },
      };
    },

    async busyWait(ms: number): Promise<BusyWaitReply | EngineFailure> {
      if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) {
        return { ok: false, error: 'busy wait: ms must be a number between 0 and 60000' };
      }
      // Deliberately blocks the thread: this is what a runaway program looks like to the bridge.
      const start = performance.now();
      while (performance.now() - start < ms) {
        /* spin */
      }
      return { ok: true, waitedMs: performance.now() - start };
    },
  };
}
