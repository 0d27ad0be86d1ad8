/// <reference lib="webworker" />
// Wiring only: the engine lives in src/core/engine, the protocol in src/bridge/protocol.ts.
import { expose } from 'comlink';
import { createEngine } from '../src/core/engine/index.ts';
import type { EngineApi } from '../src/bridge/protocol.ts';

const engine: EngineApi = createEngine();
expose(engine);
