/**
 * `bpfiddle disasm [--style kernel|asm] [--no-labels] INPUT`: instructions →
 * assembly. INPUT is hex text (a file or - for stdin), a bundle (.json), or
 * assembly (.s/.asm, assembled first). 'kernel' style (default) prints the
 * verifier log's `N: (op) text` lines; 'asm' prints assembly that `asm`
 * turns back into the same bytes.
 */
import { assemble, disassemble } from '../core/asm/index.ts';
import { Insn, insnsFromHex } from '../core/isa/insn.ts';
import type { ProgramSpec } from '../core/program.ts';
import { parseBundleText } from './bundle.ts';
import { formatDiagnostics, readInputText } from './cmd-asm.ts';
import { CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './io.ts';

export const DISASM_HELP = `Usage: bpfiddle disasm [--style kernel|asm] [--no-labels] INPUT

Disassemble BPF instructions. INPUT is hex text (a file, or - for stdin;
whitespace is ignored), a bundle FILE.json, or assembly FILE.s / FILE.asm.

Options:
  --style kernel  (default) the Linux verifier log's "N: (op) text" lines
  --style asm     assembly that 'bpfiddle asm' turns back into the same bytes,
                  with .prog/.map directives for bundles and labels for jumps
  --no-labels     asm style: numeric jump offsets instead of labels
  -h, --help      this help
`;

interface DisasmArgs {
  input: string;
  style: 'kernel' | 'asm';
  labels: boolean;
}

function parseArgs(args: string[]): DisasmArgs | 'help' {
  let input: string | undefined;
  let style: 'kernel' | 'asm' = 'kernel';
  let labels = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--no-labels') labels = false;
    else if (a === '--style' || a.startsWith('--style=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v !== 'kernel' && v !== 'asm') throw new UsageError(`--style must be kernel or asm, not '${v ?? ''}'`);
      style = v;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (try --help)`);
    else if (input !== undefined) throw new UsageError(`only one INPUT, got '${input}' and '${a}'`);
    else input = a;
  }
  if (input === undefined) throw new UsageError('missing INPUT (hex, a bundle .json, a .s file, or - for stdin); try --help');
  return { input, style, labels };
}

export async function disasmCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(DISASM_HELP);
    return EXIT_OK;
  }
  const text = await readInputText(parsed.input, io);
  const program = await loadProgram(parsed.input, text, io);
  if (!program) return EXIT_USAGE;
  io.stdout(disassemble(program, { style: parsed.style, labels: parsed.labels }));
  return EXIT_OK;
}

/** The input as a ProgramSpec (bundle, assembly) or bare instructions (hex). */
async function loadProgram(path: string, text: string, io: CliIo): Promise<ProgramSpec | Insn[] | undefined> {
  if (text.startsWith('\x7fELF')) throw new UsageError(`${path} is an ELF object; disasm reads hex, bundles and assembly`);
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return fromBundle(trimmed, path);
  if (/\.(s|asm)$/i.test(path) || !/^[0-9a-fA-F\s]*$/.test(trimmed)) {
    const r = assemble(text);
    io.stderr(formatDiagnostics(path, r.diagnostics));
    return r.ok ? r.program : undefined;
  }
  return decodeHex(path, trimmed);
}

function decodeHex(path: string, hex: string): Insn[] {
  const dec = insnsFromHex(hex);
  if (!dec.ok) throw new UsageError(`${path}: ${dec.error}`);
  if (dec.insns.length === 0) throw new UsageError(`${path}: no instructions`);
  return dec.insns;
}


/** A bundle, parsed as every bundle-reading command parses it (kbpf.py's format and defaults). */
function fromBundle(text: string, path: string): ProgramSpec {
  const r = parseBundleText(text, path);
  if (!r.ok) throw new UsageError(r.error);
  return r.bundle.program;
}
