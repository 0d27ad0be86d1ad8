/**
 * The debugger in the store, against a scripted engine. The trace below is
 * input written by hand in the engine's format (src/core/interp/trace.ts):
 * a 4-slot program `r1 = 5; r1 += 1; r0 = r1; exit` from source lines 2-5,
 * so position i is before insn i and position 4 is after the exit.
 */
import { describe, expect, it } from 'vitest';
import type { DebugReply, ExecutionTrace } from '../../bridge/index.ts';
import { assembledReply, memoryStorage, scriptedEngine } from '../test-support.ts';
import { createAppStore } from '../state/store.ts';
import { concreteRegisters } from './concrete.ts';
import { statusText, type ReadyDebug } from './session.ts';

function regsFor(...r1r0: [number, number][]): Int32Array {
  const regs = new Int32Array(22 * r1r0.length);
  r1r0.forEach(([r1, r0], i) => {
    regs[22 * i + 2] = r1;
    regs[22 * i] = r0;
  });
  return regs;
}

const TRACE: ExecutionTrace = {
  pcs: Int32Array.from([0, 1, 2, 3, -1]),
  programs: new Uint8Array(5),
  depths: new Uint8Array(5),
  regs: regsFor([0, 0], [5, 0], [6, 0], [6, 6], [6, 6]),
  regions: [],
  writes: [],
  end: { kind: 'exit', r0: 6n },
};

function reply(): DebugReply {
  const assembly = { ...assembledReply(4).assembly, insnLines: [2, 3, 4, 5] };
  return { ok: true, assembly, trace: TRACE, refused: null, packetIndex: 0 };
}

function setUp() {
  const { engine, calls } = scriptedEngine({ debug: () => ({ status: 'ok', value: reply() }) });
  const store = createAppStore({ engine, storage: memoryStorage() });
  const ready = () => {
    const d = store.getState().debug;
    if (d.state !== 'ready') throw new Error(`debugger is ${d.state}`);
    return d;
  };
  return { store, calls, ready };
}

describe('debugger actions', () => {
  it('asks the engine to trace the selected packet and stops at the first instruction', async () => {
    const { store, calls, ready } = setUp();
    await store.getState().startDebug();
    expect(calls[0]!.method).toBe('debug');
    expect(calls[0]!.args[0]).toMatchObject({ packetIndex: 0, packets: store.getState().packets.map((p) => p.hex) });
    expect(ready().position).toBe(0);
    expect(store.getState().cursorLine).toBe(2);
  });

  it('steps forwards and back, and the Registers panel reads the values at each step', async () => {
    const { store, ready } = setUp();
    await store.getState().startDebug();
    store.getState().debugStep(1);
    store.getState().debugStep(1);
    expect(ready().position).toBe(2);
    expect(store.getState().cursorLine).toBe(4);
    const regs = concreteRegisters(ready());
    expect(regs[1]).toMatchObject({ dec: '6', hex: '0x6', changed: true });
    expect(regs[0]).toMatchObject({ dec: '0', changed: false });
    store.getState().debugStep(-1);
    expect(concreteRegisters(ready())[1]!.dec).toBe('5');
    store.getState().debugStep(-10);
    expect(ready().position).toBe(0);
  });

  it('continues to a breakpoint line, then to the end; Debug itself runs to the first breakpoint', async () => {
    const { store, ready } = setUp();
    store.getState().toggleBreakpoint(4);
    await store.getState().startDebug();
    expect(ready().position).toBe(2);
    store.getState().debugContinue();
    expect(ready().position).toBe(4);
    expect(statusText(ready() as ReadyDebug)).toBe('step 5 of 5 · exited, r0 = 6 (0x6)');
    store.getState().debugRestart();
    expect(ready().position).toBe(0);
    store.getState().toggleBreakpoint(4);
    expect(store.getState().breakpointLines).toEqual([]);
  });

  it('closes the session when the source changes, and shows a refusal as a message', async () => {
    const { store } = setUp();
    await store.getState().startDebug();
    store.getState().setSource('exit\n');
    expect(store.getState().debug).toEqual({ state: 'off' });

    const refused: DebugReply = { ...(reply() as Extract<DebugReply, { ok: true }>), trace: null, refused: 'packet too short' };
    const { engine } = scriptedEngine({ debug: () => ({ status: 'ok', value: refused }) });
    const other = createAppStore({ engine, storage: memoryStorage() });
    await other.getState().startDebug();
    expect(other.getState().debug).toEqual({ state: 'failed', message: 'packet too short' });
  });
});
