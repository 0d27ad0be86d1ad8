/**
 * clang leaves DATASEC sizes (and, for some versions, variable offsets) at 0 in
 * object files; the loader knows them from the ELF. Like libbpf's
 * btf_fixup_datasec, fill them in so typed views of global data line up.
 */
import type { ElfSymbol, Section } from '../elf/elf-file.ts';
import { typeAt } from './inspect.ts';
import type { Btf } from './types.ts';

export function fixupDatasecs(btf: Btf, sections: Section[], symbols: ElfSymbol[]): void {
  for (const t of btf.types) {
    if (t.kind !== 'datasec') continue;
    const sec = sections.find((s) => s.name === t.name);
    if (!sec) continue;
    t.size = sec.size;
    for (const vsi of t.vars) {
      const v = typeAt(btf, vsi.type);
      if (!v || v.kind !== 'var') continue;
      const sym = symbols.find((s) => s.shndx === sec.index && s.name === v.name && s.type !== 3);
      if (sym) vsi.offset = sym.value;
    }
  }
}
