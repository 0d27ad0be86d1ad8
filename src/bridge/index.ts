/** The app's only way to the engine. */
import { createEngineClient, type EngineClient } from './engine-client.ts';
import { spawnBrowserEngine } from './worker-spawn.ts';

export { createEngineClient } from './engine-client.ts';
export type { CallOptions, EngineClient, EngineConnection, SpawnEngine } from './engine-client.ts';
export * from './protocol.ts';
export { GALLERY, galleryExample, type GalleryExample } from './examples.ts';

/** The engine in a Web Worker, behind the watchdog. */
export function createBrowserEngine(): EngineClient {
  return createEngineClient(spawnBrowserEngine);
}
export * from './debug-trace.ts';
