/**
 * The Verifier region: the verdict and the kernel-format log when a verifier
 * is plugged in; until then, what the assembler found — never a fake verdict.
 */
import { useApp } from '../AppContext.tsx';
import type { VerifyResult } from '../state/store.ts';
import { DiagnosticList } from './DiagnosticList.tsx';
import { EmptyState, Panel } from './Panel.tsx';

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
      <DiagnosticList diagnostics={assembly.diagnostics} />
      <pre className="verifier-log" aria-label="Verifier log">
        {verification.log}
      </pre>
    </>
  );
}
