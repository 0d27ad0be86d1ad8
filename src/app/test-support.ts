/** Fakes shared by the app's tests: a scripted engine and an in-memory storage. */
import type { CallOutcome, EngineClient, EngineEvent, EngineMethod, EngineResult, RunReply, VerifyReply } from '../bridge/index.ts';
import type { KeyValueStore } from './state/persist.ts';

export function memoryStorage(initial: Record<string, string> = {}): KeyValueStore & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
  };
}

type Script = { [M in EngineMethod]?: (args: unknown[]) => CallOutcome<EngineResult<M>> | Promise<CallOutcome<EngineResult<M>>> };

/** An engine client whose answers the test scripts; records every call. */
export function scriptedEngine(script: Script) {
  const calls: { method: EngineMethod; args: unknown[] }[] = [];
  const listeners = new Set<(e: EngineEvent) => void>();
  const engine: Pick<EngineClient, 'call' | 'onEvent'> = {
    call: (async (method: EngineMethod, args: unknown[]) => {
      calls.push({ method, args });
      const answer = script[method] as ((a: unknown[]) => unknown) | undefined;
      if (!answer) return { status: 'aborted', reason: `no scripted answer for ${method}` };
      return answer(args);
    }) as EngineClient['call'],
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { engine, calls, emit: (e: EngineEvent) => listeners.forEach((l) => l(e)) };
}

export function assembledReply(insnCount: number): Extract<VerifyReply, { ok: true }> {
  return {
    ok: true,
    verifierAvailable: false,
    verification: null,
    assembly: { assembled: true, dialect: 'kernel', insnCount, progType: 'xdp', hex: '', diagnostics: [], maps: [], insnLines: [] },
  };
}

export function ranReply(retval: string, retvalHex: string, xdpAction: string | null): Extract<RunReply, { ok: true }> {
  return {
    ok: true,
    refused: null,
    assembly: { assembled: true, dialect: 'kernel', insnCount: 2, progType: 'xdp', hex: '', diagnostics: [], maps: [], insnLines: [] },
    run: {
      progType: 'xdp',
      retval,
      retvalHex,
      xdpAction,
      fault: null,
      dataOutHex: null,
      durationMs: 0.01,
      packets: [{ index: 0, retval, retvalHex, verdict: xdpAction, fault: null, refused: null, dataOutHex: null, insnsExecuted: 2, events: [], printk: [] }],
      maps: [],
    },
  };
}
