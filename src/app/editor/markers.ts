/** Diagnostics (1-based, from the engine) to Monaco marker data, clamped to the model. */
import type { Diagnostic } from '../../core/program.ts';

/** Monaco's MarkerSeverity values, so this file needs no Monaco import. */
export const MARKER_SEVERITY = { Warning: 4, Error: 8 } as const;

export interface MarkerData {
  severity: number;
  message: string;
  startLineNumber: number;
  startColumn: number;
  endLineNumber: number;
  endColumn: number;
}

export function toMarkers(diagnostics: readonly Diagnostic[], lineCount: number, lineMaxColumn: (line: number) => number): MarkerData[] {
  return diagnostics.map((d) => {
    const line = Math.min(Math.max(1, d.line), Math.max(1, lineCount));
    const maxColumn = lineMaxColumn(line);
    const startColumn = Math.min(Math.max(1, d.column), maxColumn);
    // Without an end column the whole rest of the line is marked, so the squiggle is visible.
    const endColumn = d.endColumn !== undefined && d.endColumn > startColumn ? Math.min(d.endColumn, maxColumn) : maxColumn;
    return {
      severity: d.severity === 'error' ? MARKER_SEVERITY.Error : MARKER_SEVERITY.Warning,
      message: d.message,
      startLineNumber: line,
      startColumn,
      endLineNumber: line,
      endColumn: Math.max(endColumn, startColumn),
    };
  });
}
