/**
 * The store's debugger actions: record a trace in the engine, then move
 * through it. Kept out of store.ts so the store file stays about the rest.
 */
import type { CallOutcome, EngineClient, ObjectRef } from '../../bridge/index.ts';
import type { AppState } from '../state/store.ts';
import { continueTo, lineAt, stepTo, type ReadyDebug } from './session.ts';

/** Recording single-steps up to 100k instructions: more than a Run needs, far less than a verify. */
export const DEBUG_BUDGET_MS = 10_000;

type DebugActions = Pick<AppState, 'startDebug' | 'debugStep' | 'debugContinue' | 'debugRestart' | 'stopDebug' | 'toggleBreakpoint'>;
type Set = (patch: Partial<AppState>) => void;

export function debugActions(
  set: Set,
  get: () => AppState,
  describe: (outcome: Exclude<CallOutcome<unknown>, { status: 'ok' }>) => string | null,
  engine: Pick<EngineClient, 'call'>,
  objectRef: () => { object?: ObjectRef },
): DebugActions {
  /** Show the debugger at `view`; the Registers and Stack panels follow its instruction's line. */
  const show = (view: ReadyDebug) => {
    const line = lineAt(view);
    set({ debug: view, ...(line !== null && { cursorLine: line, visitIndex: 0 }) });
  };
  const ready = (): ReadyDebug | null => {
    const d = get().debug;
    return d.state === 'ready' ? d : null;
  };
  return {
    async startDebug() {
      const state = get();
      const packetIndex = Math.max(0, state.packets.findIndex((p) => p.id === state.selectedPacketId));
      set({ debug: { state: 'busy' } });
      const request = {
        source: state.source,
        ...objectRef(),
        packets: state.packets.map((p) => p.hex),
        packetIndex,
        ...(state.mapSeeds.length > 0 && { mapSeeds: state.mapSeeds }),
        ...(state.runBudget !== undefined && { budget: state.runBudget }),
      };
      const outcome = await engine.call('debug', [request], { budgetMs: DEBUG_BUDGET_MS });
      if (outcome.status !== 'ok') {
        const message = describe(outcome);
        if (message !== null) set({ debug: { state: 'failed', message } });
        return;
      }
      const reply = outcome.value;
      if (!reply.ok) return set({ debug: { state: 'failed', message: reply.error } });
      set({ diagnostics: reply.assembly.diagnostics });
      if (!reply.trace) {
        return set({ debug: { state: 'failed', message: reply.refused ?? 'The program did not assemble; the editor shows why.' } });
      }
      const start: ReadyDebug = { state: 'ready', trace: reply.trace, insnLines: reply.assembly.insnLines, position: 0, packetIndex: reply.packetIndex };
      const lines = get().breakpointLines;
      const first = lineAt(start);
      // Like a debugger's "run": stop at the first breakpoint, unless the first instruction has one.
      show(lines.length > 0 && (first === null || !lines.includes(first)) ? continueTo(start, lines) : start);
    },
    debugStep(delta) {
      const view = ready();
      if (view) show(stepTo(view, view.position + delta));
    },
    debugContinue() {
      const view = ready();
      if (view) show(continueTo(view, get().breakpointLines));
    },
    debugRestart() {
      const view = ready();
      if (view) show(stepTo(view, 0));
    },
    stopDebug() {
      set({ debug: { state: 'off' } });
    },
    toggleBreakpoint(line) {
      const lines = get().breakpointLines;
      set({ breakpointLines: lines.includes(line) ? lines.filter((l) => l !== line) : [...lines, line].sort((a, b) => a - b) });
    },
  };
}
