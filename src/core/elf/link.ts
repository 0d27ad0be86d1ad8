/**
 * Builds one loadable program from its entry function, as libbpf's
 * bpf_object__reloc_code does: the program's instructions first, then every
 * subprogram it reaches, appended in depth-first order of first reference,
 * with call and `r1 = &func` offsets rewritten for the new layout. Map and
 * global data references become the bundle convention (LD_IMM64 src 1/2,
 * imm = index into the object's maps). func_info, line_info and CO-RE records
 * follow their instructions to where they land.
 */
import type { Btf } from '../btf/types.ts';
import { typeAt } from '../btf/inspect.ts';
import type { BtfExt, CoreReloRaw } from '../btf/parse-btf-ext.ts';
import type { Insn } from '../isa/insn.ts';
import { fail, step } from './errors.ts';
import { SHN_UNDEF, type Relocation } from './elf-file.ts';
import { funcAt, type CodeSection, type FuncCode } from './functions.ts';
import type { CoreRelocResult, FuncInfo, LineInfo } from './object-spec.ts';

const CALL = 0x85;
const LD_IMM64 = 0x18;
export const PSEUDO_MAP_FD = 1;
export const PSEUDO_MAP_VALUE = 2;
const PSEUDO_CALL = 1;
const PSEUDO_FUNC = 4;

export interface MapResolver {
  /** index of the map defined at this offset of a map-definition section */
  mapAt(sectionIndex: number, offset: number): number | undefined;
  /** index of the global data map made from this section */
  dataMap(sectionIndex: number): number | undefined;
  /** is this a map-definition section (.maps or legacy maps)? */
  isMapSection(sectionIndex: number): boolean;
}

/** Applies one CO-RE record to the instruction at `at` of `insns`. */
export type CoreApplier = (insns: Insn[], at: number, relo: CoreReloRaw) => CoreRelocResult;

export interface LinkContext {
  code: Map<number, CodeSection>;
  maps: MapResolver;
  btf?: Btf;
  ext?: BtfExt;
  core?: CoreApplier;
}

export interface LinkedProgram {
  insns: Insn[];
  funcInfo: FuncInfo[];
  lineInfo: LineInfo[];
  coreRelocs: CoreRelocResult[];
  subprograms: { name: string; insn: number }[];
}

export function linkProgram(main: FuncCode, ctx: LinkContext): LinkedProgram {
  const out: LinkedProgram = { insns: [], funcInfo: [], lineInfo: [], coreRelocs: [], subprograms: [] };
  const placed = new Map<FuncCode, number>();

  const place = (f: FuncCode): number => {
    const base = out.insns.length;
    placed.set(f, base);
    if (f !== main) out.subprograms.push({ name: f.name, insn: base });
    for (const ins of f.insns) out.insns.push({ ...ins });
    copyExtInfo(f, base, ctx, out);
    relocate(f, base);
    return base;
  };

  const placeOnce = (f: FuncCode): number => placed.get(f) ?? place(f);

  const relocate = (f: FuncCode, base: number): void => {
    const code = ctx.code.get(f.section.index);
    if (!code) return;
    for (let i = 0; i < f.insns.length; i++) {
      const secInsn = f.start + i;
      const ins = out.insns[base + i];
      const rel = code.relocs.get(secInsn);
      const where = `insn ${base + i} (${f.section.name}+${secInsn * 8})`;
      if (ins.code === CALL && ins.src === PSEUDO_CALL) {
        const target = rel ? callTarget(rel, ins, where) : { sectionIndex: f.section.index, insn: secInsn + ins.imm + 1 };
        const callee = findFunc(ctx, target.sectionIndex, target.insn, where);
        const at = placeOnce(callee);
        ins.imm = at - (base + i) - 1;
      } else if (ins.code === LD_IMM64) {
        if (i + 1 >= f.insns.length) fail(`${where}: LD_IMM64 is missing its second slot`);
        if (rel) relocateLoad(ins, out.insns[base + i + 1], rel, where, (target) => {
          const callee = findFunc(ctx, target.sectionIndex, target.insn, where);
          return placeOnce(callee) - (base + i) - 1;
        });
        i++;
      } else if (rel) {
        if (rel.symbol.shndx === SHN_UNDEF) fail(`${where}: reference to extern "${rel.symbol.name}" (kfuncs and .ksyms are not supported)`);
        fail(`${where}: unexpected relocation against ${rel.symbol.name || 'a section'} on opcode 0x${ins.code.toString(16)}`);
      }
    }
  };

  const relocateLoad = (
    ins: Insn,
    next: Insn,
    rel: Relocation,
    where: string,
    funcOffset: (t: { sectionIndex: number; insn: number }) => number,
  ): void => {
    const sym = rel.symbol;
    if (sym.shndx === SHN_UNDEF) fail(`${where}: reference to extern "${sym.name}" (.kconfig/.ksyms externs are not supported)`);
    if (ctx.maps.isMapSection(sym.shndx)) {
      const idx = ctx.maps.mapAt(sym.shndx, sym.value + ins.imm);
      if (idx === undefined) fail(`${where}: no map is defined at offset ${sym.value + ins.imm} of the maps section (symbol ${sym.name || '(section)'})`);
      ins.src = PSEUDO_MAP_FD;
      ins.imm = idx;
      return;
    }
    const data = ctx.maps.dataMap(sym.shndx);
    if (data !== undefined) {
      // The variable's offset: the symbol's place in its section plus any addend clang left in imm.
      next.imm = (ins.imm + sym.value) | 0;
      ins.src = PSEUDO_MAP_VALUE;
      ins.imm = data;
      return;
    }
    if (ctx.code.has(sym.shndx)) {
      const byteOff = sym.value + ins.imm;
      if (byteOff % 8 !== 0) fail(`${where}: function pointer to byte offset ${byteOff} is not an instruction boundary`);
      ins.src = PSEUDO_FUNC;
      ins.imm = funcOffset({ sectionIndex: sym.shndx, insn: byteOff / 8 });
      next.imm = 0;
      return;
    }
    fail(`${where}: LD_IMM64 refers to ${sym.name || 'a symbol'} in section ${sym.shndx}, which is neither a map, global data nor code`);
  };

  step(`relocate prog ${main.name}`, () => place(main));
  out.lineInfo.sort((a, b) => a.insn - b.insn);
  out.funcInfo.sort((a, b) => a.insn - b.insn);
  return out;
}

