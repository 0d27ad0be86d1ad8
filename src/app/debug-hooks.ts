/**
 * Hooks for the end-to-end tests and for poking at the engine from the
 * console, installed only when the page is opened with ?debug. They go through
 * the same bridge as the UI, so the watchdog sees exactly what a user would cause.
 */
import type { EngineClient } from '../bridge/index.ts';
import type { AppStore } from './state/store.ts';

export interface DebugHooks {
  /** keep the engine worker busy for ms milliseconds (a stand-in for a runaway program) */
  busyWait(ms: number): Promise<string>;
  /** instruction budget for runs (e.g. 1e12 so an infinite loop outlives the watchdog) */
  setRunBudget(budget: number | undefined): void;
}

declare global {
  interface Window {
    bpfiddleDebug?: DebugHooks;
  }
}

export function installDebugHooks(search: string, engine: Pick<EngineClient, 'call'>, store: AppStore): void {
  if (!new URLSearchParams(search).has('debug')) return;
  window.bpfiddleDebug = {
    busyWait: async (ms) => (await engine.call('busyWait', [ms], { channel: 'debug' })).status,
    setRunBudget: (budget) => store.setState({ runBudget: budget }),
  };
}
