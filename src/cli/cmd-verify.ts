/**
 * `bpfiddle verify [--json] [--type T] [--log-level N] [--strict] INPUT` and
 * `bpfiddle verify --batch` (../shared/CLI.md): run the verifier and print
 * the kernel-format log or the JSON result.
 */
import { assemble } from '../core/asm/index.ts';
import { loadObject } from '../core/elf/index.ts';
import { runObjectPrograms } from '../core/runtime/object-run.ts';
import { isProgType, type ProgType, type ProgramSpec } from '../core/program.ts';
import { verify, type VerifyResult } from '../core/verifier/index.ts';
import { parseBundleText } from './bundle.ts';
import { formatDiagnostics, readInputText } from './cmd-asm.ts';
import { CliIo, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, UsageError } from './io.ts';

export const VERIFY_HELP = `Usage: bpfiddle verify [--json] [--type T] [--log-level N] [--strict] INPUT
       bpfiddle verify --batch [--log-level N]   (JSON-lines bundles on stdin)

Verify a program like the Linux 6.18 verifier (as root) and print its log.
INPUT is a bundle FILE.json (or - for stdin), assembly FILE.s / FILE.asm, or a
clang BPF object FILE.o (every program in it is verified).

Options:
  --json          print {"verdict","errorInsn","errorLine","log","processedInsns",...}
  --type T        program type (xdp, socket_filter, sched_cls, kprobe, ...);
                  default: the bundle's progType, or xdp for assembly
  --log-level N   0, 1 or 2 (default: the bundle's logLevel, else 2)
                  (the log keeps its first 16 MiB, the buffer libbpf and kbpf.py
                  give the kernel, then the error and summary lines)
  --strict        exit 1 when the program is rejected
  --batch         JSON-lines bundles on stdin, one JSON result per line
  -h, --help      this help
`;

interface VerifyArgs {
  input?: string;
  json: boolean;
  batch: boolean;
  strict: boolean;
  type?: ProgType;
  logLevel?: 0 | 1 | 2;
}

function parseArgs(args: string[]): VerifyArgs | 'help' {
  const out: VerifyArgs = { json: false, batch: false, strict: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '-h' || a === '--help') return 'help';
    else if (a === '--json') out.json = true;
    else if (a === '--batch') out.batch = true;
    else if (a === '--strict') out.strict = true;
    else if (a === '--type' || a.startsWith('--type=')) {
      const t = value();
      if (!isProgType(t)) throw new UsageError(`unknown program type '${t}'`);
      out.type = t;
    } else if (a === '--log-level' || a.startsWith('--log-level=')) {
      const n = Number(value());
      if (n !== 0 && n !== 1 && n !== 2) throw new UsageError('--log-level must be 0, 1 or 2');
      out.logLevel = n;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}' (try --help)`);
    else if (out.input !== undefined) throw new UsageError(`only one INPUT, got '${out.input}' and '${a}'`);
    else out.input = a;
  }
  if (!out.batch && out.input === undefined) throw new UsageError('missing INPUT (a bundle .json, a .s file, or - for stdin); try --help');
  return out;
}

const clampLevel = (n: number): 0 | 1 | 2 => (n <= 0 ? 0 : n >= 2 ? 2 : 1);

/** The JSON result keys of CLI.md. */
export function resultJson(r: VerifyResult): Record<string, unknown> {
  return {
    verdict: r.verdict,
    errorInsn: r.error ? r.error.insn : null,
    errorLine: r.error ? r.error.message : null,
    log: r.log,
    processedInsns: r.stats.processedInsns,
    totalStates: r.stats.totalStates,
    peakStates: r.stats.peakStates,
    maxStatesPerInsn: r.stats.maxStatesPerInsn,
  };
}

