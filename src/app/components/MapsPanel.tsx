/**
 * The Maps region: every map the program declares, its entries after the last
 * Run (hex, and integers as numbers; per-CPU maps per CPU), and the seeds the
 * user puts in before each Run.
 */
import { useState, type FormEvent } from 'react';
import type { MapDecl, MapSeed, MapView } from '../../bridge/index.ts';
import { useApp } from '../AppContext.tsx';
import { integerReading, spacedHex } from '../maps/format.ts';
import { makeSeed } from '../state/seeds.ts';
import { EmptyState, Panel } from './Panel.tsx';

export function MapsPanel() {
  const declared = useApp((s) => s.declaredMaps);
  const runView = useApp((s) => s.runView);
  const seeds = useApp((s) => s.mapSeeds);
  const live = runView.state === 'done' && runView.reply.run ? runView.reply.run.maps : null;
  return (
    <Panel title="Maps" className="maps-panel">
      {declared.length === 0 ? (
        <EmptyState>Maps the program declares (.map NAME TYPE key=K value=V entries=N) appear here after Verify or Run.</EmptyState>
      ) : (
        declared.map((m) => <MapCard key={m.name} decl={m} live={live?.find((v) => v.name === m.name) ?? null} seeds={seeds} />)
      )}
    </Panel>
  );
}

/** Hex, then the BTF-typed reading when the object has one, else the integer reading. */
function ValueCell({ hex, typed }: { hex: string; typed?: string }) {
  const n = typed ?? integerReading(hex);
  return (
    <>
      <code>{spacedHex(hex)}</code>
      {n !== null && <span className={typed !== undefined ? 'btf-reading' : 'int-reading'}> = {n}</span>}
    </>
  );
}

function MapCard({ decl, live, seeds }: { decl: MapDecl; live: MapView | null; seeds: MapSeed[] }) {
  const mine = seeds.map((s, i) => ({ s, i })).filter(({ s }) => s.map === decl.name);
  return (
    <section className="map-card" aria-label={`Map ${decl.name}`}>
      <h3 className="subheading">
        {decl.name}{' '}
        <span className="muted small">
          {decl.type}, key {decl.keySize} B, value {decl.valueSize} B, {decl.maxEntries} entries
        </span>
      </h3>
      {live === null ? (
        <p className="muted small">Run the program to see its entries.</p>
      ) : live.note ? (
        <p className="muted small">{live.note}</p>
      ) : live.records ? (
        live.records.length === 0 ? (
          <p className="muted small">No records waiting in the ring buffer.</p>
        ) : (
          <ol className="event-list" aria-label={`${decl.name} records`}>
            {live.records.map((r, i) => (
              <li key={i}>
                <ValueCell hex={r} />
              </li>
            ))}
          </ol>
        )
      ) : live.entries.length === 0 ? (
        <p className="muted small">No entries.</p>
      ) : (
        <table className="data-table" aria-label={`${decl.name} entries`}>
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {live.entries.map((e) => (
              <tr key={e.keyHex}>
                <td>
                  <ValueCell hex={e.keyHex} typed={e.keyText} />
                </td>
                <td>
                  {e.perCpuHex ? (
                    <ul className="percpu">
                      {e.perCpuHex.map((v, cpu) => (
                        <li key={cpu}>
                          <span className="muted">CPU {cpu}:</span> <ValueCell hex={v} typed={e.perCpuText?.[cpu]} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <ValueCell hex={e.valueHex} typed={e.valueText} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {mine.length > 0 && <SeedList decl={decl} seeds={mine} />}
      {decl.keySize > 0 && <SeedForm decl={decl} />}
    </section>
  );
}

function SeedList({ decl, seeds }: { decl: MapDecl; seeds: { s: MapSeed; i: number }[] }) {
  const removeSeed = useApp((s) => s.removeSeed);
  return (
    <ul className="seed-list" aria-label={`${decl.name} seeds`}>
      {seeds.map(({ s, i }) => (
        <li key={i}>
          <span className="muted">seed</span> <ValueCell hex={s.keyHex} /> → <ValueCell hex={s.valueHex} />{' '}
          <button type="button" className="link-button" onClick={() => removeSeed(i)} aria-label={`Remove seed ${spacedHex(s.keyHex)} of ${decl.name}`}>
            remove
          </button>
        </li>
      ))}
    </ul>
  );
}

function SeedForm({ decl }: { decl: MapDecl }) {
  const addSeed = useApp((s) => s.addSeed);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const made = makeSeed(decl, key, value);
    if (!made.ok) {
      setError(made.error);
      return;
    }
    addSeed(made.seed);
    setError(null);
    setKey('');
    setValue('');
  };
  return (
    <form className="seed-form" onSubmit={submit} aria-label={`Seed ${decl.name}`}>
      <input aria-label={`${decl.name} seed key`} placeholder={`key (${decl.keySize} B)`} value={key} onChange={(e) => setKey(e.target.value)} />
      <input aria-label={`${decl.name} seed value`} placeholder={`value (${decl.valueSize} B)`} value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit">Seed</button>
      {error && (
        <span className="status-error small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
