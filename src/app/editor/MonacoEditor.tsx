/**
 * The Monaco editor for the source buffer, loaded lazily (see EditorPanel).
 * Diagnostics become model markers; the theme follows the app's theme.
 */
import { useEffect, useRef } from 'react';
import type { editor as MonacoEditorNs } from 'monaco-editor/editor/editor.api';
import type { Diagnostic } from '../../core/program.ts';
import type { EffectiveTheme } from '../theme/theme.ts';
import { BPF_LANGUAGE_ID } from './bpf-language.ts';
import { setUpMonaco } from './monaco-setup.ts';
import { toMarkers } from './markers.ts';

export interface SourceEditorProps {
  value: string;
  /** an uploaded object's listing: shown, not edited */
  readOnly?: boolean;
  onChange(value: string): void;
  diagnostics: readonly Diagnostic[];
  theme: EffectiveTheme;
  /** Ctrl/Cmd+Enter */
  onVerifyShortcut(): void;
  /** Shift+Enter */
  onRunShortcut(): void;
  /** the cursor moved to another line (1-based) */
  onCursorLine(line: number): void;
  /** a panel asked to show this line (seq changes on every request) */
  reveal: { line: number; seq: number } | null;
  /** 1-based lines with a debugger breakpoint (red dot in the glyph margin) */
  breakpoints?: readonly number[];
  /** the debugger's next instruction (highlighted and kept in view), or null */
  debugLine?: number | null;
  /** the instruction at debugLine faulted */
  debugFault?: boolean;
  /** a click in the glyph margin of this line */
  onToggleBreakpoint?(line: number): void;
}

const MARKER_OWNER = 'bpfiddle';

export default function MonacoEditor({
  value,
  readOnly = false,
  onChange,
  diagnostics,
  theme,
  onVerifyShortcut,
  onRunShortcut,
  onCursorLine,
  reveal,
  breakpoints = [],
  debugLine = null,
  debugFault = false,
  onToggleBreakpoint,
}: SourceEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const instance = useRef<MonacoEditorNs.IStandaloneCodeEditor | null>(null);
  /** true while the value prop is written into the model (not a user edit) */
  const pushing = useRef(false);
  // Callbacks change identity on every render; the editor keeps the latest through refs.
  const latest = useRef({ onChange, onVerifyShortcut, onRunShortcut, onCursorLine, onToggleBreakpoint });
  latest.current = { onChange, onVerifyShortcut, onRunShortcut, onCursorLine, onToggleBreakpoint };
  const debugDecorations = useRef<MonacoEditorNs.IEditorDecorationsCollection | null>(null);

  useEffect(() => {
    const monaco = setUpMonaco();
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      value,
      language: BPF_LANGUAGE_ID,
      readOnly,
      // The default ('editable') hides squiggles in read-only editors; object listings need them.
      renderValidationDecorations: 'on',
      theme: theme === 'dark' ? 'vs-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      scrollBeyondLastColumn: 2,
      renderLineHighlight: 'line',
      ariaLabel: 'BPF assembly source',
      tabSize: 4,
      // Breakpoints live in the glyph margin.
      glyphMargin: true,
    });
    debugDecorations.current = ed.createDecorationsCollection();
    const glyphClick = ed.onMouseDown((e) => {
      const line = e.target.position?.lineNumber;
      if (e.target.type === monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN && line !== undefined) latest.current.onToggleBreakpoint?.(line);
    });
    instance.current = ed;
    // Only the user's typing is reported: a listing pushed in for an object must not overwrite the saved buffer.
    const sub = ed.onDidChangeModelContent(() => {
      if (!ed.getOption(monaco.editor.EditorOption.readOnly) && !pushing.current) latest.current.onChange(ed.getValue());
    });
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onVerifyShortcut());
    ed.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => latest.current.onRunShortcut());
    const cursor = ed.onDidChangeCursorPosition((e) => latest.current.onCursorLine(e.position.lineNumber));
    return () => {
      glyphClick.dispose();
      sub.dispose();
      cursor.dispose();
      ed.getModel()?.dispose();
      ed.dispose();
      instance.current = null;
    };
    // The editor is created once; later prop changes are applied by the effects below.
  }, []);

  useEffect(() => {
    const ed = instance.current;
    // Only external changes (a share link) are pushed in; typing already updated the model.
    if (ed && ed.getValue() !== value) {
      pushing.current = true;
      try {
        ed.setValue(value);
      } finally {
        pushing.current = false;
      }
    }
  }, [value]);

  useEffect(() => {
    instance.current?.updateOptions({ readOnly });
  }, [readOnly]);

  useEffect(() => {
    setUpMonaco().editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    const monaco = setUpMonaco();
    const model = instance.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, toMarkers(diagnostics, model.getLineCount(), (line) => model.getLineMaxColumn(line)));
  }, [diagnostics]);

  useEffect(() => {
    const ed = instance.current;
    if (!ed || !reveal) return;
    const line = Math.min(Math.max(1, reveal.line), ed.getModel()?.getLineCount() ?? 1);
    ed.revealLineInCenter(line);
    ed.setPosition({ lineNumber: line, column: 1 });
    ed.focus();
  }, [reveal]);

  useEffect(() => {
    const ed = instance.current;
    const collection = debugDecorations.current;
    if (!ed || !collection) return;
    const monaco = setUpMonaco();
    const decorations: MonacoEditorNs.IModelDeltaDecoration[] = breakpoints.map((line) => ({
      range: new monaco.Range(line, 1, line, 1),
      options: { glyphMarginClassName: 'debug-breakpoint-glyph', glyphMarginHoverMessage: { value: 'Breakpoint (click to remove)' }, stickiness: 1 },
    }));
    if (debugLine !== null) {
      decorations.push({
        range: new monaco.Range(debugLine, 1, debugLine, 1),
        options: { isWholeLine: true, className: debugFault ? 'debug-fault-line' : 'debug-current-line', linesDecorationsClassName: 'debug-current-arrow' },
      });
    }
    collection.set(decorations);
    if (debugLine !== null) ed.revealLineInCenterIfOutsideViewport(debugLine);
  }, [breakpoints, debugLine, debugFault]);

  return <div ref={host} className="monaco-host" data-testid="monaco-host" />;
}
