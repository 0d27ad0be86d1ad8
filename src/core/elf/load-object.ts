/**
 * loadObject: a clang `--target=bpf` ELF object in, an ObjectSpec out, the way
 * libbpf opens and prepares one (maps, global data, subprograms, relocations,
 * BTF, CO-RE) but without a kernel. Never throws: every failure comes back as
 * `{ ok: false, error }` naming the step that failed.
 */
import { parseBtf, type ParsedBtf } from '../btf/parse-btf.ts';
import { parseBtfExt, type BtfExt } from '../btf/parse-btf-ext.ts';
import type { Btf } from '../btf/types.ts';
import { fixupDatasecs } from '../btf/fixup.ts';
import { makeCoreApplier } from '../btf/core-relo.ts';
import { kernelBtf } from '../btf/kernel-btf.ts';
import { ByteView } from './bytes.ts';
import { describeError, fail, step } from './errors.ts';
import { parseElf, SHF_EXECINSTR, type ElfFile, type Section } from './elf-file.ts';
import { readCode } from './functions.ts';
import { linkProgram, type MapResolver } from './link.ts';
import { readBtfMaps } from './maps-btf.ts';
import { dataKind, dataMap } from './maps-data.ts';
import { readLegacyMaps } from './maps-legacy.ts';
import type { ElfMapSpec, ElfProgramSpec, LoadObjectResult, ObjectSpec } from './object-spec.ts';
import { sectionDef } from './section-types.ts';

export interface LoadObjectOptions {
  /** file name (with or without directory / ".o"); names the global data maps as libbpf does */
  fileName?: string;
}

export function loadObject(bytes: Uint8Array, options: LoadObjectOptions = {}): LoadObjectResult {
  try {
    return { ok: true, object: load(bytes, objectName(options.fileName)) };
  } catch (e) {
    return { ok: false, error: describeError(e) };
  }
}

/** libbpf's object name: the file's base name up to its first dot. */
export function objectName(fileName: string | undefined): string {
  if (!fileName) return 'obj';
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const stem = base.split('.')[0];
  return stem || 'obj';
}

function load(bytes: Uint8Array, name: string): ObjectSpec {
  if (!(bytes instanceof Uint8Array)) fail('input is not a byte array');
  const elf = parseElf(bytes);
  const warnings: string[] = [];
  const bySection = (n: string): Section | undefined => elf.sections.find((s) => s.name === n);

  const license = step('read license', () => readLicense(bySection('license')));
  const version = step('read version', () => readVersion(bySection('version')));
  const parsedBtf = step('load BTF', () => readBtf(bySection('.BTF'), elf));
  const btf = parsedBtf?.btf;
  const ext = step('load BTF.ext', () => readBtfExt(bySection('.BTF.ext'), parsedBtf));
  const code = readCode(elf);
  const { maps, resolver } = step('load maps', () => collectMaps(elf, name, btf, warnings));

  const core = btf ? makeCoreApplier(btf, kernelBtf()) : undefined;
  const programs: ElfProgramSpec[] = [];
  for (const c of code.values()) {
    if (c.section.name === '.text') continue;
    const def = sectionDef(c.section.name);
    for (const f of [...c.funcs].sort((a, b) => a.symbolIndex - b.symbolIndex)) {
      if (!def) {
        warnings.push(`program ${f.name}: section "${c.section.name}" does not name a program type libbpf knows; skipped`);
        continue;
      }
      const linked = linkProgram(f, { code, maps: resolver, btf, ext, core });
      const prog: ElfProgramSpec = {
        name: f.name,
        section: c.section.name,
        progType: def.progType,
        insns: linked.insns,
        maps,
        license,
        kernVersion: version,
        funcInfo: linked.funcInfo,
        lineInfo: linked.lineInfo,
        coreRelocs: linked.coreRelocs,
        subprograms: linked.subprograms,
      };
      if (def.expectedAttachType !== undefined) prog.expectedAttachType = def.expectedAttachType;
      if (def.progFlags) prog.progFlags = def.progFlags;
      const slash = c.section.name.indexOf('/');
      if (slash > 0) prog.attachTo = c.section.name.slice(slash + 1);
      for (const r of linked.coreRelocs) {
        if (r.error) warnings.push(`program ${f.name}: CO-RE relocation at insn ${r.insn} (${r.spec}): ${r.error}`);
      }
      programs.push(prog);
    }
  }
  if (programs.length === 0 && warnings.length === 0) warnings.push('the object contains no programs');
  const spec: ObjectSpec = { name, programs, maps, license, version, warnings };
  if (btf) spec.btf = btf;
  return spec;
}

function readLicense(s: Section | undefined): string {
  if (!s) return '';
  const end = s.data.indexOf(0);
  return new ByteView(s.data).slice(0, end < 0 ? s.data.length : end, 'license').reduce((acc, b) => acc + String.fromCharCode(b), '');
}

