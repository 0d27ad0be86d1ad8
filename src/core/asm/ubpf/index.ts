/**
 * The uBPF / bpf_conformance dialect: assembler, dialect detection and the
 * `.data` test-file reader. src/core/asm/index.ts dispatches here.
 */
export { assembleUbpf } from './assembler.ts';
export { looksLikeUbpf } from './detect.ts';
export {
  conformanceProgram,
  parseConformanceData,
  type ConformanceData,
  type ConformanceParse,
} from './data-file.ts';
export { allMnemonics } from './mnemonics.ts';
