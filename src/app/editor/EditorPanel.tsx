/**
 * The Editor region. Monaco is big, so it loads lazily behind Suspense; until
 * it arrives the source is shown read-only, so the page is useful at once.
 * An ELF object (.o) can be opened with the file button or dropped on the
 * panel: the editor then shows the picked program's disassembly with its C
 * source lines, read-only, and Verify/Run use that program.
 */
import { lazy, Suspense, useState, type ChangeEvent, type DragEvent } from 'react';
import { useApp } from '../AppContext.tsx';
import { Panel } from '../components/Panel.tsx';
import { DebugBar } from '../debugger/DebugBar.tsx';
import { atFault, lineAt } from '../debugger/session.ts';
import type { EffectiveTheme } from '../theme/theme.ts';

const MonacoEditor = lazy(() => import('./MonacoEditor.tsx'));

/** Larger files are not BPF objects anyone writes by hand; refuse before reading them. */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

export function EditorPanel({ theme }: { theme: EffectiveTheme }) {
  const source = useApp((s) => s.source);
  const object = useApp((s) => s.object);
  const setSource = useApp((s) => s.setSource);
  const diagnostics = useApp((s) => s.diagnostics);
  const verify = useApp((s) => s.verify);
  const run = useApp((s) => s.run);
  const setCursorLine = useApp((s) => s.setCursorLine);
  const reveal = useApp((s) => s.revealRequest);
  const openObject = useApp((s) => s.openObject);
  const setNotice = useApp((s) => s.setNotice);
  const embed = useApp((s) => s.embed);
  const breakpoints = useApp((s) => s.breakpointLines);
  const toggleBreakpoint = useApp((s) => s.toggleBreakpoint);
  const debugLine = useApp((s) => (s.debug.state === 'ready' ? lineAt(s.debug) : null));
  const debugFault = useApp((s) => s.debug.state === 'ready' && atFault(s.debug));
  const debugging = useApp((s) => s.debug.state !== 'off');
  const [dragging, setDragging] = useState(false);

  const listing = object ? (object.view.programs.find((p) => p.name === object.program)?.listing ?? '') : null;
  const text = listing ?? source;

  const open = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > MAX_UPLOAD_BYTES) {
      setNotice({ tone: 'warning', text: `${file.name} is ${file.size} bytes; bpfiddle opens objects up to ${MAX_UPLOAD_BYTES}.` });
      return;
    }
    await openObject(new Uint8Array(await file.arrayBuffer()), file.name);
  };
  const onFile = (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    void open(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    void open(e.dataTransfer.files[0]);
  };

  return (
    <Panel
      title="Editor"
      className={`editor-panel ${dragging ? 'drop-target' : ''}`}
      actions={
        embed ? (
          <span className="muted small">read-only</span>
        ) : (
        <label className="file-button header-file-button">
          Open .o
          <input type="file" accept=".o,application/x-object,application/octet-stream" aria-label="Open an ELF object (.o)" onChange={onFile} />
        </label>
        )
      }
    >
      <div
        className="editor-drop"
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) {
            e.preventDefault();
            setDragging(true);
          }
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={embed ? undefined : onDrop}
      >
        {object && <ObjectBar />}
        {debugging && <DebugBar />}
        <div className="editor-host">
          <Suspense
            fallback={
              <pre className="editor-fallback" aria-busy="true">
                {text}
              </pre>
            }
          >
            <MonacoEditor
              value={text}
              readOnly={object !== null || embed}
              onChange={setSource}
              diagnostics={diagnostics}
              theme={theme}
              onVerifyShortcut={() => void verify()}
              onRunShortcut={() => void run()}
              onCursorLine={setCursorLine}
              reveal={reveal}
              breakpoints={breakpoints}
              debugLine={debugLine}
              debugFault={debugFault}
              onToggleBreakpoint={toggleBreakpoint}
            />
          </Suspense>
        </div>
      </div>
    </Panel>
  );
}

function ObjectBar() {
  const object = useApp((s) => s.object);
  const select = useApp((s) => s.selectObjectProgram);
  const close = useApp((s) => s.closeObject);
  if (!object) return null;
  const current = object.view.programs.find((p) => p.name === object.program);
  return (
    <div className="object-bar" data-testid="object-bar">
      <strong>{object.fileName}</strong>
      <label className="field">
        <span className="muted small">Program</span>
        <select aria-label="Program of the object" value={object.program} onChange={(e) => select(e.target.value)}>
          {object.view.programs.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name} — SEC("{p.section}"), {p.progType}
            </option>
          ))}
        </select>
      </label>
      {current && <span className="muted small">{current.insnCount} instruction slots, read-only</span>}
      <button type="button" onClick={close}>
        Back to assembly
      </button>
    </div>
  );
}
