/**
 * The Editor region. Monaco is big, so it loads lazily behind Suspense; until
 * it arrives the source is shown read-only, so the page is useful at once.
 */
import { lazy, Suspense } from 'react';
import { useApp } from '../AppContext.tsx';
import { Panel } from '../components/Panel.tsx';
import type { EffectiveTheme } from '../theme/theme.ts';

const MonacoEditor = lazy(() => import('./MonacoEditor.tsx'));

export function EditorPanel({ theme }: { theme: EffectiveTheme }) {
  const source = useApp((s) => s.source);
  const setSource = useApp((s) => s.setSource);
  const diagnostics = useApp((s) => s.diagnostics);
  const verify = useApp((s) => s.verify);
  return (
    <Panel title="Editor" className="editor-panel">
      <Suspense
        fallback={
          <pre className="editor-fallback" aria-busy="true">
            {source}
          </pre>
        }
      >
        <MonacoEditor value={source} onChange={setSource} diagnostics={diagnostics} theme={theme} onVerifyShortcut={() => void verify()} />
      </Suspense>
    </Panel>
  );
}
