/** The resizable layout of the main panels. */
import { useState } from 'react';
import { EditorPanel } from '../editor/EditorPanel.tsx';
import { parseLayout, type LayoutSizes } from '../state/layout.ts';
import { type KeyValueStore, readPersisted, writePersisted } from '../state/persist.ts';
import type { EffectiveTheme } from '../theme/theme.ts';
import { MapsPanel } from './MapsPanel.tsx';
import { OutputPanel } from './OutputPanel.tsx';
import { PacketsPanel } from './PacketsPanel.tsx';
import { Splitter } from './Splitter.tsx';
import { RegistersPanel, StackPanel } from './StatePanels.tsx';
import { VerifierPanel } from './VerifierPanel.tsx';

export function Workspace({ theme, storage }: { theme: EffectiveTheme; storage: KeyValueStore | null }) {
  const [sizes, setSizes] = useState<LayoutSizes>(() => parseLayout(readPersisted(storage, 'layout')));
  const update = (patch: Partial<LayoutSizes>) => {
    const next = { ...sizes, ...patch };
    setSizes(next);
    writePersisted(storage, 'layout', JSON.stringify(next));
  };
  return (
    <main className="workspace" style={{ gridTemplateColumns: `minmax(0, ${sizes.editor}fr) auto minmax(0, ${1 - sizes.editor}fr)` }}>
      <EditorPanel theme={theme} />
      <Splitter orientation="vertical" label="Resize editor" value={sizes.editor} onChange={(editor) => update({ editor })} />
      <div className="side" style={{ gridTemplateRows: `minmax(0, ${sizes.verifier}fr) auto minmax(0, ${1 - sizes.verifier}fr)` }}>
        <VerifierPanel />
        <Splitter orientation="horizontal" label="Resize verifier" value={sizes.verifier} onChange={(verifier) => update({ verifier })} />
        <div className="inspectors">
          <OutputPanel />
          <PacketsPanel />
          <RegistersPanel />
          <StackPanel />
          <MapsPanel />
        </div>
      </div>
    </main>
  );
}
