/**
 * The debugger's state over one recorded trace (the engine records it; see
 * src/core/interp/trace.ts). Moving is just choosing a position in the
 * trace, so Step back costs the same as Step. Breakpoints are source lines,
 * turned into instruction indexes through the assembly's line table.
 */
import { nextBreakpoint, type ExecutionTrace } from '../../bridge/index.ts';

export type DebugView =
  | { state: 'off' }
  | { state: 'busy' }
  | { state: 'failed'; message: string }
  | {
      state: 'ready';
      trace: ExecutionTrace;
      /** 1-based source line per instruction slot */
      insnLines: (number | null)[];
      position: number;
      /** which packet of the list was traced */
      packetIndex: number;
    };

export type ReadyDebug = Extract<DebugView, { state: 'ready' }>;

export function lastPosition(trace: ExecutionTrace): number {
  return Math.max(0, trace.pcs.length - 1);
}

/** The source line of the instruction at `position` (null after the exit, or inside a tail-called program). */
export function lineAt(view: ReadyDebug, position = view.position): number | null {
  const pc = view.trace.pcs[position];
  if (pc === undefined || pc < 0 || (view.trace.programs[position] ?? 0) !== 0) return null;
  return view.insnLines[pc] ?? null;
}

/** The run faulted and the user is at the faulting instruction. */
export function atFault(view: ReadyDebug): boolean {
  return view.trace.end.kind === 'fault' && view.position === lastPosition(view.trace);
}

/** Instruction indexes whose source line has a breakpoint. */
export function breakpointInsns(insnLines: readonly (number | null)[], lines: readonly number[]): Set<number> {
  const wanted = new Set(lines);
  const out = new Set<number>();
  insnLines.forEach((line, pc) => {
    if (line !== null && wanted.has(line)) out.add(pc);
  });
  return out;
}

export function stepTo(view: ReadyDebug, position: number): ReadyDebug {
  return { ...view, position: Math.min(Math.max(0, position), lastPosition(view.trace)) };
}

/** Continue: run to the next breakpoint after the current instruction, else to the end. */
export function continueTo(view: ReadyDebug, lines: readonly number[]): ReadyDebug {
  return stepTo(view, nextBreakpoint(view.trace, view.position + 1, breakpointInsns(view.insnLines, lines)));
}

/** A sentence for where the trace is: running, exited, faulted, truncated. */
export function statusText(view: ReadyDebug): string {
  const { trace, position } = view;
  const last = lastPosition(trace);
  const pc = trace.pcs[position] ?? -1;
  const at = `step ${position + 1} of ${last + 1}`;
  const where = (trace.programs[position] ?? 0) === 0 ? `insn ${pc}` : `insn ${pc} of tail-called program ${trace.programs[position]}`;
  if (position < last) return `${at} · next: ${where}`;
  const end = trace.end;
  switch (end.kind) {
    case 'exit':
      return `${at} · exited, r0 = ${end.r0} (0x${end.r0.toString(16)})`;
    case 'fault':
      return `${at} · fault at insn ${end.pc}: ${end.message}`;
    case 'truncated':
      return `${at} · ${end.message}`;
  }
}
