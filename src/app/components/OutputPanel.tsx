/** The Output region: what the last run returned. */
import { useApp } from '../AppContext.tsx';
import type { RunResult } from '../state/store.ts';
import { samplePacket } from '../examples/index.ts';
import { DiagnosticList } from './DiagnosticList.tsx';
import { EmptyState, Panel } from './Panel.tsx';

export function OutputPanel() {
  const view = useApp((s) => s.runView);
  return (
    <Panel title="Output" className="output-panel">
      <div aria-live="polite" className="panel-live">
        {view.state === 'idle' && <EmptyState>Press Run to execute the program on the sample packet.</EmptyState>}
        {view.state === 'busy' && <p className="muted">Running…</p>}
        {view.state === 'failed' && (
          <p className="status status-error" role="alert">
            {view.message}
          </p>
        )}
        {view.state === 'done' && <RunResultView result={view.reply} />}
      </div>
    </Panel>
  );
}

function RunResultView({ result }: { result: RunResult }) {
  const packetLabel = useApp((s) => samplePacket(s.packetId).label);
  if (!result.assembly.assembled) {
    return (
      <>
        <p className="status status-error">Not run: the program does not assemble.</p>
        <DiagnosticList diagnostics={result.assembly.diagnostics} />
      </>
    );
  }
  if (result.refused !== null) return <p className="status status-error">Not run: {result.refused}</p>;
  const run = result.run;
  if (!run) return null;
  if (run.fault) {
    return (
      <p className="status status-error" data-testid="run-fault">
        Fault at instruction {run.fault.pc}
        {run.fault.sourceLine !== null && ` (line ${run.fault.sourceLine})`}: {run.fault.message}
      </p>
    );
  }
  return (
    <dl className="run-result" data-testid="run-result">
      <dt>Return value</dt>
      <dd>
        <output className="retval">
          {run.retval} ({run.retvalHex})
        </output>
        {run.xdpAction && <span className="xdp-action"> {run.xdpAction}</span>}
      </dd>
      <dt>Program type</dt>
      <dd>{run.progType}</dd>
      <dt>Packet</dt>
      <dd>{packetLabel}</dd>
      <dt>Time</dt>
      <dd>{run.durationMs < 1 ? '< 1 ms' : `${run.durationMs.toFixed(1)} ms`}</dd>
    </dl>
  );
}
