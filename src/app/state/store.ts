/**
 * The app's state: the source buffer, the last verify and run results, the
 * engine notice and the theme. The engine comes in as a dependency (the bridge
 * in the browser, a fake in tests), so the store never knows about workers.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CallOutcome, EngineClient, EngineEvent, EngineMethod, MapDecl, MapSeed, ObjectRef, ObjectView, RunReply, VerifyReply } from '../../bridge/index.ts';
import type { Diagnostic } from '../../core/program.ts';
import { XDP_IPV4_ONLY } from '../examples/index.ts';
import { defaultPackets, MAX_PACKETS, newPacketId, readPacketList, type PacketEntry } from './packets.ts';
import { readSeeds } from './seeds.ts';
import type { DebugView } from '../debugger/session.ts';
import { debugActions } from '../debugger/debug-actions.ts';
import { explainVerifierMessage } from '../verifier/explain.ts';
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

/** An uploaded ELF object and the program picked from it. */
export interface LoadedObject {
  fileName: string;
  bytes: Uint8Array;
  view: ObjectView;
  program: string;
}

export interface AppState {
  source: string;
  /** when set, Verify and Run use this object's program instead of the assembly source */
  object: LoadedObject | null;
  /** the packets a Run executes on, in order */
  packets: PacketEntry[];
  /** the packet the Packets panel shows */
  selectedPacketId: string | null;
  /** the maps the program declared, as of the last Verify or Run */
  declaredMaps: MapDecl[];
  /** map entries put in before each Run */
  mapSeeds: MapSeed[];
  /** 1-based line of the editor cursor (the state panels follow it) */
  cursorLine: number;
  /** which verifier visit of the cursor's instruction the state panels show */
  visitIndex: number;
  /** a line some panel asked the editor to reveal (a log line was clicked) */
  revealRequest: { line: number; seq: number } | null;
  theme: ThemeChoice;
  verifyView: RequestView<VerifyResult>;
  runView: RequestView<RunResult>;
  /** messages for the source editor (shown as markers and in the list) */
  diagnostics: Diagnostic[];
  notice: Notice | null;
  /** read-only embed mode */
  embed: boolean;
  /** interpreter instruction budget for runs; undefined = the engine's default */
  runBudget: number | undefined;
  /** the debugger: a recorded run of the selected packet and where in it the user is */
  debug: DebugView;
  /** 1-based source lines with a breakpoint */
  breakpointLines: number[];

  setSource(source: string): void;
  /** load a gallery example: its source and packets; seeds and any object are dropped */
  loadExample(source: string, packets: Omit<PacketEntry, 'id'>[]): void;
  openObject(bytes: Uint8Array, fileName: string): Promise<void>;
  selectObjectProgram(name: string): void;
  closeObject(): void;
  addPacket(packet: Omit<PacketEntry, 'id'>): string | null;
  updatePacket(id: string, patch: Partial<Omit<PacketEntry, 'id'>>): void;
  removePacket(id: string): void;
  selectPacket(id: string): void;
  setPackets(packets: Omit<PacketEntry, 'id'>[]): void;
  addSeed(seed: MapSeed): void;
  removeSeed(index: number): void;
  setSeeds(seeds: MapSeed[]): void;
  setCursorLine(line: number): void;
  setVisitIndex(index: number): void;
  revealLine(line: number): void;
  setTheme(theme: ThemeChoice): void;
  setNotice(notice: Notice | null): void;
  verify(): Promise<void>;
  run(): Promise<void>;
  /** record a run of the selected packet and stop at its first instruction (or first breakpoint) */
  startDebug(): Promise<void>;
  /** move by `delta` instructions in the recorded run (negative: step back) */
  debugStep(delta: number): void;
  debugContinue(): void;
  debugRestart(): void;
  stopDebug(): void;
  toggleBreakpoint(line: number): void;
}

export type AppStore = StoreApi<AppState>;

export interface StoreDeps {
  engine: Pick<EngineClient, 'call' | 'onEvent'>;
  storage: KeyValueStore | null;
  /** a source from a share link wins over the saved buffer */
  initialSource?: string | null;
  /** packets, seeds and budget from a share link win over the saved ones */
  initialShared?: { packets?: Omit<PacketEntry, 'id'>[]; seeds?: MapSeed[]; budget?: number } | null;
  /** read-only embed mode (lab pages): the source cannot be edited */
  embed?: boolean;
  /** verify as you type: this long after the last edit (undefined: only on request) */
  autoVerifyMs?: number;
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
  const kernel = v.errorLine ?? 'rejected by the verifier';
  const explained = explainVerifierMessage(kernel);
  // The kernel's words first (what the real kernel says), then what they mean.
  const message = explained ? `${kernel}\n${explained.meaning}\nHint: ${explained.hint}` : kernel;
  return [{ line: v.errorSourceLine, column: 1, severity: 'error', message }];
}

