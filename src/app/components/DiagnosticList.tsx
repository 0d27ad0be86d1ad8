import type { Diagnostic } from '../../core/program.ts';

/** Diagnostics as a list (the editor shows the same ones as markers). */
export function DiagnosticList({ diagnostics }: { diagnostics: readonly Diagnostic[] }) {
  if (diagnostics.length === 0) return null;
  return (
    <ul className="diagnostics" aria-label="Problems">
      {diagnostics.map((d, i) => (
        <li key={i} className={`diagnostic diagnostic-${d.severity}`}>
          <span className="diagnostic-where">
            line {d.line}:{d.column}
          </span>{' '}
          <span className="diagnostic-severity">{d.severity}</span>: {d.message}
        </li>
      ))}
    </ul>
  );
}
