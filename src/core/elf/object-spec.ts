/**
 * What the ELF loader returns: plain data, safe to post to a worker.
 * Programs and maps extend the shared ProgramSpec/MapSpec contracts; every
 * program's LD_IMM64 map references index the object's one `maps` array.
 */
import type { Btf } from '../btf/types.ts';
import type { MapSpec, ProgramSpec } from '../program.ts';

/** A map entry whose value is another map of the object (map-in-map `.values = { &inner }`). */
export interface MapSlotInit {
  key: number;
  /** index into ObjectSpec.maps */
  map: number;
}

export interface ElfMapSpec extends MapSpec {
  /** where the map came from: BTF-defined .maps, legacy "maps", or a global data section */
  origin: 'btf' | 'legacy' | 'data';
  /** global data maps: the ELF section (.data, .rodata, .bss, .rodata.str1.1, ...) */
  section?: string;
  /** BTF type ids of key and value (0 when unknown), for the UI's typed view */
  btfKeyTypeId: number;
  btfValueTypeId: number;
  /** map-in-map: the template every inner map must match */
  innerMap?: MapSpec;
  /** map-in-map: slots initialised with other maps of the object */
  initMaps?: MapSlotInit[];
  /** prog_array: slots initialised with programs of the object (`.values = { [0] = &prog }`), by program name */
  initProgs?: { key: number; program: string }[];
  /** BTF map "pinning" attribute (informational) */
  pinning?: number;
}

/** A function's BTF type, at its first instruction (kernel's bpf_func_info). */
export interface FuncInfo {
  insn: number;
  typeId: number;
  name: string;
}

/** A C source line starting at an instruction (kernel's bpf_line_info, resolved). */
export interface LineInfo {
  insn: number;
  file: string;
  line: number;
  column: number;
  /** the source line's text as clang recorded it */
  text: string;
}

/** What happened to one CO-RE relocation record. */
export interface CoreRelocResult {
  insn: number;
  kind: string;
  /** local type and access path, e.g. "struct task_struct::pid (0:1)" */
  spec: string;
  /** patched value, or null when the instruction was poisoned */
  value: number | null;
  /** why the relocation could not be resolved (then the instruction is poisoned as libbpf does) */
  error?: string;
}

export interface ElfProgramSpec extends ProgramSpec {
  /** ELF section the program came from ("xdp", "kprobe/do_unlinkat", ...) */
  section: string;
  /** BPF_PROG_LOAD expected_attach_type, when the section implies one */
  expectedAttachType?: number;
  /** BPF_PROG_LOAD prog_flags (xdp.frags, sleepable) */
  progFlags?: number;
  /** tp_btf/fentry/...: the attach target named in the section */
  attachTo?: string;
  /** kern_version from the "version" section */
  kernVersion: number;
  funcInfo: FuncInfo[];
  lineInfo: LineInfo[];
  coreRelocs: CoreRelocResult[];
  /** where each appended subprogram starts, by name */
  subprograms: { name: string; insn: number }[];
}

export interface ObjectSpec {
  /** object name as libbpf derives it (file name without extension) */
  name: string;
  programs: ElfProgramSpec[];
  maps: ElfMapSpec[];
  license: string;
  /** from the "version" section; 0 when absent */
  version: number;
  btf?: Btf;
  /** things that did not stop loading but that a user should know */
  warnings: string[];
}

export type LoadObjectResult = { ok: true; object: ObjectSpec } | { ok: false; error: string };
