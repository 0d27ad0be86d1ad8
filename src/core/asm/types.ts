import type { Diagnostic, ProgramSpec } from '../program.ts';

export type Dialect = 'kernel' | 'ubpf';

export interface AssembleOptions {
  /** 'auto' (default) detects the uBPF mnemonic dialect from the text */
  dialect?: Dialect | 'auto';
  /** program name for the ProgramSpec (default "prog") */
  name?: string;
}

export type AssembleResult =
  | { ok: true; program: ProgramSpec; dialect: Dialect; diagnostics: Diagnostic[] }
  | { ok: false; dialect: Dialect; diagnostics: Diagnostic[] };
