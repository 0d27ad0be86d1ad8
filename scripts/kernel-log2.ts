/**
 * What the level-2 log comparisons (fuzz-kernel-log2.ts, fuzz-kernel-liveness.ts)
 * share: the command line (FILE.jsonl [--max-insns N] [--write OUT.jsonl]
 * [--show K] [--kbpf PATH]), the saved bundles with their kernel logs at
 * level 2 (one kbpf.py --batch run), and the report pieces.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insnsFromHex, type Insn } from '../src/core/isa/insn.ts';
import type { ProgramSpec } from '../src/core/program.ts';

interface Row {
  id?: string;
  bundle: { id?: string; progType: ProgramSpec['progType']; insns: string; maps: ProgramSpec['maps'] };
  kernel: { processedInsns: number | null };
}

export interface KernelLog2 {
  verdict: string;
  errorInsn: number | null;
  errorLine: string | null;
  processedInsns: number;
  totalStates?: number;
  peakStates?: number;
  log: string;
}

export interface Log2Case {
  id: string;
  bundle: Row['bundle'];
  /** the program as our verifier takes it */
  program: ProgramSpec;
  kernel: KernelLog2;
}

export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : dflt;
}

export const options = {
  file: process.argv[2],
  maxInsns: Number(arg('--max-insns', '20000')),
  out: arg('--write', ''),
  show: Number(arg('--show', '3')),
  kbpf: arg('--kbpf', '/work/shared/tools/kbpf.py'),
};

/** The saved programs under --max-insns, each with the kernel's level-2 log (truncated logs left out). */
export function kernelLog2Cases(): Log2Case[] {
  const rows = readFileSync(options.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Row)
    .filter((r) => (r.kernel.processedInsns ?? 0) <= options.maxInsns);
  const bundles = rows.map((r, i) => ({ ...r.bundle, id: r.id ?? r.bundle.id ?? `row-${i}`, logLevel: 2 }));
  const dir = mkdtempSync(join(tmpdir(), 'kernel-log2-'));
  writeFileSync(join(dir, 'b.jsonl'), bundles.map((b) => JSON.stringify(b)).join('\n') + '\n');
  const kout = execFileSync('python3', [options.kbpf, '--batch', join(dir, 'b.jsonl'), '--log-level', '2'], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const kernel = kout.trim().split('\n').map((l) => JSON.parse(l) as KernelLog2);
  const cases: Log2Case[] = [];
  bundles.forEach((b, i) => {
    const k = kernel[i];
    if (!k || typeof k.log !== 'string' || /ENOSPC|log buffer/i.test(k.errorLine ?? '')) return;
    const d = insnsFromHex(b.insns);
    if (!d.ok) return;
    const insns: Insn[] = d.insns;
    cases.push({ id: b.id, bundle: b, program: { name: b.id, progType: b.progType, insns, maps: b.maps, license: 'GPL' }, kernel: k });
  });
  return cases;
}

/** Where two line lists part, for the report. */
export function firstDiff(id: string, what: string, kernel: string[], ours: string[]): string {
  let j = 0;
  while (j < kernel.length && kernel[j] === ours[j]) j++;
  return `${id} ${what} line ${j + 1}\n    kernel: ${kernel[j]}\n    ours:   ${ours[j]}`;
}

/** A matched program as a golden record (test-data/verifier/precision.jsonl, liveness.jsonl). */
export function goldenRecord(c: Log2Case): string {
  const { bundle: b, kernel: k } = c;
  return JSON.stringify({ id: c.id, bundle: { progType: b.progType, insns: b.insns, maps: b.maps }, kernel: { verdict: k.verdict, errorInsn: k.errorInsn, errorLine: k.errorLine, processedInsns: k.processedInsns, totalStates: k.totalStates, peakStates: k.peakStates, log: k.log } });
}

export const pct = (a: number, n: number): string => (n ? `${((100 * a) / n).toFixed(1)}% (${a}/${n})` : 'n/a');

export function writeGolden(records: string[]): void {
  if (options.out) writeFileSync(options.out, records.join('\n') + (records.length ? '\n' : ''));
}
