/**
 * `bpfiddle conformance [--jit] PATH...`: run bpf_conformance `.data` files
 * (or directories of them) on the interpreter. One line per test, then
 * `N passed, M failed` as the last line. Exit 0 when the suite ran (failures
 * are results, not errors); 2 for bad usage or unreadable paths.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { assemble } from '../core/asm/index.ts';
import type { Insn } from '../core/isa/insn.ts';
import { parseConformanceData, runConformanceCase } from '../core/interp/conformance.ts';
import { CliIo, EXIT_OK, UsageError } from './io.ts';

export const CONFORMANCE_HELP = `Usage: bpfiddle conformance [--jit] [--verbose] PATH...

Run bpf_conformance .data files (PATH may be a file or a directory of them)
on the interpreter: r1 = a copy of "-- mem", r2 = its length; the test
passes when r0 equals "-- result". Prints one line per test, then
"N passed, M failed".

Options:
  --jit       run on the JIT (not available yet)
  --verbose   also print r0 for passing tests
  -h, --help  this help
`;

export async function conformanceCommand(args: string[], io: CliIo): Promise<number> {
  const paths: string[] = [];
  let verbose = false;
  for (const a of args) {
    if (a === '-h' || a === '--help') {
      io.stdout(CONFORMANCE_HELP);
      return EXIT_OK;
    }
    if (a === '--jit') throw new UsageError('the JIT is not available yet; run without --jit to use the interpreter');
    if (a === '--verbose') verbose = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}' (try --help)`);
    else paths.push(a);
  }
  if (paths.length === 0) throw new UsageError('missing PATH (a .data file or a directory of them); try --help');
  const files: string[] = [];
  for (const p of paths) files.push(...(await dataFiles(p)));
  if (files.length === 0) throw new UsageError(`no .data files in ${paths.join(', ')}`);
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const line = await runFile(file, io, verbose);
    if (line.passed) passed++;
    else failed++;
    io.stdout(line.text + '\n');
  }
  io.stdout(`${passed} passed, ${failed} failed\n`);
  return EXIT_OK;
}

async function dataFiles(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`cannot read ${path}: no such file or directory`);
  }
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => n.endsWith('.data')).sort();
  return names.map((n) => join(path, n));
}

async function runFile(file: string, io: CliIo, verbose: boolean): Promise<{ passed: boolean; text: string }> {
  let text: string;
  try {
    text = new TextDecoder().decode(await io.readFile(file));
  } catch (e) {
    return { passed: false, text: `FAIL ${file}: cannot read (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = parseConformanceData(text);
  if (!parsed.ok) return { passed: false, text: `FAIL ${file}: ${parsed.error}` };
  const tc = parsed.testCase;
  let insns: Insn[];
  if (tc.raw !== null) {
    insns = tc.raw;
  } else {
    const asm = assemble(tc.asm, { dialect: 'ubpf' });
    if (!asm.ok) {
      const d = asm.diagnostics.find((x) => x.severity === 'error') ?? asm.diagnostics[0];
      return { passed: false, text: `FAIL ${file}: does not assemble${d ? ` (line ${d.line}: ${d.message})` : ''}` };
    }
    insns = asm.program.insns;
  }
  const outcome = runConformanceCase(insns, tc.mem, tc.result);
  if (outcome.passed) return { passed: true, text: `PASS ${file}${verbose ? `: ${outcome.detail}` : ''}` };
  return { passed: false, text: `FAIL ${file}: ${outcome.detail}` };
}
