/**
 * ELF64 little-endian relocatable object reader: header, section headers,
 * section names, symbol table and REL relocations — just what a BPF object
 * needs. Plain data out; every offset and size is checked against the file.
 */
import { ByteView, hexNum } from './bytes.ts';
import { fail, step } from './errors.ts';

export const EM_BPF = 247;
export const ET_REL = 1;

export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHF_EXECINSTR = 0x4;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;
export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;

const EHDR_SIZE = 64;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const REL_SIZE = 16;
/** Caps that stop absurd counts in corrupt headers from costing time or memory. */
const MAX_SECTIONS = 65_280;
const MAX_SYMBOLS = 1_000_000;

export interface Section {
  index: number;
  name: string;
  type: number;
  flags: number;
  /** file offset (meaningless for SHT_NOBITS) */
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  /** the contents; zeros for SHT_NOBITS */
  data: Uint8Array;
}

export interface ElfSymbol {
  index: number;
  name: string;
  value: number;
  size: number;
  /** STT_* */
  type: number;
  /** STB_* */
  bind: number;
  /** section index, SHN_UNDEF for externs */
  shndx: number;
}

export interface Relocation {
  /** byte offset inside the relocated section */
  offset: number;
  /** R_BPF_* */
  type: number;
  symbol: ElfSymbol;
}

export interface ElfFile {
  sections: Section[];
  symbols: ElfSymbol[];
  /** relocations by the index of the section they apply to */
  relocations: Map<number, Relocation[]>;
}

export function parseElf(bytes: Uint8Array): ElfFile {
  const v = new ByteView(bytes);
  const header = step('read ELF header', () => readHeader(v));
  const sections = step('read section headers', () => readSections(v, header));
  const symbols = step('read symbol table', () => readSymbols(sections));
  const relocations = step('read relocations', () => readRelocations(sections, symbols));
  return { sections, symbols, relocations };
}

interface Header {
  shoff: number;
  shnum: number;
  shstrndx: number;
}

function readHeader(v: ByteView): Header {
  if (v.length < EHDR_SIZE) fail(`file is ${v.length} bytes, shorter than an ELF64 header (64)`);
  if (v.u32(0, 'magic') !== 0x464c457f) fail('not an ELF file (bad magic; expected 7f 45 4c 46)');
  const cls = v.u8(4, 'class');
  if (cls !== 2) fail(`ELF class ${cls} is not ELFCLASS64 (2); BPF objects are 64-bit`);
  const data = v.u8(5, 'data encoding');
  if (data !== 1) fail(`ELF data encoding ${data} is not little-endian (1); only little-endian BPF is supported`);
  const type = v.u16(16, 'e_type');
  if (type !== ET_REL) fail(`ELF type ${type} is not a relocatable object (ET_REL = 1); pass the .o clang produced`);
  const machine = v.u16(18, 'e_machine');
  if (machine !== EM_BPF) fail(`ELF machine ${machine} is not BPF (247); compile with clang --target=bpf`);
  const shoff = v.u64(40, 'e_shoff');
  const shentsize = v.u16(58, 'e_shentsize');
  let shnum = v.u16(60, 'e_shnum');
  let shstrndx = v.u16(62, 'e_shstrndx');
  if (shentsize !== SHDR_SIZE) fail(`section header size ${shentsize} is not ${SHDR_SIZE}`);
  if (shoff === 0) fail('the file has no section headers');
  // Extended numbering: the real counts live in section header 0.
  if (shnum === 0) shnum = v.u64(shoff + 32, 'section header 0 sh_size (extended count)');
  if (shstrndx === 0xffff) shstrndx = v.u32(shoff + 40, 'section header 0 sh_link (extended string index)');
  if (shnum > MAX_SECTIONS) fail(`${shnum} sections is more than the ${MAX_SECTIONS} supported`);
  v.need(shoff, shnum * SHDR_SIZE, `${shnum} section headers`);
  if (shstrndx >= shnum) fail(`section name table index ${shstrndx} is out of range (${shnum} sections)`);
  return { shoff, shnum, shstrndx };
}

