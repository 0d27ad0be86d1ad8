/**
 * Bundles: the JSON program format that ../shared/tools/kbpf.py reads
 * (CLI.md "Inputs"), parsed into a ProgramSpec plus its test runs. Shared by
 * the commands that take bundles. Bad input is a message, never an exception.
 *
 * Defaults follow kbpf.py: progType "xdp", license "GPL", logLevel 2, maps
 * of type "array" with keySize 4 / valueSize 8 / maxEntries 16. When a bundle
 * has both "insns" and "asm", "insns" wins.
 *
 * Extension: a map may say `"frozen": true` (frozen with BPF_MAP_FREEZE
 * after its "init" entries are written, as libbpf does for .rodata; with
 * flags 0x80, BPF_F_RDONLY_PROG, it can hold bpf_strncmp's constant string).
 * kbpf.py itself ignores it, so such a bundle compares with the kernel only
 * through a recorder that freezes (test-data/asm/kbpf-frozen.py).
 */
import { assemble } from '../core/asm/index.ts';
import { bytesToHex, hexToBytes, insnsFromHex } from '../core/isa/insn.ts';
import { isMapType, isProgType, type MapEntrySpec, type MapSpec, type ProgType, type ProgramSpec } from '../core/program.ts';

export interface BundleRun {
  /** the packet (or data) of this test run */
  data: Uint8Array;
  /** how many times the kernel would repeat the run (durationNs is the mean) */
  repeat: number;
  /** ctx_in (kbpf.py's runs[].ctx): xdp_md / __sk_buff fields, or the ctx of other program types */
  ctx?: Uint8Array;
  /** BPF_PROG_TEST_RUN's cpu and flags, passed through as kbpf.py does */
  cpu?: number;
  flags?: number;
}

export interface Bundle {
  program: ProgramSpec;
  runs: BundleRun[];
  logLevel: number;
}

export type BundleResult = { ok: true; bundle: Bundle } | { ok: false; error: string };

/** kbpf.py's aliases for program type names. */
const PROG_TYPE_ALIASES: Record<string, ProgType> = {
  tc: 'sched_cls',
  classifier: 'sched_cls',
  action: 'sched_act',
  raw_tp: 'raw_tracepoint',
  tp: 'tracepoint',
  socket: 'socket_filter',
  raw_tp_writable: 'raw_tracepoint_writable',
};

/** Parse bundle JSON text. `where` names the input in messages ("prog.json", "line 3"). */
export function parseBundleText(text: string, where: string): BundleResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return parseBundle(value, where);
}

export function parseBundle(value: unknown, where: string): BundleResult {
  const fail = (msg: string): BundleResult => ({ ok: false, error: `${where}: ${msg}` });
  if (!isObject(value)) return fail('a bundle must be a JSON object');
  const progTypeName = value.progType ?? 'xdp';
  if (typeof progTypeName !== 'string') return fail('"progType" must be a string');
  const progType = isProgType(progTypeName) ? progTypeName : PROG_TYPE_ALIASES[progTypeName];
  if (progType === undefined) return fail(`unknown progType '${progTypeName}'`);
  const license = value.license ?? 'GPL';
  if (typeof license !== 'string') return fail('"license" must be a string');
  const logLevel = value.logLevel ?? 2;
  if (typeof logLevel !== 'number' || !Number.isInteger(logLevel)) return fail('"logLevel" must be an integer');

  const maps: MapSpec[] = [];
  const mapsValue = value.maps ?? [];
  if (!Array.isArray(mapsValue)) return fail('"maps" must be an array');
  for (let i = 0; i < mapsValue.length; i++) {
    const m = parseMap(mapsValue[i], `maps[${i}]`, `m${i}`);
    if (typeof m === 'string') return fail(m);
    const inner = innerMapOf(mapsValue[i], m, i, maps);
    if (typeof inner === 'string') return fail(inner);
    if (inner) m.innerMap = inner;
    maps.push(m);
  }
  for (let i = 0; i < maps.length; i++) {
    const bad = maps[i].init?.findIndex((e) => e.mapIndex !== undefined && e.mapIndex >= maps.length);
    if (bad !== undefined && bad >= 0) return fail(`maps[${i}].init[${bad}].map index out of range`);
  }

  const runs: BundleRun[] = [];
  const runsValue = value.runs ?? [];
  if (!Array.isArray(runsValue)) return fail('"runs" must be an array');
  for (let i = 0; i < runsValue.length; i++) {
    const r = parseRun(runsValue[i], i);
    if (typeof r === 'string') return fail(r);
    runs.push(r);
  }

  let program: ProgramSpec;
  if (value.insns !== undefined || value.insnsList !== undefined) {
    const hex = typeof value.insns === 'string' ? value.insns : Array.isArray(value.insnsList) && value.insnsList.every((x) => typeof x === 'string') ? value.insnsList.join('') : null;
    if (hex === null) return fail('"insns" must be a hex string ("insnsList" a list of hex strings)');
    const decoded = insnsFromHex(hex);
    if (!decoded.ok) return fail(`"insns": ${decoded.error}`);
    if (decoded.insns.length === 0) return fail('"insns" is empty');
    program = { name: 'prog', progType, insns: decoded.insns, maps, license };
  } else if (typeof value.asm === 'string') {
    const assembled = assemble(value.asm);
    if (!assembled.ok) {
      const first = assembled.diagnostics.find((d) => d.severity === 'error') ?? assembled.diagnostics[0];
      return fail(first ? `"asm" line ${first.line}:${first.column}: ${first.message}` : '"asm" does not assemble');
    }
    program = { ...assembled.program, progType, license, maps: maps.length > 0 ? maps : assembled.program.maps };
  } else {
    return fail('the bundle has neither "insns" (hex) nor "asm" (text)');
  }
  return { ok: true, bundle: { program, runs, logLevel } };
}

