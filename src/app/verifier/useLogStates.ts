/** The verifier states of the last Verify, parsed once per reply. */
import { useMemo } from 'react';
import { useApp } from '../AppContext.tsx';
import type { VerifyResult } from '../state/store.ts';
import { parseLogStates, type LogStates } from './log-states.ts';

export interface VerifiedProgram {
  reply: VerifyResult;
  states: LogStates;
  /** 1-based source line per instruction slot */
  insnLines: (number | null)[];
}

export function useVerifiedProgram(): VerifiedProgram | null {
  const view = useApp((s) => s.verifyView);
  const reply = view.state === 'done' ? view.reply : null;
  return useMemo(() => {
    if (!reply?.verification) return null;
    return { reply, states: parseLogStates(reply.verification.log), insnLines: reply.assembly.insnLines };
  }, [reply]);
}

/** Instructions that came from a source line. */
export function insnsOnLine(insnLines: readonly (number | null)[], line: number): number[] {
  const out: number[] = [];
  insnLines.forEach((l, i) => {
    if (l === line) out.push(i);
  });
  return out;
}
