/** Browser entry: wires the real engine, storage and URL into the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserEngine } from '../bridge/index.ts';
import { App } from './App.tsx';
import { installDebugHooks } from './debug-hooks.ts';
import { decodeShareFragment } from './share/link.ts';
import { browserStore } from './state/persist.ts';
import { createAppStore } from './state/store.ts';
import './styles.css';

const shared = decodeShareFragment(location.hash);
const storage = browserStore();
const engine = createBrowserEngine();
const store = createAppStore({
  engine,
  storage,
  initialSource: shared?.ok ? shared.source : null,
});
installDebugHooks(location.search, engine, store);
// Start the worker now, so the first Verify does not wait for it to load.
void engine.call('version', [], { channel: 'warm-up' });
if (shared && !shared.ok) store.getState().setNotice({ tone: 'warning', text: `Could not open the share link: ${shared.error}.` });

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={store} storage={storage} />
    </StrictMode>,
  );
}
