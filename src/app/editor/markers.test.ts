import { describe, expect, it } from 'vitest';
import { MARKER_SEVERITY, toMarkers } from './markers.ts';

const lineMax = (lengths: number[]) => (line: number) => lengths[line - 1] + 1;

describe('diagnostics to markers', () => {
  it('keeps the range the engine reported', () => {
    expect(toMarkers([{ line: 2, column: 5, endColumn: 8, severity: 'error', message: 'bad' }], 3, lineMax([4, 10, 2]))).toEqual([
      { severity: MARKER_SEVERITY.Error, message: 'bad', startLineNumber: 2, startColumn: 5, endLineNumber: 2, endColumn: 8 },
    ]);
  });

  it('marks to the end of the line without an end column, so the squiggle is visible', () => {
    const [m] = toMarkers([{ line: 1, column: 3, severity: 'warning', message: 'w' }], 1, lineMax([9]));
    expect(m).toMatchObject({ severity: MARKER_SEVERITY.Warning, startColumn: 3, endColumn: 10 });
  });

  it('clamps places outside the text (the buffer may have changed since the request)', () => {
    const [m] = toMarkers([{ line: 40, column: 99, endColumn: 120, severity: 'error', message: 'x' }], 2, lineMax([3, 5]));
    expect(m).toMatchObject({ startLineNumber: 2, startColumn: 6, endColumn: 6 });
  });
});
