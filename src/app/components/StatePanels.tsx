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
import { concreteRegisters, concreteStack, concreteText, lastWrites, type ConcreteRegister, type ConcreteSlot } from '../debugger/concrete.ts';
import type { ReadyDebug } from '../debugger/session.ts';

/** The debugger's position when a recorded run is open. */
function useReadyDebug(): ReadyDebug | null {
  return useApp((s) => (s.debug.state === 'ready' ? s.debug : null));
}

function ConcreteCell({ value }: { value: ConcreteRegister | undefined }) {
  if (!value) return <td />;
  return (
    <td className={`concrete ${value.changed ? 'concrete-changed' : ''}`} data-testid="concrete-value" title={`${value.hex} (${value.dec})`}>
      <code>{concreteText(value)}</code>
      {/* A pointer's raw bits are an artefact of the simulator's memory model: the region reading is the value. */}
      {value.pointer === null && <span className="muted small"> {value.hex}</span>}
    </td>
  );
}

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
  const debug = useReadyDebug();
  const concrete = debug ? concreteRegisters(debug) : null;
  // While debugging, both columns describe the moment before the highlighted instruction runs.
  const visit = state.kind === 'visits' && (!debug || state.insns.includes(debug.trace.pcs[debug.position] ?? -1)) ? state : null;
  const verifierState = visit ? (debug ? visit.chosen.before : visit.chosen.after) : null;
  return (
    <Panel title="Registers" className="registers-panel">
      {!visit && !concrete ? (
        <EmptyState>{state.kind === 'none' ? state.message : ''}</EmptyState>
      ) : (
        <>
          {visit && <VisitPicker state={visit} />}
          {debug ? (
            <p className="muted small">
              Before instruction {debug.trace.pcs[debug.position] ?? '—'} runs: the value in this run next to what the verifier knew for every run
              {visit ? '' : ' (Verify to see its ranges)'}. Values the last step changed are highlighted.
            </p>
          ) : (
            visit && (
              <p className="muted small">
                After instruction {visit.chosen.insn}; changed entries are highlighted. Read from the level-2 log, which reprints only what an instruction wrote, so a
                bound a branch refined on another register shows at the next instruction that uses it.
              </p>
            )
          )}
          <table className="data-table state-table" aria-label="Register states">
            <thead>
              <tr>
                <th scope="col">Reg</th>
                {concrete && <th scope="col">This run</th>}
                <th scope="col">Verifier</th>
                <th scope="col">Meaning</th>
              </tr>
            </thead>
            <tbody>
              {REGS.map((r, i) => {
                const text = verifierState?.get(r);
                const changed = !debug && visit !== null && visit.chosen.changed.has(r) && visit.chosen.before.get(r) !== text;
                return (
                  <tr key={r} className={changed ? 'changed' : undefined} data-changed={changed || undefined} data-reg={r}>
                    <th scope="row">{r}</th>
                    {concrete && <ConcreteCell value={concrete[i]} />}
                    <td>
                      <code>{text ?? '—'}</code>
                    </td>
                    <td className="reading">{verifierState === null ? '' : text === undefined ? 'not initialised' : readValue(text)}</td>
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
  const debug = useReadyDebug();
  return (
    <Panel title="Stack" className="stack-panel">
      {debug && <ConcreteStack debug={debug} />}
      {debug && <h3 className="subheading">Verifier</h3>}
      {state.kind === 'none' ? <EmptyState>{state.message}</EmptyState> : <StackSlots visit={state.chosen} />}
    </Panel>
  );
}

/** The stack bytes of this run's current frame; all-zero slots are left out. */
function ConcreteStack({ debug }: { debug: ReadyDebug }) {
  const slots: ConcreteSlot[] = concreteStack(debug).filter((s) => !s.zero || s.changed);
  const depth = debug.trace.depths[debug.position] ?? 0;
  const wrote = lastWrites(debug);
  return (
    <>
      {wrote.length > 0 && (
        <div className="debug-writes" data-testid="debug-writes">
          <span className="muted small">The last step wrote:</span>
          <ul>
            {wrote.map((w, i) => (
              <li key={i}>
                <code>{w}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <h3 className="subheading">This run{depth > 0 ? ` (frame ${depth})` : ''}, before the highlighted instruction</h3>
      {slots.length === 0 ? (
        <p className="muted small">Every byte of the frame is still zero.</p>
      ) : (
        <table className="data-table state-table" aria-label="Stack bytes of this run">
          <thead>
            <tr>
              <th scope="col">Slot</th>
              <th scope="col">Bytes (memory order)</th>
            </tr>
          </thead>
          <tbody>
            {slots.map((s) => (
              <tr key={s.name} className={s.changed ? 'changed' : undefined}>
                <th scope="row">{s.name}</th>
                <td>
                  <code>{s.bytes}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
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
