/**
 * Global variables: each .data*, .rodata* and .bss section becomes a
 * single-entry array map whose value is the section, named the way libbpf
 * names it (internal_map_name): up to 8 characters of the object name then
 * the section name (".rodata" -> "globals.rodata"), except sections with a
 * second dot (".rodata.str1.1"), which keep their own name; 15 characters max.
 */
import type { Btf } from '../btf/types.ts';
import { BTF_VAR_STATIC } from '../btf/types.ts';
import { typeAt } from '../btf/inspect.ts';
import { SHT_NOBITS, SHT_PROGBITS, type Section } from './elf-file.ts';
import type { ElfMapSpec } from './object-spec.ts';
import { BPF_F_RDONLY_PROG } from '../program.ts';

/** BPF_F_MMAPABLE (uapi/linux/bpf.h); BPF_F_RDONLY_PROG lives with MapSpec. */
export { BPF_F_RDONLY_PROG };
export const BPF_F_MMAPABLE = 1 << 10;
const BPF_OBJ_NAME_LEN = 16;

export type DataKind = 'data' | 'rodata' | 'bss';

export function dataKind(s: Section): DataKind | null {
  if (s.type === SHT_NOBITS && s.name === '.bss') return 'bss';
  if (s.type !== SHT_PROGBITS) return null;
  if (s.name === '.data' || s.name.startsWith('.data.')) return 'data';
  if (s.name === '.rodata' || s.name.startsWith('.rodata.')) return 'rodata';
  return null;
}

export function internalMapName(objName: string, section: string): string {
  const maxLen = BPF_OBJ_NAME_LEN - 1;
  const sfxLen = Math.min(Math.max(7, section.length), maxLen);
  const custom = section.indexOf('.', 1) >= 0;
  const pfxLen = custom ? 0 : Math.min(maxLen - sfxLen, objName.length);
  const name = objName.slice(0, pfxLen) + section.slice(0, sfxLen);
  return name.replace(/[^A-Za-z0-9_.]/g, '_');
}

export function dataMap(objName: string, s: Section, kind: DataKind, btf: Btf | undefined): ElfMapSpec {
  const secId = btf ? btf.types.findIndex((t) => t.kind === 'datasec' && t.name === s.name) : -1;
  let flags = kind === 'rodata' ? BPF_F_RDONLY_PROG : 0;
  if (btf && secId >= 0 && hasGlobalVar(btf, secId)) flags |= BPF_F_MMAPABLE;
  const spec: ElfMapSpec = {
    name: internalMapName(objName, s.name),
    type: 'array',
    keySize: 4,
    valueSize: s.size,
    maxEntries: 1,
    flags,
    origin: 'data',
    section: s.name,
    btfKeyTypeId: 0,
    btfValueTypeId: Math.max(secId, 0),
  };
  if (kind !== 'bss') spec.init = [{ key: new Uint8Array(4), value: s.data.slice() }];
  if (kind === 'rodata') spec.frozen = true;
  return spec;
}

/** libbpf makes a global data map mmap-able when it holds a non-static variable. */
function hasGlobalVar(btf: Btf, secId: number): boolean {
  const sec = btf.types[secId];
  if (sec.kind !== 'datasec') return false;
  return sec.vars.some((vsi) => {
    const v = typeAt(btf, vsi.type);
    return v !== undefined && v.kind === 'var' && v.linkage !== BTF_VAR_STATIC;
  });
}
