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
  onChange(value: string): void;
  diagnostics: readonly Diagnostic[];
  theme: EffectiveTheme;
  /** Ctrl/Cmd+Enter */
  onVerifyShortcut(): void;
}

const MARKER_OWNER = 'bpfiddle';

export default function MonacoEditor({ value, onChange, diagnostics, theme, onVerifyShortcut }: SourceEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const instance = useRef<MonacoEditorNs.IStandaloneCodeEditor | null>(null);
  // Callbacks change identity on every render; the editor keeps the latest through refs.
  const latest = useRef({ onChange, onVerifyShortcut });
  latest.current = { onChange, onVerifyShortcut };

  useEffect(() => {
    const monaco = setUpMonaco();
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      value,
      language: BPF_LANGUAGE_ID,
      theme: theme === 'dark' ? 'vs-dark' : 'vs',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      scrollBeyondLastColumn: 2,
      renderLineHighlight: 'line',
      ariaLabel: 'BPF assembly source',
      tabSize: 4,
    });
    instance.current = ed;
    const sub = ed.onDidChangeModelContent(() => latest.current.onChange(ed.getValue()));
    ed.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () => latest.current.onVerifyShortcut());
    return () => {
      sub.dispose();
      ed.getModel()?.dispose();
      ed.dispose();
      instance.current = null;
    };
    // The editor is created once; later prop changes are applied by the effects below.
  }, []);

  useEffect(() => {
    const ed = instance.current;
    // Only external changes (a share link) are pushed in; typing already updated the model.
    if (ed && ed.getValue() !== value) ed.setValue(value);
  }, [value]);

  useEffect(() => {
    setUpMonaco().editor.setTheme(theme === 'dark' ? 'vs-dark' : 'vs');
  }, [theme]);

  useEffect(() => {
    const monaco = setUpMonaco();
    const model = instance.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(model, MARKER_OWNER, toMarkers(diagnostics, model.getLineCount(), (line) => model.getLineMaxColumn(line)));
  }, [diagnostics]);

  return <div ref={host} className="monaco-host" data-testid="monaco-host" />;
}
