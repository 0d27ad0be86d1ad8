/**
 * One program of an ObjectSpec as a bundle — the JSON that ../shared/tools/kbpf.py
 * and `bin/bpfiddle verify|run` read (see CLI.md) — so an ELF program can be
 * checked against the real kernel or fed to the existing bundle pipeline.
 */
import { bytesToHex, encodeInsns } from '../isa/insn.ts';
import type { MapSpec } from '../program.ts';
import type { ElfMapSpec, ObjectSpec } from './object-spec.ts';

export interface BundleMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  mapExtra?: number;
  innerMap?: BundleMap;
  init?: ({ key: string; value: string } | { key: string; map: number })[];
}

export interface Bundle {
  progType: string;
  progName: string;
  insns: string;
  license: string;
  maps: BundleMap[];
  kernVersion?: number;
  expectedAttachType?: number;
  progFlags?: number;
  logLevel?: number;
  runs?: { data: string; repeat?: number }[];
}

export interface BundleOptions {
  /** perf_event_array maps declared without max_entries get one slot per CPU, as libbpf does */
  possibleCpus?: number;
  packets?: Uint8Array[];
  logLevel?: number;
}

export function programBundle(obj: ObjectSpec, programIndex: number, opts: BundleOptions = {}): Bundle | null {
  const p = obj.programs[programIndex];
  if (!p) return null;
  const b: Bundle = {
    progType: p.progType,
    progName: p.name.slice(0, 15),
    insns: bytesToHex(encodeInsns(p.insns)),
    license: p.license,
    maps: obj.maps.map((m) => bundleMap(m, opts.possibleCpus ?? 1)),
  };
  if (p.kernVersion) b.kernVersion = p.kernVersion;
  if (p.expectedAttachType !== undefined) b.expectedAttachType = p.expectedAttachType;
  if (p.progFlags) b.progFlags = p.progFlags;
  if (opts.logLevel !== undefined) b.logLevel = opts.logLevel;
  if (opts.packets) b.runs = opts.packets.map((d) => ({ data: bytesToHex(d), repeat: 1 }));
  return b;
}

function bundleMap(m: MapSpec | ElfMapSpec, cpus: number): BundleMap {
  const out: BundleMap = {
    name: m.name,
    type: m.type,
    keySize: m.keySize,
    valueSize: m.valueSize,
    maxEntries: m.type === 'perf_event_array' && m.maxEntries === 0 ? cpus : m.maxEntries,
    flags: m.flags,
  };
  if (m.mapExtra) out.mapExtra = m.mapExtra;
  const init: NonNullable<BundleMap['init']> = (m.init ?? []).map((e) => ({ key: bytesToHex(e.key), value: bytesToHex(e.value) }));
  if ('initMaps' in m && m.initMaps) {
    for (const s of m.initMaps) init.push({ key: bytesToHex(u32le(s.key)), map: s.map });
  }
  if (init.length) out.init = init;
  if ('innerMap' in m && m.innerMap) out.innerMap = bundleMap(m.innerMap, cpus);
  return out;
}

function u32le(n: number): Uint8Array {
  return new Uint8Array([n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff]);
}