function callTarget(rel: Relocation, ins: Insn, where: string): { sectionIndex: number; insn: number } {
  const sym = rel.symbol;
  if (sym.shndx === SHN_UNDEF) fail(`${where}: call to extern function "${sym.name}" (kfuncs are not supported)`);
  if (sym.value % 8 !== 0) fail(`${where}: call target ${sym.name} is not on an instruction boundary`);
  // Static callees are referenced through the section symbol, with the
  // position in imm; global ones through their own symbol with imm = -1.
  return { sectionIndex: sym.shndx, insn: sym.value / 8 + ins.imm + 1 };
}

function findFunc(ctx: LinkContext, sectionIndex: number, insn: number, where: string): FuncCode {
  const code = ctx.code.get(sectionIndex);
  if (!code) fail(`${where}: call target is in section ${sectionIndex}, which holds no code`);
  const f = funcAt(code, insn);
  if (!f) fail(`${where}: call target ${code.section.name}+${insn * 8} is not the start of a function`);
  return f;
}

function copyExtInfo(f: FuncCode, base: number, ctx: LinkContext, out: LinkedProgram): void {
  const ext = ctx.ext;
  if (!ext) return;
  const inFunc = (insnOff: number): number | null => {
    if (insnOff % 8 !== 0) return null;
    const idx = insnOff / 8 - f.start;
    return idx >= 0 && idx < f.insns.length ? idx : null;
  };
  for (const r of ext.funcInfo.get(f.section.name) ?? []) {
    const idx = inFunc(r.insnOff);
    if (idx === null) continue;
    const t = ctx.btf ? typeAt(ctx.btf, r.typeId) : undefined;
    out.funcInfo.push({ insn: base + idx, typeId: r.typeId, name: t && t.kind === 'func' ? t.name : '' });
  }
  for (const r of ext.lineInfo.get(f.section.name) ?? []) {
    const idx = inFunc(r.insnOff);
    if (idx === null) continue;
    out.lineInfo.push({ insn: base + idx, file: r.file, line: r.line, column: r.column, text: r.text });
  }
  if (ctx.core) {
    for (const r of ext.coreRelos.get(f.section.name) ?? []) {
      const idx = inFunc(r.insnOff);
      if (idx === null) continue;
      out.coreRelocs.push(ctx.core(out.insns, base + idx, r));
    }
  }
}
