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

/**
 * Verify-as-you-type: the shortest typing pause before the program is
 * verified (the store lengthens it for programs that take long to verify).
 */
const AUTO_VERIFY_MS = 20;

const shared = decodeShareFragment(location.hash);
const sharedState = shared?.ok ? shared.state : null;
const embed = new URLSearchParams(location.search).has('embed');
const storage = browserStore();
const engine = createBrowserEngine();
const store = createAppStore({
  engine,
  // An embedded lab page must not overwrite the visitor's own buffer.
  storage: embed ? null : storage,
  initialSource: sharedState?.source ?? null,
  initialShared: sharedState,
  embed,
  autoVerifyMs: AUTO_VERIFY_MS,
});
installDebugHooks(location.search, engine, store);
// Start the worker now, so the first Verify does not wait for it to load.
void engine.call('version', [], { channel: 'warm-up' });
if (shared && !shared.ok) store.getState().setNotice({ tone: 'warning', text: `Could not open the share link: ${shared.error}.` });
const sharedObject = sharedState?.object;
if (sharedObject) {
  void store
    .getState()
    .openObject(sharedObject.bytes, sharedObject.fileName)
    .then(() => store.getState().selectObjectProgram(sharedObject.program));
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App store={store} storage={storage} />
    </StrictMode>,
  );
}
