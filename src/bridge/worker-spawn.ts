/**
 * Starts the engine in a real Web Worker and wraps it with comlink. The only
 * place in the app that knows a worker exists (besides the worker itself).
 */
import { wrap } from 'comlink';
import type { SpawnEngine } from './engine-client.ts';
import type { EngineApi } from './protocol.ts';

export const spawnBrowserEngine: SpawnEngine = (reportCrash) => {
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: 'bpfiddle-engine',
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    reportCrash(event.message || 'the engine worker failed to load');
  });
  // Every EngineApi method already returns a Promise of plain data, so comlink's
  // Remote<EngineApi> has the same shape; the cast only drops comlink's extra members.
  const api = wrap<EngineApi>(worker) as unknown as EngineApi;
  return { api, terminate: () => worker.terminate() };
};
