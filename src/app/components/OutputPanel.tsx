/** The Output region: per packet what the program returned, the records it emitted and its printk lines. */
import type { PacketRunReport } from '../../bridge/index.ts';
import { useApp } from '../AppContext.tsx';
import { spacedHex } from '../maps/format.ts';
import type { RunResult } from '../state/store.ts';
import { DiagnosticList } from './DiagnosticList.tsx';
import { EmptyState, Panel } from './Panel.tsx';

export function OutputPanel() {
  const view = useApp((s) => s.runView);
  return (
    <Panel title="Output" className="output-panel">
      <div aria-live="polite" className="panel-live">
        {view.state === 'idle' && <EmptyState>Press Run (Shift+Enter) to execute the program on each packet of the Packets panel.</EmptyState>}
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
  const packets = useApp((s) => s.packets);
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
  const events = run.packets.flatMap((p) => p.events.map((e) => ({ ...e, packet: p.index })));
  const printk = run.packets.flatMap((p) => p.printk.map((line) => ({ line, packet: p.index })));
  return (
    <div data-testid="run-result">
      <p className="muted small">
        {run.progType} program, {run.packets.length} {run.packets.length === 1 ? 'run' : 'runs'},{' '}
        {run.durationMs < 1 ? '< 1 ms' : `${run.durationMs.toFixed(1)} ms`}
      </p>
      <table className="data-table" aria-label="Return values">
        <thead>
          <tr>
            <th scope="col">Packet</th>
            <th scope="col">Return value</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {run.packets.map((p) => (
            <PacketRow key={p.index} report={p} label={packets[p.index]?.label ?? 'default frame'} />
          ))}
        </tbody>
      </table>
      <h3 className="subheading">Events</h3>
      {events.length === 0 ? (
        <p className="muted small">No ring-buffer or perf records.</p>
      ) : (
        <ol className="event-list" aria-label="Events">
          {events.map((e, i) => (
            <li key={i}>
              <span className="muted">
                #{e.packet + 1} {e.kind} {e.map}
              </span>{' '}
              <code>{spacedHex(e.hex)}</code>
            </li>
          ))}
        </ol>
      )}
      <h3 className="subheading">bpf_printk</h3>
      {printk.length === 0 ? (
        <p className="muted small">No trace_printk lines.</p>
      ) : (
        <pre className="printk" aria-label="printk output">
          {printk.map((p) => `#${p.packet + 1}: ${p.line}`).join('\n')}
        </pre>
      )}
    </div>
  );
}

function PacketRow({ report, label }: { report: PacketRunReport; label: string }) {
  const n = report.index + 1;
  if (report.refused !== null) {
    return (
      <tr>
        <td title={label}>#{n}</td>
        <td colSpan={2} className="status-error">
          refused: {report.refused}
        </td>
      </tr>
    );
  }
  if (report.fault) {
    return (
      <tr>
        <td title={label}>#{n}</td>
        <td colSpan={2} className="status-error" data-testid="run-fault">
          Fault at instruction {report.fault.pc}
          {report.fault.sourceLine !== null && ` (line ${report.fault.sourceLine})`}: {report.fault.message}
        </td>
      </tr>
    );
  }
  return (
    <tr>
      <td title={label}>#{n}</td>
      <td>
        <output className="retval">
          {report.retval} ({report.retvalHex})
        </output>
      </td>
      <td className="verdict-cell">{report.verdict ?? '—'}</td>
    </tr>
  );
}
