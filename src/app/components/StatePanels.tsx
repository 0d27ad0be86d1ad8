/**
 * The Registers and Stack regions: the verifier's abstract state at the
 * instruction under the editor cursor, in kernel notation with a plain
 * reading beside it. When several paths reached the instruction, the user
 * picks the visit.
 */
import { useApp } from '../AppContext.tsx';
import type { Visit } from '../verifier/log-states.ts';
import { readValue, slotKind, stackBytes } from '../verifier/reading.ts';
import { insnsOnLine, useVerifiedProgram } from '../verifier/useLogStates.ts';
import { EmptyState, Panel } from './Panel.tsx';

const REGS = Array.from({ length: 11 }, (_, i) => `R${i}`);
const STACK_SLOTS = 64;
/** Slots shown even when unused, so the top of the frame is always visible. */
const MIN_SHOWN_SLOTS = 4;

type CursorState =
  | { kind: 'none'; message: string }
  | { kind: 'visits'; line: number; insns: number[]; visits: Visit[]; chosen: Visit; index: number; logLines: string[] };

function useCursorState(): CursorState {
  const program = useVerifiedProgram();
  const line = useApp((s) => s.cursorLine);
  const visitIndex = useApp((s) => s.visitIndex);
  if (!program) return { kind: 'none', message: 'Verify (Ctrl+Enter), then put the cursor on an instruction to see what the verifier knew there.' };
  const insns = insnsOnLine(program.insnLines, line);
  if (insns.length === 0) return { kind: 'none', message: `Line ${line} holds no instruction. Put the cursor on one.` };
  const visits = program.states.visits.filter((v) => insns.includes(v.insn));
  if (visits.length === 0) return { kind: 'none', message: `The verifier never reached instruction ${insns[0]} (line ${line}) — it is dead code, or verification stopped before it.` };
  const index = Math.min(visitIndex, visits.length - 1);
  return { kind: 'visits', line, insns, visits, chosen: visits[index]!, index, logLines: program.reply.verification?.log.split('\n') ?? [] };
}

function VisitPicker({ state }: { state: Extract<CursorState, { kind: 'visits' }> }) {
  const setVisitIndex = useApp((s) => s.setVisitIndex);
  const insnText = (state.logLines[state.chosen.logLine] ?? '').split(' ; ')[0]!.trim();
  return (
    <div className="visit-head">
      <code className="insn-text">{insnText}</code>
      {state.visits.length > 1 && (
        <label className="field">
          <span className="small muted">Reached on {state.visits.length} paths:</span>
          <select aria-label="Verifier visit" value={state.index} onChange={(e) => setVisitIndex(Number(e.target.value))}>
            {state.visits.map((v, i) => (
              <option key={i} value={i}>
                visit {i + 1} (log line {v.logLine + 1})
              </option>
            ))}
          </select>
        </label>
      )}
    </div>
  );
}

export function RegistersPanel() {
  const state = useCursorState();
  return (
    <Panel title="Registers" className="registers-panel">
      {state.kind === 'none' ? (
        <EmptyState>{state.message}</EmptyState>
      ) : (
        <>
          <VisitPicker state={state} />
          <p className="muted small">
            After instruction {state.chosen.insn}; changed entries are highlighted. Read from the level-2 log, which reprints only what an instruction wrote, so a
            bound a branch refined on another register shows at the next instruction that uses it.
          </p>
          <table className="data-table state-table" aria-label="Register states">
            <thead>
              <tr>
                <th scope="col">Reg</th>
                <th scope="col">Verifier</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {REGS.map((r) => {
                const text = state.chosen.after.get(r);
                const changed = state.chosen.changed.has(r) && state.chosen.before.get(r) !== text;
                return (
                  <tr key={r} className={changed ? 'changed' : undefined} data-changed={changed || undefined}>
                    <th scope="row">{r}</th>
                    <td>
                      <code>{text ?? '—'}</code>
                    </td>
                    <td className="reading">{text === undefined ? 'not initialised' : readValue(text)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </Panel>
  );
}

export function StackPanel() {
  const state = useCursorState();
  return (
    <Panel title="Stack" className="stack-panel">
      {state.kind === 'none' ? <EmptyState>{state.message}</EmptyState> : <StackSlots visit={state.chosen} />}
    </Panel>
  );
}

function StackSlots({ visit }: { visit: Visit }) {
  let deepest = 0;
  for (const key of visit.after.keys()) {
    const m = /^fp-(\d+)$/.exec(key);
    if (m) deepest = Math.max(deepest, Number(m[1]) / 8);
  }
  const shown = Math.min(STACK_SLOTS, Math.max(MIN_SHOWN_SLOTS, deepest));
  const slots = Array.from({ length: shown }, (_, i) => `fp-${(i + 1) * 8}`);
  return (
    <>
      <table className="data-table state-table" aria-label="Stack slots">
        <thead>
          <tr>
            <th scope="col">Slot</th>
            <th scope="col">Kind</th>
            <th scope="col">Verifier</th>
            <th scope="col">Meaning</th>
          </tr>
        </thead>
        <tbody>
          {slots.map((slot) => {
            const text = visit.after.get(slot);
            const kind = slotKind(text);
            const changed = visit.changed.has(slot) && visit.before.get(slot) !== text;
            return (
              <tr key={slot} className={`slot-${kind} ${changed ? 'changed' : ''}`}>
                <th scope="row">{slot}</th>
                <td>{kind === 'spill' ? 'spilled register' : kind}</td>
                <td>
                  <code>{text ?? '????????'}</code>
                </td>
                <td className="reading">{text === undefined ? 'never written' : kind === 'spill' ? readValue(text) : stackBytes(text)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="muted small">
        {shown < STACK_SLOTS ? `fp-${shown * 8 + 8} … fp-512: never written (${STACK_SLOTS - shown} more slots of the 512-byte frame).` : 'The whole 512-byte frame.'}
      </p>
    </>
  );
}
