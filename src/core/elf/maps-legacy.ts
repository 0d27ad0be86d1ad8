/**
 * The pre-BTF "maps" section: an array of struct bpf_map_def { type, key_size,
 * value_size, max_entries, map_flags, ... } (u32 each), one per symbol.
 * libbpf 1.0 dropped it; older samples and books still use it. As old libbpf
 * did, the definition size is the section size divided by the number of maps.
 */
import { ByteView } from './bytes.ts';
import { fail } from './errors.ts';
import type { ElfSymbol, Section } from './elf-file.ts';
import { mapTypeName } from './maps-btf.ts';
import type { ElfMapSpec } from './object-spec.ts';

export interface LegacyMapDef {
  spec: ElfMapSpec;
  offset: number;
}

export function readLegacyMaps(section: Section, symbols: ElfSymbol[]): LegacyMapDef[] {
  const syms = symbols
    .filter((s) => s.shndx === section.index && s.type !== 3 /* STT_SECTION */ && s.name !== '')
    .sort((a, b) => a.value - b.value);
  if (syms.length === 0) return [];
  if (section.size % syms.length !== 0) fail(`section size ${section.size} is not a multiple of ${syms.length} map definitions`);
  const defSize = section.size / syms.length;
  if (defSize < 16) fail(`map definitions of ${defSize} bytes are too small (need type, key_size, value_size, max_entries)`);
  const v = new ByteView(section.data);
  return syms.map((sym) => {
    if (sym.value % defSize !== 0) fail(`map ${sym.name} at offset ${sym.value} is not aligned to the ${defSize}-byte definition size`);
    const field = (i: number): number => (i * 4 + 4 <= defSize ? v.u32(sym.value + i * 4, `map ${sym.name}`) : 0);
    const type = mapTypeName(field(0));
    if (!type) fail(`map ${sym.name}: unknown map type ${field(0)}`);
    return {
      offset: sym.value,
      spec: {
        name: sym.name,
        type,
        keySize: field(1),
        valueSize: field(2),
        maxEntries: field(3),
        flags: field(4),
        origin: 'legacy',
        btfKeyTypeId: 0,
        btfValueTypeId: 0,
      },
    };
  });
}
