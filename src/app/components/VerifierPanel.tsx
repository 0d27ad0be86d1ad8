/**
 * The Verifier region: the verdict, the kernel's error with a plain-language
 * explanation and hint, and the kernel-format log whose lines link to the
 * instruction's source line in the editor.
 */
import { useApp } from '../AppContext.tsx';
import type { VerifyResult } from '../state/store.ts';
import { explainVerifierMessage } from '../verifier/explain.ts';
import { useVerifiedProgram } from '../verifier/useLogStates.ts';
import { DiagnosticList } from './DiagnosticList.tsx';
import { EmptyState, Panel } from './Panel.tsx';

/** Log lines linked to their instruction; the rest of a long log is plain text. */
const MAX_LINKED_LINES = 4000;

export function VerifierPanel() {
  const view = useApp((s) => s.verifyView);
  return (
    <Panel title="Verifier" className="verifier-panel">
      <div aria-live="polite" className="panel-live">
        {view.state === 'idle' && <EmptyState>Press Verify (Ctrl+Enter) to check the program.</EmptyState>}
        {view.state === 'busy' && <p className="muted">Verifying…</p>}
        {view.state === 'failed' && (
          <p className="status status-error" role="alert">
            {view.message}
          </p>
        )}
        {view.state === 'done' && <VerifyResultView reply={view.reply} />}
      </div>
    </Panel>
  );
}

function VerifyResultView({ reply }: { reply: VerifyResult }) {
  const { assembly, verification } = reply;
  if (!assembly.assembled) {
    const n = assembly.diagnostics.length;
    return (
      <>
        <p className="status status-error" data-testid="verify-summary">
          Assembly failed: {n} {n === 1 ? 'error' : 'errors'}.
        </p>
        <DiagnosticList diagnostics={assembly.diagnostics} />
      </>
    );
  }
  const count = `${assembly.insnCount} ${assembly.insnCount === 1 ? 'instruction' : 'instructions'}`;
  if (!verification) {
    return (
      <>
        <p className="status status-ok" data-testid="verify-summary">
          Assembled {count} ({assembly.progType ?? 'unknown'} program, {assembly.dialect} syntax) — the verifier is not implemented yet, so there is no verdict.
        </p>
        <DiagnosticList diagnostics={assembly.diagnostics} />
      </>
    );
  }
  const explained = verification.errorLine ? explainVerifierMessage(verification.errorLine) : null;
  return (
    <>
      <p className={`status ${verification.verdict === 'accepted' ? 'status-ok' : 'status-error'}`} data-testid="verify-summary">
        <strong className="verdict">{verification.verdict}</strong>
        {verification.verdict === 'accepted' && (
          <>
            {' '}
            — {count}
            {verification.processedInsns !== null && `, ${verification.processedInsns} processed`}
          </>
        )}
        {verification.errorLine && (
          <>
            {' '}
            — {verification.errorLine}
            {verification.errorSourceLine !== null && ` (line ${verification.errorSourceLine})`}
          </>
        )}
      </p>
      {explained && (
        <div className="explanation" data-testid="verifier-explanation">
          <p>{explained.meaning}</p>
          <p>
            <strong>Hint:</strong> {explained.hint}
          </p>
        </div>
      )}
      <DiagnosticList diagnostics={assembly.diagnostics} />
      <ExploredPaths />
      <LinkedLog />
    </>
  );
}

/** Branch targets the verifier explored later, and points where it pruned a path as already safe. */
function ExploredPaths() {
  const program = useVerifiedProgram();
  const revealLine = useApp((s) => s.revealLine);
  const paths = program?.states.paths ?? [];
  if (!program || paths.length === 0) return null;
  const lineOf = (insn: number) => program.insnLines[insn] ?? null;
  const pruned = paths.filter((p) => p.kind === 'pruned').length;
  return (
    <details className="explored-paths">
      <summary>
        Explored {paths.length - pruned + 1} paths{pruned > 0 && `, pruned ${pruned}`}
      </summary>
      <ol aria-label="Explored paths">
        <li>from the entry, instruction 0</li>
        {paths.map((p, i) => {
          const insn = p.kind === 'path' ? p.to : p.insn;
          const line = lineOf(insn);
          const text = p.kind === 'path' ? `branch from instruction ${p.from} to ${p.to}` : `pruned at instruction ${p.insn}: its state is covered by one already verified`;
          return (
            <li key={i}>
              {line === null ? (
                text
              ) : (
                <button type="button" className="link-button" onClick={() => revealLine(line)}>
                  {text} (line {line})
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function LinkedLog() {
  const program = useVerifiedProgram();
  const revealLine = useApp((s) => s.revealLine);
  if (!program?.reply.verification) return null;
  const { log } = program.reply.verification;
  const lines = log.split('\n');
  // Past the first lines the rest is one text node: thousands of buttons would slow the page.
  const rest = lines.length > MAX_LINKED_LINES ? lines.slice(MAX_LINKED_LINES).join('\n') : null;
  const errorInsn = program.reply.verification.errorInsn;
  return (
    <pre className="verifier-log" aria-label="Verifier log">
      {lines.slice(0, MAX_LINKED_LINES).map((text, i) => {
        const insn = program.states.lineInsns[i] ?? null;
        const sourceLine = insn !== null ? (program.insnLines[insn] ?? null) : null;
        if (sourceLine === null) return <div key={i}>{text || ' '}</div>;
        return (
          <div key={i} className={insn === errorInsn ? 'log-error-insn' : undefined}>
            <button type="button" className="log-link" title={`Show line ${sourceLine} (instruction ${insn})`} onClick={() => revealLine(sourceLine)}>
              {text}
            </button>
          </div>
        );
      })}
      {rest !== null && <div>{rest}</div>}
    </pre>
  );
}
