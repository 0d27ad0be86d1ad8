/** The resizable layout of the main panels. */
import { useState } from 'react';
import { EditorPanel } from '../editor/EditorPanel.tsx';
import { parseLayout, type LayoutSizes } from '../state/layout.ts';
import { type KeyValueStore, readPersisted, writePersisted } from '../state/persist.ts';
import type { EffectiveTheme } from '../theme/theme.ts';
import { OutputPanel } from './OutputPanel.tsx';
import { PacketsPanel } from './PacketsPanel.tsx';
import { EmptyState, Panel } from './Panel.tsx';
import { Splitter } from './Splitter.tsx';
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
          <Panel title="Registers">
            <EmptyState>Register states per instruction, as the verifier tracked them, appear here once the state view lands.</EmptyState>
          </Panel>
          <Panel title="Stack">
            <EmptyState>The stack frame, slot by slot as the verifier sees it, appears here once the state view lands.</EmptyState>
          </Panel>
          <Panel title="Maps" className="maps-panel">
            <EmptyState>Maps and their entries appear here once the runtime with maps and helpers lands.</EmptyState>
          </Panel>
        </div>
      </div>
    </main>
  );
}
