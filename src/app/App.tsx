import { AppStoreContext, useApp } from './AppContext.tsx';
import { NoticeBanner } from './components/NoticeBanner.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { Workspace } from './components/Workspace.tsx';
import { encodeShareFragment } from './share/link.ts';
import type { KeyValueStore } from './state/persist.ts';
import type { AppStore } from './state/store.ts';
import { useEffectiveTheme } from './theme/useEffectiveTheme.ts';

export function App({ store, storage }: { store: AppStore; storage: KeyValueStore | null }) {
  return (
    <AppStoreContext.Provider value={store}>
      <Shell storage={storage} />
    </AppStoreContext.Provider>
  );
}

function Shell({ storage }: { storage: KeyValueStore | null }) {
  const theme = useEffectiveTheme(useApp((s) => s.theme));
  const source = useApp((s) => s.source);
  const setNotice = useApp((s) => s.setNotice);

  const share = async () => {
    const link = encodeShareFragment(source);
    if (!link.ok) {
      setNotice({ tone: 'warning', text: `Cannot share: ${link.error}.` });
      return;
    }
    history.replaceState(null, '', link.fragment);
    try {
      await navigator.clipboard.writeText(location.href);
      setNotice({ tone: 'info', text: 'Share link copied to the clipboard.' });
    } catch {
      setNotice({ tone: 'info', text: 'Share link ready: copy it from the address bar.' });
    }
  };

  return (
    <div className="app">
      <Toolbar theme={theme} onShare={() => void share()} />
      <NoticeBanner />
      <Workspace theme={theme} storage={storage} />
    </div>
  );
}
