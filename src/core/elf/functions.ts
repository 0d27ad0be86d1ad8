/**
 * Splits executable sections into functions by their STT_FUNC symbols. A
 * function in ".text" is a subprogram (appended to callers); a function in any
 * other executable section is a program whose section name gives its type.
 */
import { decodeBytes, type Insn } from '../isa/insn.ts';
import { fail, step } from './errors.ts';
import { SHF_EXECINSTR, STT_FUNC, type ElfFile, type Relocation, type Section } from './elf-file.ts';

export interface FuncCode {
  name: string;
  section: Section;
  /** first instruction, as an index into the section */
  start: number;
  /** instruction slots, already decoded (callers copy before patching) */
  insns: Insn[];
  subprog: boolean;
  /** index in the symbol table: libbpf lists a section's programs in symbol table order */
  symbolIndex: number;
}

export interface CodeSection {
  section: Section;
  insns: Insn[];
  funcs: FuncCode[];
  /** relocations by instruction index inside the section */
  relocs: Map<number, Relocation>;
}

export function isCodeSection(s: Section): boolean {
  return (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0;
}

export function readCode(elf: ElfFile): Map<number, CodeSection> {
  const out = new Map<number, CodeSection>();
  for (const s of elf.sections) {
    if (!isCodeSection(s)) continue;
    out.set(s.index, step(`read code of section ${s.name}`, () => readSection(elf, s)));
  }
  return out;
}

function readSection(elf: ElfFile, s: Section): CodeSection {
  const decoded = decodeBytes(s.data);
  if (!decoded.ok) fail(decoded.error);
  const insns = decoded.insns;
  const syms = elf.symbols
    .filter((y) => y.shndx === s.index && y.type === STT_FUNC)
    .sort((a, b) => a.value - b.value);
  if (syms.length === 0) fail('has instructions but no function symbols');
  const funcs: FuncCode[] = [];
  let prevEnd = 0;
  for (const y of syms) {
    if (y.value % 8 !== 0 || y.size % 8 !== 0) fail(`function ${y.name} is not aligned to 8-byte instructions (offset ${y.value}, size ${y.size})`);
    const start = y.value / 8;
    const len = y.size / 8;
    if (len === 0) fail(`function ${y.name} has size 0`);
    if (start + len > insns.length) fail(`function ${y.name} (instructions ${start}..${start + len - 1}) runs past the end of the section (${insns.length} instructions)`);
    if (start < prevEnd) fail(`function ${y.name} overlaps the previous function`);
    prevEnd = start + len;
    funcs.push({ name: y.name, section: s, start, insns: insns.slice(start, start + len), subprog: s.name === '.text', symbolIndex: y.index });
  }
  const relocs = new Map<number, Relocation>();
  for (const r of elf.relocations.get(s.index) ?? []) {
    if (r.offset % 8 !== 0) fail(`relocation at offset ${r.offset} is not on an instruction boundary`);
    relocs.set(r.offset / 8, r);
  }
  return { section: s, insns, funcs, relocs };
}

/** The function of a code section that starts exactly at `insn`. */
export function funcAt(code: CodeSection, insn: number): FuncCode | undefined {
  return code.funcs.find((f) => f.start === insn);
}
