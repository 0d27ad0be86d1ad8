/**
 * The main thread's handle on the engine worker.
 *
 * - Every call gets a request id; calls share a channel (by default the method
 *   name) and only the newest call on a channel delivers its reply — an older
 *   reply that arrives later is dropped as stale, so a slow verify can never
 *   overwrite the result of a newer one.
 * - A watchdog gives each call a time budget. A call that overruns it means the
 *   worker is stuck (a runaway program): the worker is terminated and a fresh
 *   one spawned, so the page never freezes, and listeners are told.
 */
import {
  DEFAULT_BUDGET_MS,
  STARTUP_GRACE_MS,
  type CallOutcome,
  type EngineApi,
  type EngineArgs,
  type EngineEvent,
  type EngineMethod,
  type EngineResult,
} from './protocol.ts';

/** A live worker: its API (usually a comlink proxy) and a way to kill it. */
export interface EngineConnection {
  api: EngineApi;
  terminate(): void;
}

export type SpawnEngine = (reportCrash: (message: string) => void) => EngineConnection;

export interface CallOptions {
  /** calls on the same channel supersede each other (default: the method name) */
  channel?: string;
  /** watchdog budget in milliseconds (default DEFAULT_BUDGET_MS) */
  budgetMs?: number;
}

export interface EngineClient {
  call<M extends EngineMethod>(method: M, args: EngineArgs<M>, options?: CallOptions): Promise<CallOutcome<EngineResult<M>>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** how many workers have been started (1 + restarts) */
  readonly generation: number;
  dispose(): void;
}

interface InFlight {
  id: number;
  finish: (outcome: CallOutcome<never>) => void;
  timer: ReturnType<typeof setTimeout>;
}

export function createEngineClient(spawn: SpawnEngine, defaults: { budgetMs?: number; startupGraceMs?: number } = {}): EngineClient {
  let nextId = 1;
  let generation = 0;
  let connection: EngineConnection | null = null;
  /** the current worker has answered once, so it is loaded */
  let warm = false;
  let disposed = false;
  const newestOnChannel = new Map<string, number>();
  const inFlight = new Map<number, InFlight>();
  const listeners = new Set<(event: EngineEvent) => void>();

  const emit = (event: EngineEvent) => {
    for (const l of listeners) l(event);
  };

  /** Ends every call in flight on the current worker; they can no longer be answered. */
  const abortAll = (reason: string) => {
    for (const call of [...inFlight.values()]) call.finish({ status: 'aborted', reason });
  };

  const start = (): EngineConnection => {
    const thisGeneration = ++generation;
    const conn = spawn((message) => {
      // A crash report from a worker we already replaced is old news.
      if (thisGeneration !== generation || disposed) return;
      // Respawn lazily, on the next call: a worker that cannot even load would
      // otherwise crash and respawn in a tight loop.
      stop();
      abortAll(`the engine crashed: ${message}`);
      emit({ kind: 'crashed', message });
    });
    connection = conn;
    warm = false;
    return conn;
  };

  const stop = () => {
    try {
      connection?.terminate();
    } catch {
      // A worker that cannot even be terminated is gone anyway.
    }
    connection = null;
  };

  const restart = () => {
    stop();
    if (!disposed) start();
  };

  const current = () => connection ?? start();

  return {
    get generation() {
      return generation;
    },

    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    call<M extends EngineMethod>(method: M, args: EngineArgs<M>, options: CallOptions = {}) {
      type Out = CallOutcome<EngineResult<M>>;
      if (disposed) return Promise.resolve<Out>({ status: 'aborted', reason: 'the engine was shut down' });
      const id = nextId++;
      const channel = options.channel ?? method;
      const budgetMs = options.budgetMs ?? defaults.budgetMs ?? DEFAULT_BUDGET_MS;
      newestOnChannel.set(channel, id);
      const conn = current();
      const thisGeneration = generation;
      const allowedMs = warm ? budgetMs : budgetMs + (defaults.startupGraceMs ?? STARTUP_GRACE_MS);

      return new Promise<Out>((resolve) => {
        let done = false;
        const finish = (outcome: Out) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          inFlight.delete(id);
          // Replies of superseded requests are dropped, whatever they carry.
          if (outcome.status === 'ok' && newestOnChannel.get(channel) !== id) resolve({ status: 'stale' });
          else resolve(outcome);
        };
        const timer = setTimeout(() => {
          if (done) return;
          finish({ status: 'timeout', budgetMs });
          // The worker is stuck in this call: nothing else on it can finish either.
          restart();
          abortAll(`the engine was restarted after ${method} overran ${budgetMs} ms`);
          emit({ kind: 'restarted', method, budgetMs });
        }, allowedMs);
        inFlight.set(id, { id, finish: finish as InFlight['finish'], timer });

        let pending: Promise<EngineResult<M>>;
        try {
          const fn = conn.api[method] as (...a: EngineArgs<M>) => Promise<EngineResult<M>>;
          pending = Promise.resolve(fn.apply(conn.api, args));
        } catch (e) {
          pending = Promise.reject(e);
        }
        pending.then(
          (value) => {
            if (thisGeneration === generation) warm = true;
            finish({ status: 'ok', value });
          },
          (e: unknown) => finish({ status: 'aborted', reason: `the engine failed: ${e instanceof Error ? e.message : String(e)}` }),
        );
      });
    },

    dispose() {
      disposed = true;
      abortAll('the engine was shut down');
      stop();
    },
  };
}
