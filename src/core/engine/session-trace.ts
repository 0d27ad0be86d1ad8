/**
 * The debugger's run: the same live session as a Run (session-run.ts), the
 * packets before the chosen one run normally so the maps hold what they
 * would, then the chosen packet runs single-stepped with a trace.
 */
import { runOnPacket } from '../interp/program-run.ts';
import { traceOnPacket } from '../interp/trace-packet.ts';
import type { ProgramSpec } from '../program.ts';
import type { TraceOutcome, TracePortOptions } from './ports.ts';
import { openSession } from './session-run.ts';

export function traceWithMaps(program: ProgramSpec, packets: readonly (Uint8Array | null)[], options: TracePortOptions): TraceOutcome {
  const { packetIndex } = options;
  if (!Number.isSafeInteger(packetIndex) || packetIndex < 0 || packetIndex >= packets.length) {
    return { kind: 'refused', reason: `debug: there is no packet ${packetIndex + 1} (${packets.length} packet${packets.length === 1 ? '' : 's'})` };
  }
  const live = openSession(program, options);
  if (typeof live === 'string') return { kind: 'refused', reason: live };
  const { session, memory, binding, decoded } = live;
  for (let i = 0; i < packetIndex; i++) {
    session.packet = packets[i] ?? null;
    runOnPacket(decoded, program.progType, session.packet, { budget: options.budget, helpers: binding.helpers, maps: binding.maps, memory });
    binding.maps.releaseValues();
    session.takeRunOutput();
  }
  session.packet = packets[packetIndex] ?? null;
  const outcome = traceOnPacket(decoded, program.progType, session.packet, { helpers: binding.helpers, maps: binding.maps, memory, maxSteps: options.maxSteps });
  binding.maps.releaseValues();
  return outcome;
}
