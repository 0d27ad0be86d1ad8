import { useContext } from 'react';
import { AppStoreContext, useApp } from './AppContext.tsx';
import { NoticeBanner } from './components/NoticeBanner.tsx';
import { Toolbar } from './components/Toolbar.tsx';
import { Workspace } from './components/Workspace.tsx';
import { encodeShareState } from './share/link.ts';
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
  const setNotice = useApp((s) => s.setNotice);
  const store = useContext(AppStoreContext);
  const embed = useApp((s) => s.embed);

  const share = async () => {
    if (!store) return;
    const { source, packets, mapSeeds, runBudget, object } = store.getState();
    const link = encodeShareState({
      source,
      packets: packets.map(({ label, hex }) => ({ label, hex })),
      seeds: mapSeeds,
      ...(runBudget !== undefined && { budget: runBudget }),
      ...(object && { object: { fileName: object.fileName, bytes: object.bytes, program: object.program } }),
    });
    if (!link.ok) {
      setNotice({ tone: 'warning', text: `Cannot share: ${link.error}.` });
      return;
    }
    history.replaceState(null, '', link.fragment);
    const notes = link.notes.length ? ` Note: ${link.notes.join('; ')}.` : '';
    try {
      await navigator.clipboard.writeText(location.href);
      setNotice({ tone: 'info', text: `Share link copied to the clipboard.${notes}` });
    } catch {
      setNotice({ tone: 'info', text: `Share link ready: copy it from the address bar.${notes}` });
    }
  };

  return (
    <div className={`app ${embed ? 'embed' : ''}`}>
      <Toolbar theme={theme} onShare={() => void share()} />
      <NoticeBanner />
      <Workspace theme={theme} storage={storage} />
    </div>
  );
}