async function runBatch(args: VerifyArgs, io: CliIo): Promise<number> {
  const text = await io.readStdin();
  const lines = text.split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const parsed = parseBundleText(line, `line ${i + 1}`);
    if (!parsed.ok) {
      out += `${JSON.stringify({ verdict: null, error: parsed.error })}\n`;
      continue;
    }
    const program = args.type ? { ...parsed.bundle.program, progType: args.type } : parsed.bundle.program;
    const r = verify(program, { logLevel: args.logLevel ?? clampLevel(parsed.bundle.logLevel) });
    out += `${JSON.stringify(resultJson(r))}\n`;
    if (out.length > 1 << 20) {
      io.stdout(out);
      out = '';
    }
  }
  io.stdout(out);
  return EXIT_OK;
}

async function loadProgram(input: string, text: string): Promise<{ program: ProgramSpec; logLevel: number }> {
  if (/\.(s|asm)$/i.test(input)) {
    const r = assemble(text);
    if (!r.ok) throw new UsageError(`cannot assemble ${input}:\n${formatDiagnostics(input, r.diagnostics)}`);
    return { program: r.program, logLevel: 2 };
  }
  const parsed = parseBundleText(text, input === '-' ? 'stdin' : input);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return { program: parsed.bundle.program, logLevel: parsed.bundle.logLevel };
}

export async function verifyCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    io.stdout(VERIFY_HELP);
    return EXIT_OK;
  }
  if (parsed.batch) return runBatch(parsed, io);
  const input = parsed.input as string;
  if (input !== '-' && /\.o$/i.test(input)) return verifyObject(input, parsed, io);
  const text = await readInputText(input, io);
  const { program, logLevel } = await loadProgram(input, text);
  const prog = parsed.type ? { ...program, progType: parsed.type } : program;
  const r = verify(prog, { logLevel: parsed.logLevel ?? clampLevel(logLevel) });
  if (parsed.json) io.stdout(`${JSON.stringify(resultJson(r))}\n`);
  else io.stdout(r.log || (r.error ? `${r.error.message}\n` : ''));
  if (parsed.strict && r.verdict === 'rejected') return EXIT_REJECTED;
  return EXIT_OK;
}

void EXIT_USAGE;

/**
 * An ELF object: every program verified against the object's maps (created as
 * the run command creates them, so the "maps" key is the object's initial
 * contents), in CLI.md's ELF shape; text mode prints each program's log.
 */
async function verifyObject(path: string, args: VerifyArgs, io: CliIo): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(path);
  } catch (e) {
    const why = e instanceof Error && 'code' in e && e.code === 'ENOENT' ? 'no such file' : e instanceof Error ? e.message : String(e);
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
  const loaded = loadObject(bytes, { fileName: path.split('/').pop() ?? path });
  if (!loaded.ok) throw new UsageError(`${path}: ${loaded.error}`);
  const logs: string[] = [];
  const logLevel = args.logLevel ?? (args.json ? 0 : 1);
  const result = runObjectPrograms(loaded.object, [], {
    verify: (p) => {
      const r = verify(args.type ? { ...p, progType: args.type } : p, { logLevel });
      logs.push(r.log || (r.error ? `${r.error.message}\n` : ''));
      return { verdict: r.verdict, errorInsn: r.error?.insn ?? null, errorLine: r.error?.message ?? null, processedInsns: r.stats.processedInsns };
    },
  });
  if (!result.ok) throw new UsageError(`${path}: ${result.error}`);
  const programs = result.programs.map((p) => ({
    section: p.section,
    name: p.name,
    progType: p.progType,
    verdict: p.verdict,
    errorInsn: p.errorInsn,
    errorLine: p.errorLine,
    processedInsns: p.processedInsns,
  }));
  if (args.json) io.stdout(`${JSON.stringify({ programs, maps: result.maps })}\n`);
  else {
    io.stdout(
      programs
        .map((p, i) => {
          const head = `== ${p.section} ${p.name} (${p.progType}): ${p.verdict}${p.verdict === 'rejected' && p.errorInsn !== null ? ` at insn ${p.errorInsn}` : ''}`;
          return `${head}\n${logs[i]}`;
        })
        .join('\n'),
    );
  }
  if (args.strict && programs.some((p) => p.verdict === 'rejected')) return EXIT_REJECTED;
  return EXIT_OK;
}
