/**
 * The one file that types both ends of the worker API: workers/engine.worker.ts
 * exposes an EngineApi, src/bridge wraps one. The data types come from the
 * engine facade (src/core/engine); the app imports them from here, never from core.
 */
import type { Engine } from '../core/engine/types.ts';

export type {
  AssemblyReport,
  BusyWaitReply,
  DebugReply,
  DebugRequest,
  ExecutionTrace,
  TraceEnd,
  TraceRegion,
  TraceWrite,
  DialectChoice,
  EngineFailure,
  MapDecl,
  MapEntryView,
  MapSeed,
  MapView,
  ObjectProgramView,
  ObjectRef,
  ObjectView,
  OpenObjectReply,
  OpenObjectRequest,
  PacketRunReport,
  RunEventView,
  RunFault,
  RunReply,
  RunReport,
  RunRequest,
  SourceRequest,
  VerificationReport,
  VerifyReply,
  VersionReply,
} from '../core/engine/types.ts';

export type EngineApi = Engine;
export type EngineMethod = keyof EngineApi;
export type EngineArgs<M extends EngineMethod> = Parameters<EngineApi[M]>;
export type EngineResult<M extends EngineMethod> = Awaited<ReturnType<EngineApi[M]>>;

/** A call that overruns this budget is treated as a runaway: the worker is terminated and respawned. */
export const DEFAULT_BUDGET_MS = 2_000;

/**
 * Extra time for calls to a worker that has not answered yet: loading and
 * compiling the engine module must not count as a runaway program.
 */
export const STARTUP_GRACE_MS = 8_000;

/** How a bridge call ended. Only 'ok' carries the engine's reply. */
export type CallOutcome<T> =
  | { status: 'ok'; value: T }
  /** a newer request on the same channel was made; this reply is dropped */
  | { status: 'stale' }
  /** the call overran its budget; the worker was restarted */
  | { status: 'timeout'; budgetMs: number }
  /** the worker died or was restarted while this call was in flight */
  | { status: 'aborted'; reason: string };

/** Something the UI should tell the user about the engine itself. */
export type EngineEvent =
  | { kind: 'restarted'; method: EngineMethod; budgetMs: number }
  | { kind: 'crashed'; message: string };
