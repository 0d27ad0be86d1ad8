/**
 * `bpfiddle asm [--dialect kernel|ubpf|auto] [--json] INPUT`: assembly → the
 * hex of the raw 8-byte instructions on one line (lowercase, the bundle's
 * `insns` format); `--json` gives {insns, maps, progType, license, dialect}.
 * Assembly errors are printed `FILE:LINE:COL: message` on stderr, exit 2.
 */
import { assemble } from '../core/asm/index.ts';
import type { Dialect } from '../core/asm/types.ts';
import { insnsToHex } from '../core/isa/insn.ts';
import type { Diagnostic, MapSpec } from '../core/program.ts';
import { bundleMapJson } from './bundle.ts';
import { CliIo, EXIT_OK, EXIT_USAGE, UsageError } from './io.ts';

export const ASM_HELP = `Usage: bpfiddle asm [--dialect auto|kernel|ubpf] [--json] INPUT

Assemble BPF assembly (FILE.s, FILE.asm, or - for stdin) to instructions.
Prints the hex of the raw 8-byte instructions on one line (lowercase, bytes
in memory order; the "insns" field of a bundle).

Options:
  --dialect D  kernel (LLVM/verifier-log syntax), ubpf (mnemonics) or auto (default)
  --json       print {"insns", "maps", "progType", "license", "dialect"}
  -h, --help   this help

Errors are printed as FILE:LINE:COL: message on stderr; the exit status is then 2.
`;

/** Read INPUT as text; `-` is stdin. Unreadable input is a UsageError (exit 2). */
export async function readInputText(path: string, io: CliIo): Promise<string> {
  if (path === '-') return io.readStdin();
  try {
    return new TextDecoder().decode(await io.readFile(path));
  } catch (e) {
    const why = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}

/** `FILE:LINE:COL: message`, warnings marked as such. */
export function formatDiagnostics(file: string, diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => `${file === '-' ? '<stdin>' : file}:${d.line}:${d.column}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}\n`)
    .join('');
}

/** Maps as the bundle format spells them. */
/** The maps as bundle JSON, with their initial entries and freezing, so `bpfiddle run` of the output sees what the source declared. */
export function bundleMaps(maps: readonly MapSpec[]): object[] {
  return maps.map(bundleMapJson);
}

interface AsmArgs {
  input: string;
  json: boolean;
  dialect: Dialect | 'auto';
}

function parseArgs(args: string[]): AsmArgs | 'help' {
  let input: string | undefined;
  let json = false;
  let dialect: Dialect | 'auto' = 'auto';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--json') json = true;
    else if (a === '--dialect' || a.startsWith('--dialect=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v !== 'kernel' && v !== 'ubpf' && v !== 'auto') throw new UsageError(`--dialect must be kernel, ubpf or auto, not '${v ?? ''}'`);
      dialect = v;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (try --help)`);
    else if (input !== undefined) throw new UsageError(`only one INPUT, got '${input}' and '${a}'`);
    else input = a;
  }
  if (input === undefined) throw new UsageError('missing INPUT (a .s file, or - for stdin); try --help');
  return { input, json, dialect };
}

export async function asmCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(ASM_HELP);
    return EXIT_OK;
  }
  const source = await readInputText(parsed.input, io);
  const result = assemble(source, { dialect: parsed.dialect });
  io.stderr(formatDiagnostics(parsed.input, result.diagnostics));
  if (!result.ok) return EXIT_USAGE;
  const p = result.program;
  const hex = insnsToHex(p.insns);
  if (parsed.json) {
    io.stdout(JSON.stringify({ insns: hex, maps: bundleMaps(p.maps), progType: p.progType, license: p.license, dialect: result.dialect }) + '\n');
  } else {
    io.stdout(hex + '\n');
  }
  return EXIT_OK;
}
