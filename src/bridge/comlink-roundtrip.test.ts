/**
 * The real wiring, minus the browser: the engine exposed with comlink on one
 * end of a MessageChannel (as workers/engine.worker.ts does) and the bridge on
 * the other, so replies really cross a structured-clone boundary.
 */
import { expose, wrap } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../core/engine/index.ts';
import { createEngineClient, type EngineClient } from './engine-client.ts';
import type { EngineApi } from './protocol.ts';

let client: EngineClient | null = null;
afterEach(() => client?.dispose());

function channelEngine() {
  const { port1, port2 } = new MessageChannel();
  expose(createEngine(), port2);
  return { api: wrap<EngineApi>(port1) as unknown as EngineApi, terminate: () => { port1.close(); port2.close(); } };
}

describe('bridge over comlink', () => {
  it('verifies a program end to end', async () => {
    client = createEngineClient(() => channelEngine());
    const outcome = await client.call('verify', [{ source: 'r0 = 2\nexit\n' }]);
    expect(outcome).toMatchObject({ status: 'ok', value: { ok: true, assembly: { assembled: true, insnCount: 2, hex: 'b7000000020000009500000000000000' } } });
  });

  it('returns assembly diagnostics across the boundary', async () => {
    client = createEngineClient(() => channelEngine());
    const outcome = await client.call('verify', [{ source: 'exit\nbogus\n' }]);
    expect(outcome.status).toBe('ok');
    if (outcome.status === 'ok' && outcome.value.ok) {
      expect(outcome.value.assembly.assembled).toBe(false);
      expect(outcome.value.assembly.diagnostics[0]).toMatchObject({ line: 2, severity: 'error' });
    }
  });
});
