/**
 * `.init` directives → the maps' initial entries (MapSpec.init), checked the
 * way BPF_MAP_UPDATE_ELEM would refuse them at load time, but reported at
 * the directive's line and column instead of as a load failure.
 */
import type { MapEntrySpec, MapSpec, MapType } from '../../program.ts';
import { LineError, Span } from './cursor.ts';
import { fitDataLiteral } from './data-literal.ts';
import type { InitDirective } from './directives.ts';

export interface PlacedInit {
  init: InitDirective;
  line: number;
}

export interface InitProblem {
  line: number;
  span: Span;
  message: string;
  severity: 'error' | 'warning';
}

/** Maps whose entries user space writes as bytes; the rest hold fds, sockets or records. */
const KEYED: ReadonlySet<MapType> = new Set(['hash', 'array', 'percpu_hash', 'percpu_array', 'lru_hash', 'lru_percpu_hash', 'lpm_trie']);
/** Maps without keys: BPF_MAP_UPDATE_ELEM pushes (queue, stack) or adds (bloom_filter) the value. */
const KEYLESS: ReadonlySet<MapType> = new Set(['queue', 'stack', 'bloom_filter']);
const ARRAYS: ReadonlySet<MapType> = new Set(['array', 'percpu_array']);

/** Fill `maps[].init` from the directives, in source order; returns the problems found. */
export function applyInits(maps: readonly MapSpec[], inits: readonly PlacedInit[]): InitProblem[] {
  const problems: InitProblem[] = [];
  const seen = new Map<MapSpec, Map<string, number>>();
  for (const { init, line } of inits) {
    try {
      const map = maps.find((m) => m.name === init.map);
      if (!map) throw new LineError(`undefined map '${init.map}'; declare it first, like '.map ${init.map} array key=4 value=8 entries=1'`, init.mapSpan);
      const entry = entryFor(map, init);
      let keys = seen.get(map);
      if (!keys) {
        // entries that came with the map (.rodata) count as given on its own line
        keys = new Map((map.init ?? []).map((e, i) => [KEYLESS.has(map.type) ? `#${i}` : hex(e.key), 0]));
        seen.set(map, keys);
      }
      const id = KEYLESS.has(map.type) ? `#${keys.size}` : hex(entry.key);
      const earlier = keys.get(id);
      if (earlier !== undefined) {
        const where = earlier ? `on line ${earlier}` : 'by its declaration';
        problems.push({ line, span: init.key?.span ?? init.mapSpan, message: `this key was already given ${where}; the later value wins`, severity: 'warning' });
      } else if (keys.size >= map.maxEntries && map.type !== 'bloom_filter') {
        throw new LineError(`map '${map.name}' has room for ${map.maxEntries} entr${map.maxEntries === 1 ? 'y' : 'ies'} (entries=${map.maxEntries})`, init.key?.span ?? init.mapSpan);
      }
      keys.set(id, line);
      map.init = [...(map.init ?? []), entry];
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      problems.push({ line, span: e.span, message: e.message, severity: 'error' });
    }
  }
  return problems;
}

function entryFor(map: MapSpec, init: InitDirective): MapEntrySpec {
  if (KEYLESS.has(map.type)) {
    if (init.key) throw new LineError(`a ${map.type} map has no keys; write '.init ${map.name} = VALUE'`, init.key.span);
    return { key: new Uint8Array(0), value: fitDataLiteral(init.value, map.valueSize, `value of map '${map.name}'`) };
  }
  if (!KEYED.has(map.type)) {
    throw new LineError(`.init cannot fill a ${map.type} map; it takes entries for ${[...KEYED, ...KEYLESS].join(', ')} maps`, init.mapSpan);
  }
  if (!init.key) throw new LineError(`a ${map.type} map needs a key: '.init ${map.name} KEY = VALUE'`, init.mapSpan);
  const key = fitDataLiteral(init.key, map.keySize, `key of map '${map.name}'`);
  if (ARRAYS.has(map.type) && key.length === 4) {
    const index = new DataView(key.buffer).getUint32(0, true);
    if (index >= map.maxEntries) throw new LineError(`index ${index} is past the end of array '${map.name}' (entries=${map.maxEntries})`, init.key.span);
  }
  return { key, value: fitDataLiteral(init.value, map.valueSize, `value of map '${map.name}'`) };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
