/**
 * ELF objects in the engine: open an uploaded `.o`, list its programs and a
 * listing per program (disassembly with the C source lines of BTF line info
 * interleaved as comments), and hand one program to verify/run. The listing
 * is what the editor shows, so a program's source map points into it: log
 * lines, faults and the state panels link to listing lines as they do to
 * assembly lines.
 */
import { disasmAsmInsn, slotCount } from '../asm/disasm/asm-syntax.ts';
import { formatValue } from '../btf/format-value.ts';
import { loadObject } from '../elf/index.ts';
import type { ElfProgramSpec, ObjectSpec } from '../elf/object-spec.ts';
import type { ProgramSpec } from '../program.ts';
import type { TailCallTarget } from './ports.ts';
import type { ObjectView } from './types.ts';

/** Objects above this size are refused before parsing: no BPF object is that big. */
export const MAX_OBJECT_BYTES = 16 * 1024 * 1024;

export interface Listing {
  text: string;
  /** 1-based listing line per instruction slot (the second slot of an LD_IMM64 shares the first's) */
  lines: (number | null)[];
}

/** Disassembly with each C source line (BTF line info) as a comment above its first instruction. */
export function programListing(program: ElfProgramSpec): Listing {
  const out: string[] = [`; ${program.name}: section "${program.section}", ${program.progType} program, ${program.insns.length} instruction slots`];
  const lines: (number | null)[] = new Array<number | null>(program.insns.length).fill(null);
  const lineAt = new Map(program.lineInfo.map((l) => [l.insn, l]));
  const funcAt = new Map(program.funcInfo.map((f) => [f.insn, f]));
  const subAt = new Map(program.subprograms.map((s) => [s.insn, s.name]));
  const mapName = (i: number) => program.maps[i]?.name;
  let lastSource = '';
  for (let i = 0; i < program.insns.length; i += slotCount(program.insns, i)) {
    const func = funcAt.get(i)?.name ?? subAt.get(i);
    if (func !== undefined && i > 0) out.push('', `; ${func}()`);
    const src = lineAt.get(i);
    // Line 0 is clang's "no particular source line" (compiler-generated code).
    if (src && src.line > 0) {
      const text = src.text.trim();
      const where = `${src.file.split('/').pop()}:${src.line}`;
      // The same C line often covers several runs of instructions; repeat it only when it changes.
      if (`${where}|${text}` !== lastSource) out.push(`; ${text}${text ? '  ' : ''}// ${where}`);
      lastSource = `${where}|${text}`;
    }
    out.push(`    ${disasmAsmInsn(program.insns, i, { mapName })}`);
    lines[i] = out.length;
    if (slotCount(program.insns, i) === 2) lines[i + 1] = out.length;
  }
  return { text: out.join('\n') + '\n', lines };
}

export type OpenObjectResult = { ok: true; object: ObjectSpec } | { ok: false; error: string };

export function openObjectBytes(bytes: unknown, fileName: unknown): OpenObjectResult {
  if (!(bytes instanceof Uint8Array)) return { ok: false, error: 'load object: the file contents are missing' };
  const name = typeof fileName === 'string' ? fileName : 'object.o';
  if (bytes.length > MAX_OBJECT_BYTES) return { ok: false, error: `load object: ${name} is ${bytes.length} bytes; bpfiddle opens objects up to ${MAX_OBJECT_BYTES}` };
  const loaded = loadObject(bytes, { fileName: name });
  if (!loaded.ok) return { ok: false, error: `load object: ${name}: ${loaded.error}` };
  return loaded;
}

export function objectView(object: ObjectSpec): ObjectView {
  return {
    name: object.name,
    license: object.license,
    programs: object.programs.map((p) => ({ name: p.name, section: p.section, progType: p.progType, insnCount: p.insns.length, listing: programListing(p).text })),
    maps: object.maps.map((m) => ({ name: m.name, type: m.type, keySize: m.keySize, valueSize: m.valueSize, maxEntries: m.maxEntries })),
    warnings: object.warnings,
    hasBtf: object.btf !== undefined,
  };
}

/** One program of the object as a ProgramSpec whose source map points into its listing. */
export function objectProgram(object: ObjectSpec, programName: string): ProgramSpec | string {
  const program = object.programs.find((p) => p.name === programName);
  if (!program) return `the object has no program named '${programName}' (it has ${object.programs.map((p) => p.name).join(', ') || 'none'})`;
  const { lines } = programListing(program);
  return { ...program, sourceMap: lines.map((line) => (line === null ? null : { line, column: 1 })) };
}

/** The prog_array slots the object fills with its own programs (libbpf's `.values = { [i] = &prog }`). */
export function tailCallTargets(object: ObjectSpec): TailCallTarget[] {
  const out: TailCallTarget[] = [];
  object.maps.forEach((m, mapIndex) => {
    for (const init of m.initProgs ?? []) {
      const program = objectProgram(object, init.program);
      if (typeof program !== 'string') out.push({ mapIndex, slot: init.key, program });
    }
  });
  return out;
}

/**
 * A decoder for map keys and values through the object's BTF: per map index,
 * the typed text of key or value bytes, or null without types.
 */
export function btfDecoder(object: ObjectSpec): (mapIndex: number, part: 'key' | 'value', bytes: Uint8Array) => string | null {
  return (mapIndex, part, bytes) => {
    const btf = object.btf;
    const map = object.maps[mapIndex];
    if (!btf || !map) return null;
    const typeId = part === 'key' ? map.btfKeyTypeId : map.btfValueTypeId;
    if (!typeId) return null;
    try {
      return formatValue(btf, typeId, bytes);
    } catch {
      return null;
    }
  };
}
