/**
 * The assembler and disassembler: the single entry point the app, the CLI
 * and the tests use.
 */
import type { Diagnostic } from '../program.ts';
import { detectDialect } from './dialect.ts';
import { assembleKernel } from './kernel/assemble.ts';
import type { AssembleOptions, AssembleResult, Dialect } from './types.ts';
import { assembleUbpf } from './ubpf/index.ts';

export type { AssembleOptions, AssembleResult, Dialect } from './types.ts';
export { detectDialect } from './dialect.ts';
export { assembleKernel } from './kernel/assemble.ts';
export { disasmKernelInsn, type KernelDisasmOptions } from './disasm/kernel-log.ts';
export { disasmAsmInsn } from './disasm/asm-syntax.ts';
export { disassemble, type DisassembleOptions } from './disasm/disassemble.ts';

/**
 * Assemble BPF assembly text. `opts.dialect` 'auto' (default) detects the
 * uBPF mnemonic dialect; otherwise the kernel/LLVM syntax is assumed.
 * Never throws: every problem is a Diagnostic.
 */
export function assemble(source: string, opts: AssembleOptions = {}): AssembleResult {
  let dialect: Dialect = 'kernel';
  try {
    dialect = opts.dialect && opts.dialect !== 'auto' ? opts.dialect : detectDialect(source);
    return dialect === 'ubpf' ? assembleUbpf(source, opts) : assembleKernel(source, opts);
  } catch (e) {
    // A bug in an assembler must still reach the user as a message, not a crash.
    const message = `internal assembler error: ${e instanceof Error ? e.message : String(e)}`;
    const diagnostic: Diagnostic = { line: 1, column: 1, severity: 'error', message };
    return { ok: false, dialect, diagnostics: [diagnostic] };
  }
}
