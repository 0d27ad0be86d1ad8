/**
 * The app's state: the source buffer, the last verify and run results, the
 * engine notice and the theme. The engine comes in as a dependency (the bridge
 * in the browser, a fake in tests), so the store never knows about workers.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CallOutcome, EngineClient, EngineEvent, EngineMethod, RunReply, VerifyReply } from '../../bridge/index.ts';
import type { Diagnostic } from '../../core/program.ts';
import { DEFAULT_PACKET_ID, samplePacket, XDP_IPV4_ONLY } from '../examples/index.ts';
import { type KeyValueStore, readPersisted, writePersisted } from './persist.ts';
import { parseThemeChoice, type ThemeChoice } from '../theme/theme.ts';

type Ok<T> = Extract<T, { ok: true }>;
/** A verify reply that completed (the assembly may still have failed). */
export type VerifyResult = Ok<VerifyReply>;
/** A run reply that completed (the assembly may still have failed). */
export type RunResult = Ok<RunReply>;

/** The life of one request as the UI shows it. */
export type RequestView<T> =
  | { state: 'idle' }
  | { state: 'busy'; startedAt: number }
  | { state: 'done'; reply: T }
  /** the engine reported a failure or the call did not complete */
  | { state: 'failed'; message: string };

export interface Notice {
  tone: 'info' | 'warning';
  text: string;
}

export interface AppState {
  source: string;
  packetId: string;
  theme: ThemeChoice;
  verifyView: RequestView<VerifyResult>;
  runView: RequestView<RunResult>;
  /** messages for the source editor (shown as markers and in the list) */
  diagnostics: Diagnostic[];
  notice: Notice | null;
  /** interpreter instruction budget for runs; undefined = the engine's default */
  runBudget: number | undefined;

  setSource(source: string): void;
  setPacket(id: string): void;
  setTheme(theme: ThemeChoice): void;
  setNotice(notice: Notice | null): void;
  verify(): Promise<void>;
  run(): Promise<void>;
}

export type AppStore = StoreApi<AppState>;

export interface StoreDeps {
  engine: Pick<EngineClient, 'call' | 'onEvent'>;
  storage: KeyValueStore | null;
  /** a source from a share link wins over the saved buffer */
  initialSource?: string | null;
  now?: () => number;
}

/** Turns a non-ok bridge outcome into words for the user; null means "ignore" (stale). */
export function describeOutcome(outcome: Exclude<CallOutcome<unknown>, { status: 'ok' }>, action: string): string | null {
  switch (outcome.status) {
    case 'stale':
      return null;
    case 'timeout':
      return `${action} took longer than ${outcome.budgetMs / 1000} s, so the engine was stopped and restarted. Does the program loop forever?`;
    case 'aborted':
      return `${action} did not finish: ${outcome.reason}.`;
  }
}

/** Diagnostics the verifier adds: its first error, pinned to the source line of the failing instruction. */
function verifierDiagnostics(reply: VerifyResult): Diagnostic[] {
  const v = reply.verification;
  if (!v || v.verdict !== 'rejected' || v.errorSourceLine === null) return [];
  return [{ line: v.errorSourceLine, column: 1, severity: 'error', message: v.errorLine ?? 'rejected by the verifier' }];
}

/** How the user knows each engine method: by the button that started it. */
const ACTION_LABELS: Partial<Record<EngineMethod, string>> = { verify: 'Verify', run: 'Run' };

export function createAppStore(deps: StoreDeps): AppStore {
  const now = deps.now ?? (() => Date.now());
  const savedSource = readPersisted(deps.storage, 'source');
  const store = createStore<AppState>()((set, get) => ({
    source: deps.initialSource ?? savedSource ?? XDP_IPV4_ONLY,
    packetId: samplePacket(readPersisted(deps.storage, 'packet') ?? DEFAULT_PACKET_ID).id,
    theme: parseThemeChoice(readPersisted(deps.storage, 'theme')),
    verifyView: { state: 'idle' },
    runView: { state: 'idle' },
    diagnostics: [],
    notice: null,
    runBudget: undefined,

    setSource(source) {
      set({ source });
      writePersisted(deps.storage, 'source', source);
    },
    setPacket(id) {
      const packet = samplePacket(id);
      set({ packetId: packet.id });
      writePersisted(deps.storage, 'packet', packet.id);
    },
    setTheme(theme) {
      set({ theme });
      writePersisted(deps.storage, 'theme', theme);
    },
    setNotice(notice) {
      set({ notice });
    },

    async verify() {
      set({ verifyView: { state: 'busy', startedAt: now() } });
      const outcome = await deps.engine.call('verify', [{ source: get().source }]);
      if (outcome.status !== 'ok') {
        const message = describeOutcome(outcome, 'Verify');
        if (message !== null) set({ verifyView: { state: 'failed', message } });
        return;
      }
      const reply = outcome.value;
      if (!reply.ok) {
        set({ verifyView: { state: 'failed', message: reply.error } });
        return;
      }
      set({ verifyView: { state: 'done', reply }, diagnostics: [...reply.assembly.diagnostics, ...verifierDiagnostics(reply)] });
    },

    async run() {
      set({ runView: { state: 'busy', startedAt: now() } });
      const { source, packetId, runBudget } = get();
      const request = { source, packetHex: samplePacket(packetId).hex, ...(runBudget !== undefined && { budget: runBudget }) };
      const outcome = await deps.engine.call('run', [request]);
      if (outcome.status !== 'ok') {
        const message = describeOutcome(outcome, 'Run');
        if (message !== null) set({ runView: { state: 'failed', message } });
        return;
      }
      const reply = outcome.value;
      if (!reply.ok) {
        set({ runView: { state: 'failed', message: reply.error } });
        return;
      }
      set({ runView: { state: 'done', reply }, diagnostics: reply.assembly.diagnostics });
    },
  }));

  deps.engine.onEvent((event: EngineEvent) => {
    const text =
      event.kind === 'restarted'
        ? `The engine was restarted: ${ACTION_LABELS[event.method] ?? 'an engine request'} took longer than its ${event.budgetMs / 1000} s budget. The page stays responsive; you can keep going.`
        : `The engine crashed and was restarted (${event.message}).`;
    store.getState().setNotice({ tone: 'warning', text });
  });

  return store;
}