function readVersion(s: Section | undefined): number {
  if (!s) return 0;
  if (s.size !== 4) fail(`section is ${s.size} bytes, expected 4`);
  return new ByteView(s.data).u32(0, 'version');
}

function readBtf(s: Section | undefined, elf: ElfFile): ParsedBtf | undefined {
  if (!s) return undefined;
  const parsed = parseBtf(s.data);
  fixupDatasecs(parsed.btf, elf.sections, elf.symbols);
  return parsed;
}

function readBtfExt(s: Section | undefined, btf: ParsedBtf | undefined): BtfExt | undefined {
  if (!s) return undefined;
  if (!btf) fail('the object has .BTF.ext but no .BTF');
  return parseBtfExt(s.data, btf.strings);
}

function collectMaps(elf: ElfFile, objName: string, btf: Btf | undefined, warnings: string[]): { maps: ElfMapSpec[]; resolver: MapResolver } {
  const maps: ElfMapSpec[] = [];
  const byOffset = new Map<number, Map<number, number>>();
  const dataBySection = new Map<number, number>();
  const addAt = (section: number, offset: number, index: number): void => {
    const m = byOffset.get(section) ?? new Map<number, number>();
    m.set(offset, index);
    byOffset.set(section, m);
  };

  // Order as libbpf lists them: legacy "maps", then BTF-defined ".maps", then global data.
  const legacy = elf.sections.find((s) => s.name === 'maps');
  if (legacy) {
    for (const d of step('legacy "maps" section', () => readLegacyMaps(legacy, elf.symbols))) {
      addAt(legacy.index, d.offset, maps.length);
      maps.push(d.spec);
    }
    byOffset.set(legacy.index, byOffset.get(legacy.index) ?? new Map());
  }
  const btfMaps = elf.sections.find((s) => s.name === '.maps');
  if (btfMaps) {
    if (!btf) fail('.maps section needs BTF (compile with -g)');
    const defs = readBtfMaps(btf);
    const first = maps.length;
    for (const d of defs) {
      addAt(btfMaps.index, d.offset, maps.length);
      maps.push(d.spec);
    }
    byOffset.set(btfMaps.index, byOffset.get(btfMaps.index) ?? new Map());
    step('map-in-map initialisers', () => initInnerSlots(elf, btfMaps, defs, first, maps));
  }
  for (const s of elf.sections) {
    const kind = dataKind(s);
    if (!kind || s.size === 0) continue;
    dataBySection.set(s.index, maps.length);
    maps.push(dataMap(objName, s, kind, btf));
  }
  for (const s of elf.sections) {
    if (s.name === '.kconfig' || s.name === '.ksyms') warnings.push(`section ${s.name} (externs) is not supported`);
  }
  const resolver: MapResolver = {
    mapAt: (section, offset) => byOffset.get(section)?.get(offset),
    dataMap: (section) => dataBySection.get(section),
    isMapSection: (section) => byOffset.has(section),
  };
  return { maps, resolver };
}

/** `.values = { [i] = &inner }` leaves relocations in .rel.maps at the slot's offset. */
function initInnerSlots(
  elf: ElfFile,
  section: Section,
  defs: ReturnType<typeof readBtfMaps>,
  first: number,
  maps: ElfMapSpec[],
): void {
  for (const r of elf.relocations.get(section.index) ?? []) {
    const owner = defs.findIndex((d) => r.offset >= d.offset && r.offset < d.offset + d.size);
    if (owner < 0) fail(`relocation at .maps+${r.offset} is outside every map definition`);
    const d = defs[owner];
    if (d.valuesOffset === null || r.offset < d.offset + d.valuesOffset) fail(`map ${d.spec.name}: relocation at .maps+${r.offset} is not in its "values" array`);
    const rel = r.offset - d.offset - d.valuesOffset;
    if (rel % 8 !== 0) fail(`map ${d.spec.name}: "values" slot at byte ${rel} is misaligned`);
    const spec = maps[first + owner];
    if (spec.type === 'prog_array') {
      const isFunc = elf.sections[r.symbol.shndx] !== undefined && (elf.sections[r.symbol.shndx].flags & SHF_EXECINSTR) !== 0;
      if (!isFunc || !r.symbol.name) fail(`map ${d.spec.name}: slot ${rel / 8} refers to ${r.symbol.name || 'a section'}, which is not a program`);
      spec.initProgs = [...(spec.initProgs ?? []), { key: rel / 8, program: r.symbol.name }];
      continue;
    }
    const target = defs.findIndex((x) => x.offset === r.symbol.value);
    if (r.symbol.shndx !== section.index || target < 0) fail(`map ${d.spec.name}: slot ${rel / 8} refers to ${r.symbol.name}, which is not a map`);
    spec.initMaps = [...(spec.initMaps ?? []), { key: rel / 8, map: first + target }];
  }
}
