import { useApp } from '../AppContext.tsx';
import { ExamplesMenu } from './ExamplesMenu.tsx';
import type { EffectiveTheme } from '../theme/theme.ts';
import { toggledTheme } from '../theme/theme.ts';

export function Toolbar({ theme, onShare }: { theme: EffectiveTheme; onShare(): void }) {
  const verify = useApp((s) => s.verify);
  const run = useApp((s) => s.run);
  const setTheme = useApp((s) => s.setTheme);
  const verifying = useApp((s) => s.verifyView.state === 'busy');
  const running = useApp((s) => s.runView.state === 'busy');
  const startDebug = useApp((s) => s.startDebug);
  const debugBusy = useApp((s) => s.debug.state === 'busy');
  const next = toggledTheme(theme);
  const embed = useApp((s) => s.embed);
  return (
    <header className="toolbar" role="banner">
      <h1 className="brand">
        <span aria-hidden="true" className="brand-mark">
          ⬡
        </span>{' '}
        bpfiddle
      </h1>
      <nav className="toolbar-actions" aria-label="Actions">
        <button type="button" className="primary" onClick={() => void verify()} aria-busy={verifying} title="Verify (Ctrl+Enter)">
          Verify
        </button>
        <button type="button" onClick={() => void run()} aria-busy={running} title="Run (Shift+Enter)">
          Run
        </button>
        <button type="button" onClick={() => void startDebug()} aria-busy={debugBusy} title="Debug: record a run of the selected packet and step through it (breakpoints: click left of a line number)">
          Debug
        </button>
        {!embed && (
          <>
            <button type="button" onClick={onShare}>
              Share
            </button>
            <ExamplesMenu />
          </>
        )}
      </nav>
      <button type="button" className="theme-toggle" onClick={() => setTheme(next)} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`}>
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