/** How the user knows each engine method: by the button that started it. */
const ACTION_LABELS: Partial<Record<EngineMethod, string>> = { verify: 'Verify', run: 'Run', debug: 'Debug' };

/**
 * Verification always ends (the verifier stops at one million instructions),
 * but a big program takes seconds; the worker keeps the page responsive
 * meanwhile, so verify gets a longer watchdog budget than runs.
 */
export const VERIFY_BUDGET_MS = 30_000;



function objectRef(object: LoadedObject | null): { object?: ObjectRef } {
  return object ? { object: { bytes: object.bytes, fileName: object.fileName, program: object.program } } : {};
}

export function createAppStore(deps: StoreDeps): AppStore {
  const now = deps.now ?? (() => Date.now());
  const savedSource = readPersisted(deps.storage, 'source');
  const shared = deps.initialShared ?? null;
  const initialPackets = shared?.packets ? (readPacketList(JSON.stringify(shared.packets)) ?? defaultPackets()) : (readPacketList(readPersisted(deps.storage, 'packets')) ?? defaultPackets());
  const savePackets = (packets: PacketEntry[]) => writePersisted(deps.storage, 'packets', JSON.stringify(packets.map(({ label, hex }) => ({ label, hex }))));
  const saveSeeds = (seeds: MapSeed[]) => writePersisted(deps.storage, 'seeds', JSON.stringify(seeds));
  let revealSeq = 0;
  let autoVerifyTimer: ReturnType<typeof setTimeout> | undefined;
  // How long the last Verify took: the typing pause grows with it, so small
  // programs update almost at once while huge ones don't queue verifications.
  let lastVerifyMs = 0;
  const store = createStore<AppState>()((set, get) => ({
    source: deps.initialSource ?? savedSource ?? XDP_IPV4_ONLY,
    object: null,
    packets: initialPackets,
    selectedPacketId: initialPackets[0]?.id ?? null,
    declaredMaps: [],
    mapSeeds: shared?.seeds ?? readSeeds(readPersisted(deps.storage, 'seeds')) ?? [],
    embed: deps.embed ?? false,
    cursorLine: 1,
    visitIndex: 0,
    revealRequest: null,
    theme: parseThemeChoice(readPersisted(deps.storage, 'theme')),
    verifyView: { state: 'idle' },
    runView: { state: 'idle' },
    diagnostics: [],
    notice: null,
    runBudget: shared?.budget,
    debug: { state: 'off' },
    breakpointLines: [],
    ...debugActions(set, get, (outcome) => describeOutcome(outcome, 'Debug'), deps.engine, () => objectRef(get().object)),

    setSource(source) {
      if (get().embed) return;
      // The recorded run belongs to the old text: stop debugging it.
      set({ source, ...(get().debug.state !== 'off' && { debug: { state: 'off' } }) });
      writePersisted(deps.storage, 'source', source);
      if (deps.autoVerifyMs !== undefined) {
        // Verify once typing pauses; the bridge drops replies to older requests.
        clearTimeout(autoVerifyTimer);
        autoVerifyTimer = setTimeout(() => void get().verify(), autoVerifyPause(deps.autoVerifyMs, lastVerifyMs));
      }
    },
    loadExample(source, packets) {
      get().setSource(source);
      if (packets.length > 0) get().setPackets(packets);
      get().setSeeds([]);
      set({ object: null, verifyView: { state: 'idle' }, runView: { state: 'idle' }, diagnostics: [], declaredMaps: [], cursorLine: 1 });
    },
    async openObject(bytes, fileName) {
      const outcome = await deps.engine.call('openObject', [{ bytes, fileName }]);
      if (outcome.status !== 'ok') {
        const message = describeOutcome(outcome, 'Opening the object');
        if (message !== null) set({ notice: { tone: 'warning', text: message } });
        return;
      }
      const reply = outcome.value;
      if (!reply.ok) {
        set({ notice: { tone: 'warning', text: `Could not open ${fileName}: ${reply.error}` } });
        return;
      }
      const first = reply.object.programs[0];
      if (!first) {
        set({ notice: { tone: 'warning', text: `${fileName} holds no BPF programs.` } });
        return;
      }
      set({
        object: { fileName, bytes, view: reply.object, program: first.name },
        declaredMaps: reply.object.maps,
        verifyView: { state: 'idle' },
        runView: { state: 'idle' },
        diagnostics: [],
        cursorLine: 1,
        notice: reply.object.warnings.length ? { tone: 'info', text: `${fileName}: ${reply.object.warnings.join('; ')}` } : null,
      });
    },
    selectObjectProgram(name) {
      const object = get().object;
      if (!object || !object.view.programs.some((p) => p.name === name)) return;
      set({ object: { ...object, program: name }, verifyView: { state: 'idle' }, runView: { state: 'idle' }, diagnostics: [], cursorLine: 1 });
    },
    closeObject() {
      set({ object: null, verifyView: { state: 'idle' }, runView: { state: 'idle' }, diagnostics: [], declaredMaps: [] });
    },
    addPacket(packet) {
      const { packets } = get();
      if (packets.length >= MAX_PACKETS) {
        set({ notice: { tone: 'warning', text: `A run takes at most ${MAX_PACKETS} packets; remove some first.` } });
        return null;
      }
      const entry = { ...packet, id: newPacketId() };
      const next = [...packets, entry];
      set({ packets: next, selectedPacketId: entry.id });
      savePackets(next);
      return entry.id;
    },
    updatePacket(id, patch) {
      const next = get().packets.map((p) => (p.id === id ? { ...p, ...patch } : p));
      set({ packets: next });
      savePackets(next);
    },
    removePacket(id) {
      const { packets, selectedPacketId } = get();
      const index = packets.findIndex((p) => p.id === id);
      const next = packets.filter((p) => p.id !== id);
      const selected = selectedPacketId === id ? (next[Math.min(index, next.length - 1)]?.id ?? null) : selectedPacketId;
      set({ packets: next, selectedPacketId: selected });
      savePackets(next);
    },
    selectPacket(id) {
      if (get().packets.some((p) => p.id === id)) set({ selectedPacketId: id });
    },
    setPackets(packets) {
      const next = packets.slice(0, MAX_PACKETS).map((p) => ({ ...p, id: newPacketId() }));
      set({ packets: next, selectedPacketId: next[0]?.id ?? null });
      savePackets(next);
    },
    addSeed(seed) {
      const next = [...get().mapSeeds, seed];
      set({ mapSeeds: next });
      saveSeeds(next);
    },
    removeSeed(index) {
      const next = get().mapSeeds.filter((_, i) => i !== index);
      set({ mapSeeds: next });
      saveSeeds(next);
    },
    setSeeds(seeds) {
      set({ mapSeeds: seeds });
      saveSeeds(seeds);
    },
    setCursorLine(line) {
      if (line !== get().cursorLine) set({ cursorLine: line, visitIndex: 0 });
    },
    setVisitIndex(index) {
      set({ visitIndex: index });
    },
    revealLine(line) {
      revealSeq += 1;
      set({ revealRequest: { line, seq: revealSeq }, cursorLine: line, visitIndex: 0 });
    },
    setTheme(theme) {
      set({ theme });
      writePersisted(deps.storage, 'theme', theme);
    },
    setNotice(notice) {
      set({ notice });
    },

    async verify() {
      const startedAt = now();
      set({ verifyView: { state: 'busy', startedAt } });
      const outcome = await deps.engine.call('verify', [{ source: get().source, ...objectRef(get().object) }], { budgetMs: VERIFY_BUDGET_MS });
      lastVerifyMs = now() - startedAt;
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
      set({
        verifyView: { state: 'done', reply },
        diagnostics: [...reply.assembly.diagnostics, ...verifierDiagnostics(reply)],
        ...(reply.assembly.assembled && { declaredMaps: reply.assembly.maps }),
      });
    },

    async run() {
      set({ runView: { state: 'busy', startedAt: now() } });
      const { source, packets, mapSeeds, runBudget } = get();
      const request = {
        source,
        ...objectRef(get().object),
        packets: packets.map((p) => p.hex),
        ...(mapSeeds.length > 0 && { mapSeeds }),
        ...(runBudget !== undefined && { budget: runBudget }),
      };
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
      set({ runView: { state: 'done', reply }, diagnostics: reply.assembly.diagnostics, ...(reply.assembly.assembled && { declaredMaps: reply.assembly.maps }) });
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

/**
 * The pause after the last keystroke before verifying: at least `minimumMs`,
 * and 1.5x the last verification's time (capped at 1 s) so a program that takes
 * long to verify is not re-verified on every short pause.
 */
export function autoVerifyPause(minimumMs: number, lastVerifyMs: number): number {
  return Math.max(minimumMs, Math.min(1000, Math.round(lastVerifyMs * 1.5)));
}