function readSections(v: ByteView, h: Header): Section[] {
  const raw = [];
  for (let i = 0; i < h.shnum; i++) {
    const at = h.shoff + i * SHDR_SIZE;
    const what = `section header ${i}`;
    const type = v.u32(at + 4, what);
    const offset = v.u64(at + 24, what);
    const size = v.u64(at + 32, what);
    const data = type === SHT_NOBITS || i === 0 ? new Uint8Array(0) : v.slice(offset, size, `section ${i} contents (offset 0x${hexNum(offset)}, size ${size})`);
    raw.push({
      index: i,
      nameOff: v.u32(at, what),
      type,
      flags: v.u64(at + 8, what),
      offset,
      size,
      link: v.u32(at + 40, what),
      info: v.u32(at + 44, what),
      entsize: v.u64(at + 56, what),
      data,
    });
  }
  const names = raw[h.shstrndx];
  if (names.type !== SHT_STRTAB) fail(`section name table (section ${h.shstrndx}) is not a string table`);
  const nameView = new ByteView(names.data);
  return raw.map(({ nameOff, ...s }) => {
    const name = nameView.cstring(nameOff, `name of section ${s.index}`);
    // .bss-like sections occupy no file bytes, but their size is real memory.
    const data = s.type === SHT_NOBITS ? nobits(s.size, s.index) : s.data;
    return { ...s, name, data };
  });
}

function nobits(size: number, index: number): Uint8Array {
  if (size > 1 << 28) fail(`section ${index}: uninitialised data of ${size} bytes is too large`);
  return new Uint8Array(size);
}

function readSymbols(sections: Section[]): ElfSymbol[] {
  const symtabs = sections.filter((s) => s.type === SHT_SYMTAB);
  if (symtabs.length === 0) fail('no symbol table (.symtab); was the object stripped?');
  if (symtabs.length > 1) fail('more than one symbol table');
  const symtab = symtabs[0];
  if (symtab.link >= sections.length || symtab.link === 0) fail(`symbol string table index ${symtab.link} is out of range`);
  const strtab = sections[symtab.link];
  if (strtab.type !== SHT_STRTAB) fail(`section ${strtab.index} (${strtab.name}) named as symbol string table is not a string table`);
  if (symtab.size % SYM_SIZE !== 0) fail(`symbol table size ${symtab.size} is not a multiple of ${SYM_SIZE}`);
  const count = symtab.size / SYM_SIZE;
  if (count > MAX_SYMBOLS) fail(`${count} symbols is more than the ${MAX_SYMBOLS} supported`);
  const v = new ByteView(symtab.data);
  const names = new ByteView(strtab.data);
  const symbols: ElfSymbol[] = [];
  for (let i = 0; i < count; i++) {
    const at = i * SYM_SIZE;
    const what = `symbol ${i}`;
    const info = v.u8(at + 4, what);
    const shndx = v.u16(at + 6, what);
    if (shndx !== SHN_UNDEF && shndx < SHN_LORESERVE && shndx >= sections.length) {
      fail(`symbol ${i} refers to section ${shndx}, but there are ${sections.length} sections`);
    }
    symbols.push({
      index: i,
      name: names.cstring(v.u32(at, what), `name of symbol ${i}`),
      type: info & 0xf,
      bind: info >> 4,
      shndx,
      value: v.u64(at + 8, what),
      size: v.u64(at + 16, what),
    });
  }
  return symbols;
}

function relocationsMatter(target: Section): boolean {
  return (target.flags & SHF_EXECINSTR) !== 0 || target.name === '.maps' || target.name === 'maps';
}

function readRelocations(sections: Section[], symbols: ElfSymbol[]): Map<number, Relocation[]> {
  const out = new Map<number, Relocation[]>();
  for (const s of sections) {
    if (s.type === SHT_RELA) fail(`section ${s.name}: RELA relocations are not used by BPF objects`);
    if (s.type !== SHT_REL) continue;
    if (s.info === 0 || s.info >= sections.length) fail(`section ${s.name}: relocated section index ${s.info} is out of range`);
    if (s.size % REL_SIZE !== 0) fail(`section ${s.name}: size ${s.size} is not a multiple of ${REL_SIZE}`);
    const target = sections[s.info];
    // Like libbpf, only relocations of code and map definitions matter;
    // those of debug info and BTF are never applied, so never fail on them.
    if (!relocationsMatter(target)) continue;
    const v = new ByteView(s.data);
    const list: Relocation[] = [];
    for (let at = 0; at < s.size; at += REL_SIZE) {
      const what = `${s.name} entry ${at / REL_SIZE}`;
      const offset = v.u64(at, what);
      const type = v.u32(at + 8, what);
      const symIndex = v.u32(at + 12, what);
      if (symIndex >= symbols.length) fail(`${what}: symbol index ${symIndex} is out of range (${symbols.length} symbols)`);
      if (target.type !== SHT_NOBITS && offset >= target.size) fail(`${what}: offset ${offset} is outside ${target.name} (${target.size} bytes)`);
      list.push({ offset, type, symbol: symbols[symIndex] });
    }
    out.set(s.info, (out.get(s.info) ?? []).concat(list));
  }
  return out;
}