/** kbpf.py's inner map when a map-in-map bundle names none */
const DEFAULT_INNER_MAP: MapSpec = { name: 'inner', type: 'array', keySize: 4, valueSize: 4, maxEntries: 1, flags: 0 };

/** `innerMap`: a map object, or the index of an earlier map used as the template (kbpf.py). */
function innerMapOf(value: unknown, m: MapSpec, i: number, earlier: readonly MapSpec[]): MapSpec | string | undefined {
  if (m.type !== 'array_of_maps' && m.type !== 'hash_of_maps') return undefined;
  const inner = isObject(value) ? value.innerMap : undefined;
  if (inner === undefined) return DEFAULT_INNER_MAP;
  if (typeof inner === 'number') {
    if (!Number.isInteger(inner) || inner < 0 || inner >= earlier.length) return `maps[${i}].innerMap index out of range`;
    return earlier[inner];
  }
  return parseMap(inner, `maps[${i}].innerMap`, 'inner');
}

function parseMap(value: unknown, at: string, defaultName: string): MapSpec | string {
  if (!isObject(value)) return `${at} must be an object`;
  const type = value.type ?? 'array';
  if (typeof type !== 'string' || !isMapType(type)) return `${at}.type: unknown map type '${String(type)}'`;
  const int = (key: string, dflt: number): number | string => {
    const v = value[key] ?? dflt;
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : `${at}.${key} must be a non-negative integer`;
  };
  const keySize = int('keySize', 4);
  const valueSize = int('valueSize', 8);
  const maxEntries = int('maxEntries', 16);
  const flags = int('flags', 0);
  for (const v of [keySize, valueSize, maxEntries, flags]) if (typeof v === 'string') return v;
  const name = value.name ?? defaultName;
  if (typeof name !== 'string') return `${at}.name must be a string`;
  const init: MapEntrySpec[] = [];
  const initValue = value.init ?? [];
  if (!Array.isArray(initValue)) return `${at}.init must be an array`;
  for (let j = 0; j < initValue.length; j++) {
    const e = initValue[j];
    const shape = `${at}.init[${j}] must be {"key": "hex", "value": "hex"} or, in a map of maps, {"key": "hex", "map": index}`;
    if (!isObject(e) || typeof e.key !== 'string') return shape;
    const k = hexToBytes(e.key);
    if (!k.ok) return `${at}.init[${j}].key: ${k.error}`;
    if (e.map !== undefined) {
      // map-in-map: the value is the inner map's fd; in a run session a map's fd is its index
      if (typeof e.map !== 'number' || !Number.isInteger(e.map) || e.map < 0) return `${at}.init[${j}].map index out of range`;
      init.push({ key: k.bytes, value: u32le(e.map), mapIndex: e.map });
      continue;
    }
    if (typeof e.value !== 'string') return shape;
    const v = hexToBytes(e.value);
    if (!v.ok) return `${at}.init[${j}].value: ${v.error}`;
    init.push({ key: k.bytes, value: v.bytes });
  }
  const frozen = value.frozen ?? false;
  if (typeof frozen !== 'boolean') return `${at}.frozen must be true or false`;
  const spec: MapSpec = { name, type, keySize: keySize as number, valueSize: valueSize as number, maxEntries: maxEntries as number, flags: flags as number };
  if (value.mapExtra !== undefined) {
    const extra = int('mapExtra', 0);
    if (typeof extra === 'string') return extra;
    spec.mapExtra = extra;
  }
  if (init.length > 0) spec.init = init;
  if (frozen) spec.frozen = true;
  return spec;
}

/**
 * A map in the bundle's spelling, the inverse of the parser: initial
 * entries as hex (map-in-map slots as `"map": index`), the inner map as an
 * object, and the "frozen" extension.
 */
export function bundleMapJson(m: MapSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries, flags: m.flags };
  if (m.mapExtra !== undefined) out.mapExtra = m.mapExtra;
  if (m.innerMap) out.innerMap = bundleMapJson(m.innerMap);
  if (m.init?.length) {
    out.init = m.init.map((e) => (e.mapIndex !== undefined ? { key: bytesToHex(e.key), map: e.mapIndex } : { key: bytesToHex(e.key), value: bytesToHex(e.value) }));
  }
  if (m.frozen) out.frozen = true;
  return out;
}

function parseRun(value: unknown, i: number): BundleRun | string {
  const at = `runs[${i}]`;
  if (!isObject(value)) return `${at} must be an object`;
  const dataHex = value.data ?? '';
  if (typeof dataHex !== 'string') return `${at}.data must be a hex string`;
  const data = hexToBytes(dataHex);
  if (!data.ok) return `${at}.data: ${data.error}`;
  const repeat = value.repeat ?? 1;
  if (typeof repeat !== 'number' || !Number.isInteger(repeat) || repeat < 0) return `${at}.repeat must be a non-negative integer`;
  const run: BundleRun = { data: data.bytes, repeat: Math.max(1, repeat) };
  if (value.ctx !== undefined) {
    if (typeof value.ctx !== 'string') return `${at}.ctx must be a hex string`;
    const ctx = hexToBytes(value.ctx);
    if (!ctx.ok) return `${at}.ctx: ${ctx.error}`;
    run.ctx = ctx.bytes;
  }
  for (const key of ['cpu', 'flags'] as const) {
    const v = value[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) return `${at}.${key} must be an integer from 0 to 4294967295`;
    run[key] = v;
  }
  return run;
}

function u32le(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n, true);
  return b;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
