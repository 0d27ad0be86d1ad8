/**
 * bpf_conformance support: parse a `.data` test file and run a program the
 * way the suite's plugin protocol does (r1 = a copy of `-- mem`, r2 = its
 * length, helpers = the suite's table, then compare r0 with `-- result`).
 */
import type { Insn } from '../isa/insn.ts';
import { hexToBytes } from '../isa/insn.ts';
import { hexU64 } from '../num/int64.ts';
import { decodeProgram } from './decode.ts';
import { conformanceHelpers } from './helpers.ts';
import { Memory } from './memory.ts';
import { run, type RunResult } from './vm.ts';

export interface ConformanceCase {
  /** `-- asm` section (uBPF mnemonic dialect) */
  asm: string;
  /** `-- raw` section as instruction slots, when the file has one */
  raw: Insn[] | null;
  mem: Uint8Array;
  /** expected r0, or null when the file expects an error */
  result: bigint | null;
  /** `-- error` section text, when present */
  error: string | null;
}

export type ParseCaseResult = { ok: true; testCase: ConformanceCase } | { ok: false; error: string };

/** Parse the `-- section` format of bpf_conformance `.data` files. */
export function parseConformanceData(text: string): ParseCaseResult {
  const sections = new Map<string, string[]>();
  let current: string[] | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const header = /^--\s*(.+?)\s*$/.exec(rawLine);
    if (header) {
      current = [];
      sections.set(header[1], current);
      continue;
    }
    if (current === null) continue; // the comment block before the first section
    current.push(rawLine);
  }
  const asm = sections.get('asm');
  if (!asm) return { ok: false, error: 'no "-- asm" section' };
  const memHex = (sections.get('mem') ?? []).join(' ');
  const mem = hexToBytes(memHex);
  if (!mem.ok) return { ok: false, error: `bad "-- mem" section: ${mem.error}` };
  let raw: Insn[] | null = null;
  const rawLines = sections.get('raw');
  if (rawLines) {
    const parsed = parseRaw(rawLines);
    if (typeof parsed === 'string') return { ok: false, error: parsed };
    raw = parsed;
  }
  let result: bigint | null = null;
  const resultText = (sections.get('result') ?? []).join(' ').trim();
  if (resultText !== '') {
    try {
      result = BigInt.asUintN(64, BigInt(resultText));
    } catch {
      return { ok: false, error: `bad "-- result" value '${resultText}'` };
    }
  }
  const errorText = sections.get('error')?.join('\n').trim() ?? null;
  if (result === null && errorText === null) return { ok: false, error: 'no "-- result" or "-- error" section' };
  return { ok: true, testCase: { asm: stripComments(asm), raw, mem: mem.bytes, result, error: errorText } };
}

/** `-- raw` holds one 64-bit little-endian instruction per line as 0x-hex (opcode in the low byte). */
function parseRaw(lines: string[]): Insn[] | string {
  const out: Insn[] = [];
  for (const line of lines) {
    const t = line.replace(/#.*/, '').trim();
    if (t === '') continue;
    let v: bigint;
    try {
      v = BigInt(t);
    } catch {
      return `bad "-- raw" line '${t}'`;
    }
    const regs = Number((v >> 8n) & 0xffn);
    out.push({
      code: Number(v & 0xffn),
      dst: regs & 0x0f,
      src: regs >> 4,
      off: Number(BigInt.asIntN(16, v >> 16n)),
      imm: Number(BigInt.asIntN(32, v >> 32n)),
    });
  }
  return out;
}

function stripComments(lines: string[]): string {
  return lines.map((l) => l.replace(/#.*/, '').trimEnd()).filter((l) => l.trim() !== '').join('\n');
}

export interface ConformanceOutcome {
  passed: boolean;
  /** what happened, for the per-test line: "r0 = 0x3" or the fault */
  detail: string;
  run: RunResult;
}

/** Run one program with the suite's calling convention and judge it against the expectation. */
export function runConformanceCase(insns: readonly Insn[], mem: Uint8Array, expected: bigint | null, budget = 10_000_000): ConformanceOutcome {
  const memory = new Memory();
  const region = memory.addRegion({ kind: 'mem', name: 'mem', bytes: mem.slice() });
  const args = [mem.length === 0 ? 0n : memory.pointer(region.id, 0), BigInt(mem.length)];
  const result = run(decodeProgram(insns), { memory, args, helpers: conformanceHelpers(), budget });
  if (!result.ok) {
    const detail = `fault at insn ${result.fault.pc}: ${result.fault.message}`;
    return { passed: expected === null, detail, run: result };
  }
  const detail = `r0 = ${hexU64(result.r0)}`;
  if (expected === null) return { passed: false, detail: `${detail}, but an error was expected`, run: result };
  return { passed: result.r0 === expected, detail: result.r0 === expected ? detail : `${detail}, expected ${hexU64(expected)}`, run: result };
}
