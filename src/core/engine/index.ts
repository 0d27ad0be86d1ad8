/**
 * The engine: what the worker exposes (workers/engine.worker.ts) and what
 * tests and tools call directly in Node.
 */
import { defaultPorts } from './default-ports.ts';
import { createEngineWith } from './facade.ts';
import type { Engine } from './types.ts';

export type * from './types.ts';
export type { EnginePorts } from './ports.ts';
export { createEngineWith } from './facade.ts';

export function createEngine(): Engine {
  return createEngineWith(defaultPorts);
}
