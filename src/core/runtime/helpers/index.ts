/**
 * The runtime's helpers for the interpreter: build a session over live maps,
 * bind it to a run's Memory, and pass `helpers` and `maps` to interp.run.
 *
 *   const session = new RuntimeSession(maps);
 *   const { helpers, maps: resolver } = bindRuntime(session, memory);
 *   run(prog, { memory, helpers, maps: resolver, args: [ctxPtr] });
 *   const { events, printk } = session.takeRunOutput();
 */
import type { HelperFn, HelperTable, Memory } from '../../interp/index.ts';
import { MapMemory } from './map-memory.ts';
import { RuntimeSession } from './session.ts';
import { mapHelpers } from './map-helpers.ts';
import { eventHelpers } from './event-helpers.ts';
import { miscHelpers } from './misc-helpers.ts';
import { xdpHelpers } from './xdp-helpers.ts';
import { skbHelpers } from './skb-helpers.ts';
import { skbResizeHelpers } from './skb-resize-helpers.ts';
import { skbRoomHelpers } from './skb-room-helpers.ts';
import { netExtraHelpers } from './net-extra-helpers.ts';
import { traceExtraHelpers } from './trace-extra-helpers.ts';
import { stringHelpers } from './string-helpers.ts';
import { mtuHelpers } from './mtu-helpers.ts';
import { tunnelHelpers } from './tunnel-helpers.ts';
import { unsimulatedHelpers } from './unsimulated-helpers.ts';
import { taskHelpers } from './task-helpers.ts';
import { callbackHelpers } from './callback-helpers.ts';

export { RuntimeSession, type RunEvent, type SessionOptions } from './session.ts';
export { MapMemory } from './map-memory.ts';
export { SimClock, SeededRandom } from './clock.ts';
export { DEFAULT_TASK, type SimTask } from './task-helpers.ts';
export { BPF_MAX_LOOPS } from './callback-helpers.ts';
export { formatPrintk, type PrintkResult, type MemoryReader } from './printk.ts';

/** Helper ids this module simulates (unsimulated-helpers.ts lists those that stop the run instead). */
export const RUNTIME_HELPER_IDS: readonly number[] = [
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 23, 25, 26, 27, 28, 31, 32, 34, 35, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 54, 65, 67, 68, 87, 88, 89, 112, 113, 114, 115, 118, 125, 130,
  131, 132, 133, 134, 160, 164, 165, 173, 181, 182,
  // net-extra, trace-extra and string helpers
  20, 22, 24, 29, 30, 55, 66, 79, 80, 83, 97, 105, 106, 109, 117, 120, 122, 123, 135, 151, 152, 155, 163, 174, 176, 177, 188, 189, 190, 192, 195, 208,
];
export { UNSIMULATED_HELPER_IDS } from './unsimulated-helpers.ts';

export interface RuntimeBinding {
  helpers: Map<number, HelperFn>;
  /** the interpreter's MapResolver (ld_imm64 map / map value references) */
  maps: MapMemory;
}

/**
 * The helper table and map resolver for runs over `memory`. The returned
 * table is a plain Map so other helper families (packet, tail calls) can be
 * added to it.
 */
export function bindRuntime(session: RuntimeSession, memory: Memory): RuntimeBinding {
  const mem = new MapMemory(memory, session.maps);
  const helpers = new Map<number, HelperFn>([
    ...mapHelpers(session, mem),
    ...eventHelpers(session, mem),
    ...miscHelpers(session),
    ...xdpHelpers(session, mem),
    ...skbHelpers(session),
    ...skbResizeHelpers(),
    ...skbRoomHelpers(),
    ...taskHelpers(session),
    ...callbackHelpers(session, mem),
    ...netExtraHelpers(),
    ...traceExtraHelpers(session, mem),
    ...stringHelpers(session),
    ...mtuHelpers(),
    ...tunnelHelpers(),
    ...unsimulatedHelpers(),
  ]);
  return { helpers, maps: mem };
}

export type { HelperTable };
