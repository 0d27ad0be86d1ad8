import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createEngineClient, type EngineConnection } from './engine-client.ts';
import type { EngineApi, VerifyReply } from './protocol.ts';

/** A fake worker whose replies the test releases by hand. */
function fakeWorkers() {
  const spawned: { conn: EngineConnection; terminated: boolean; pending: Array<(v: VerifyReply) => void>; crash: (m: string) => void }[] = [];
  const spawn = (reportCrash: (m: string) => void): EngineConnection => {
    const record = { conn: null as unknown as EngineConnection, terminated: false, pending: [] as Array<(v: VerifyReply) => void>, crash: reportCrash };
    const api: EngineApi = {
      version: async () => ({ ok: true, verifierAvailable: false, interpreterAvailable: false }),
      verify: () => new Promise<VerifyReply>((resolve) => record.pending.push(resolve)),
      run: async () => ({ ok: false, error: 'run: not in this fake' }),
      debug: async () => ({ ok: false, error: 'debug: not in this fake' }),
      openObject: async () => ({ ok: false, error: 'load object: not in this fake' }),
      busyWait: () => new Promise(() => {}), // never answers: a stuck worker
    };
    record.conn = { api, terminate: () => { record.terminated = true; } };
    spawned.push(record);
    return record.conn;
  };
  return { spawn, spawned };
}

const reply = (insnCount: number): VerifyReply => ({
  ok: true,
  verifierAvailable: false,
  verification: null,
  assembly: { assembled: true, dialect: 'kernel', insnCount, progType: 'xdp', hex: '', diagnostics: [], maps: [], insnLines: [] },
});

describe('engine client', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('delivers a reply to the call that asked for it', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn);
    const call = client.call('verify', [{ source: 'exit' }]);
    spawned[0].pending[0](reply(7));
    await expect(call).resolves.toEqual({ status: 'ok', value: reply(7) });
  });

  it('drops the reply of a request superseded on the same channel, even when it arrives last', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn);
    const older = client.call('verify', [{ source: 'a' }]);
    const newer = client.call('verify', [{ source: 'b' }]);
    spawned[0].pending[1](reply(2));
    spawned[0].pending[0](reply(1));
    await expect(newer).resolves.toEqual({ status: 'ok', value: reply(2) });
    await expect(older).resolves.toEqual({ status: 'stale' });
  });

  it('keeps calls on different channels independent', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn);
    const a = client.call('verify', [{ source: 'a' }], { channel: 'left' });
    const b = client.call('verify', [{ source: 'b' }], { channel: 'right' });
    spawned[0].pending[0](reply(1));
    spawned[0].pending[1](reply(2));
    await expect(a).resolves.toMatchObject({ status: 'ok' });
    await expect(b).resolves.toMatchObject({ status: 'ok' });
  });

  it('terminates and respawns a worker that overruns the budget, tells listeners, and keeps working', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn, { budgetMs: 2000, startupGraceMs: 0 });
    const events: unknown[] = [];
    client.onEvent((e) => events.push(e));

    const stuck = client.call('busyWait', [10_000]);
    const bystander = client.call('verify', [{ source: 'x' }]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(spawned[0].terminated).toBe(false);
    await vi.advanceTimersByTimeAsync(1);

    await expect(stuck).resolves.toEqual({ status: 'timeout', budgetMs: 2000 });
    await expect(bystander).resolves.toMatchObject({ status: 'aborted' });
    expect(spawned[0].terminated).toBe(true);
    expect(spawned).toHaveLength(2);
    expect(client.generation).toBe(2);
    expect(events).toEqual([{ kind: 'restarted', method: 'busyWait', budgetMs: 2000 }]);

    const next = client.call('verify', [{ source: 'y' }]);
    spawned[1].pending[0](reply(3));
    await expect(next).resolves.toEqual({ status: 'ok', value: reply(3) });
  });

  it('a late reply from a terminated worker cannot resurrect a timed-out call', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn, { budgetMs: 100, startupGraceMs: 0 });
    const call = client.call('verify', [{ source: 'slow' }]);
    await vi.advanceTimersByTimeAsync(100);
    spawned[0].pending[0](reply(9));
    await expect(call).resolves.toEqual({ status: 'timeout', budgetMs: 100 });
  });

  it('gives a worker that has not answered yet time to load, then holds it to the budget', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn, { budgetMs: 2000, startupGraceMs: 5000 });
    const first = client.call('verify', [{ source: 'a' }]);
    await vi.advanceTimersByTimeAsync(6000);
    expect(spawned[0].terminated).toBe(false);
    spawned[0].pending[0](reply(1));
    await expect(first).resolves.toMatchObject({ status: 'ok' });
    const second = client.call('busyWait', [10_000]);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(second).resolves.toEqual({ status: 'timeout', budgetMs: 2000 });
    // The respawned worker is cold again and gets the grace anew.
    const third = client.call('verify', [{ source: 'b' }]);
    await vi.advanceTimersByTimeAsync(2500);
    expect(spawned[1].terminated).toBe(false);
    spawned[1].pending[0](reply(2));
    await expect(third).resolves.toMatchObject({ status: 'ok' });
  });

  it('honours a per-call budget', async () => {
    const { spawn } = fakeWorkers();
    const client = createEngineClient(spawn, { startupGraceMs: 0 });
    const call = client.call('busyWait', [1], { budgetMs: 50 });
    await vi.advanceTimersByTimeAsync(50);
    await expect(call).resolves.toEqual({ status: 'timeout', budgetMs: 50 });
  });

  it('after a crash report, aborts the calls in flight and respawns on the next call', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn);
    const events: unknown[] = [];
    client.onEvent((e) => events.push(e));
    const call = client.call('verify', [{ source: 'a' }]);
    spawned[0].crash('boom');
    await expect(call).resolves.toEqual({ status: 'aborted', reason: 'the engine crashed: boom' });
    expect(spawned[0].terminated).toBe(true);
    expect(events).toEqual([{ kind: 'crashed', message: 'boom' }]);
    // No respawn loop for a worker that cannot load: the next call starts one.
    expect(spawned).toHaveLength(1);
    const next = client.call('verify', [{ source: 'b' }]);
    expect(spawned).toHaveLength(2);
    spawned[1].pending[0](reply(5));
    await expect(next).resolves.toEqual({ status: 'ok', value: reply(5) });
    // A late report from the dead worker is ignored.
    spawned[0].crash('boom again');
    expect(events).toHaveLength(1);
  });

  it('turns a rejected call into an aborted outcome instead of throwing', async () => {
    const client = createEngineClient(() => ({
      api: {
        version: () => Promise.reject(new Error('DataCloneError')),
        verify: () => Promise.reject(new Error('x')),
        run: () => Promise.reject(new Error('x')),
        debug: () => Promise.reject(new Error('x')),
        openObject: () => Promise.reject(new Error('x')),
        busyWait: () => Promise.reject(new Error('x')),
      },
      terminate: () => {},
    }));
    await expect(client.call('version', [])).resolves.toEqual({ status: 'aborted', reason: 'the engine failed: DataCloneError' });
  });

  it('answers every call after dispose without touching a worker', async () => {
    const { spawn, spawned } = fakeWorkers();
    const client = createEngineClient(spawn);
    const inFlight = client.call('verify', [{ source: 'a' }]);
    client.dispose();
    await expect(inFlight).resolves.toMatchObject({ status: 'aborted' });
    expect(spawned[0].terminated).toBe(true);
    await expect(client.call('version', [])).resolves.toMatchObject({ status: 'aborted' });
    expect(spawned).toHaveLength(1);
  });
});
