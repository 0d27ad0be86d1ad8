/**
 * Debugger views over hand-written traces (input data in the engine's trace
 * format): a program that stores 0x2a at fp-8 and then faults.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionTrace } from '../../bridge/index.ts';
import { concreteStack, lastWrites } from './concrete.ts';
import { atFault, breakpointInsns, continueTo, lineAt, statusText, type ReadyDebug } from './session.ts';

const STACK_ID = 3;
const TRACE: ExecutionTrace = {
  pcs: Int32Array.from([0, 1, 2]),
  programs: new Uint8Array(3),
  depths: new Uint8Array(3),
  regs: new Int32Array(66),
  regions: [{ id: STACK_ID, kind: 'stack', name: 'stack', framePointer: 512, start: 0, end: 512, initial: new Uint8Array(512), firstPosition: 0 }],
  writes: [{ position: 1, region: STACK_ID, offset: 504, before: Uint8Array.of(0), after: Uint8Array.of(0x2a) }],
  end: { kind: 'fault', pc: 2, message: 'invalid read of 4 bytes at stack+512 (fp+0): outside the 512-byte stack' },
};
const view = (position: number): ReadyDebug => ({ state: 'ready', trace: TRACE, insnLines: [3, 4, 6], position, packetIndex: 0 });

describe('debugger session views', () => {
  it('maps positions to source lines and breakpoint lines to instructions', () => {
    expect(lineAt(view(2))).toBe(6);
    expect([...breakpointInsns([3, 4, 6, null], [4, 6, 9])]).toEqual([1, 2]);
    expect(continueTo(view(0), [4]).position).toBe(1);
    expect(continueTo(view(1), [4]).position).toBe(2); // no later visit: the end
  });

  it('shows the fault at its step with the interpreter message', () => {
    expect(atFault(view(1))).toBe(false);
    expect(atFault(view(2))).toBe(true);
    expect(statusText(view(2))).toBe('step 3 of 3 · fault at insn 2: invalid read of 4 bytes at stack+512 (fp+0): outside the 512-byte stack');
    expect(statusText(view(0))).toBe('step 1 of 3 · next: insn 0');
  });

  it('rebuilds the stack slots at a position and marks what the last step wrote', () => {
    expect(concreteStack(view(1))[0]).toEqual({ name: 'fp-8', bytes: '00 00 00 00 00 00 00 00', zero: true, changed: false });
    expect(concreteStack(view(2))[0]).toEqual({ name: 'fp-8', bytes: '2a 00 00 00 00 00 00 00', zero: false, changed: true });
    expect(concreteStack(view(2))).toHaveLength(64);
    expect(lastWrites(view(2))).toEqual(['stack+504 (fp-8): 00 → 2a']);
    expect(lastWrites(view(1))).toEqual([]);
  });
});
