/**
 * Reader for bpf_conformance `.data` test files: `-- NAME` lines open
 * sections; `#` lines before the first section are comments.
 *
 *   -- asm      uBPF-dialect assembly
 *   -- raw      instructions as bytes (`07 00 01 00 01 00 00 00`, eight per
 *               slot) or as one little-endian 64-bit word per slot
 *               (`0x5566778800000018`); when present it wins over `-- asm`,
 *               as in bpf_conformance's own parser
 *   -- mem      input memory, hex bytes (r1 points to it, r2 is its length)
 *   -- result   expected r0 (hex with 0x, or decimal)
 *   -- error    expected failure text ('' = any failure)
 *   -- c, -- no register offset, -- no jit   notes; ignored
 */
import type { Diagnostic } from '../../program.ts';
import { decodeBytes, type Insn } from '../../isa/insn.ts';
import type { AssembleOptions, AssembleResult } from '../types.ts';
import { assembleUbpf } from './assembler.ts';

export interface ConformanceData {
  /** the `-- asm` text, or null */
  asm: string | null;
  /** 1-based file line of the first line of `asm` (to map diagnostics back) */
  asmFirstLine: number;
  /** the `-- raw` instructions, or null */
  raw: Insn[] | null;
  /** input memory (empty when there is no `-- mem`) */
  mem: Uint8Array;
  /** expected r0, or null */
  result: bigint | null;
  /** expected error text ('' when the section is empty), or null */
  expectedError: string | null;
  /** section names in file order */
  sections: string[];
}

export type ConformanceParse =
  | { ok: true; data: ConformanceData; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

const NOTE_SECTIONS = new Set(['c', 'no register offset', 'no jit']);
const ALL_SECTIONS = ['asm', 'raw', 'mem', 'result', 'error', ...NOTE_SECTIONS];

interface Section {
  name: string;
  headerLine: number;
  lines: { text: string; line: number }[];
}

export function parseConformanceData(text: string): ConformanceParse {
  const diagnostics: Diagnostic[] = [];
  const error = (line: number, message: string, column = 1): void => {
    diagnostics.push({ line, column, severity: 'error', message });
  };
  const sections: Section[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const header = /^--\s*(.*?)\s*$/.exec(raw);
    if (header) {
      const name = header[1];
      if (!ALL_SECTIONS.includes(name)) {
        error(line, `unknown section '-- ${name}'; expected one of ${ALL_SECTIONS.map((s) => `'-- ${s}'`).join(', ')}`);
      }
      if (sections.some((s) => s.name === name)) error(line, `section '-- ${name}' appears twice`);
      sections.push({ name, headerLine: line, lines: [] });
      return;
    }
    const current = sections[sections.length - 1];
    if (current) current.lines.push({ text: raw, line });
    else if (raw.trim() !== '' && !raw.trimStart().startsWith('#')) {
      error(line, "text before the first section; a .data file starts with '-- asm' or '-- raw' (lines starting with '#' are comments)");
    }
  });

  const find = (name: string): Section | undefined => sections.find((s) => s.name === name);
  const asmSection = find('asm');
  const rawSection = find('raw');
  if (!asmSection && !rawSection) error(1, "no '-- asm' or '-- raw' section: the file has no program");

  const raw = rawSection ? parseRaw(rawSection, error) : null;
  const mem = parseMem(find('mem'), error);
  const result = parseResult(find('result'), error);
  const errorSection = find('error');
  const expectedError = errorSection ? errorSection.lines.map((l) => l.text.trim()).filter((t) => t !== '').join('\n') : null;

  diagnostics.sort((a, b) => a.line - b.line);
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return {
    ok: true,
    diagnostics,
    data: {
      asm: asmSection ? asmSection.lines.map((l) => l.text).join('\n') : null,
      asmFirstLine: asmSection ? asmSection.headerLine + 1 : 1,
      raw,
      mem,
      result,
      expectedError,
      sections: sections.map((s) => s.name),
    },
  };
}

function meaningful(section: Section): { text: string; line: number }[] {
  return section.lines.filter((l) => l.text.trim() !== '' && !l.text.trimStart().startsWith('#'));
}

function parseRaw(section: Section, error: (line: number, message: string) => void): Insn[] | null {
  const bytes: number[] = [];
  for (const { text, line } of meaningful(section)) {
    for (const token of text.trim().split(/\s+/)) {
      if (/^0[xX][0-9a-fA-F]{1,16}$/.test(token)) {
        // One instruction as a little-endian 64-bit word.
        let word = BigInt(token);
        for (let b = 0; b < 8; b++, word >>= 8n) bytes.push(Number(word & 0xffn));
      } else if (/^[0-9a-fA-F]{2}$/.test(token)) {
        bytes.push(parseInt(token, 16));
      } else {
        error(line, `'${token}' in '-- raw' is neither a hex byte like 0a nor a 64-bit word like 0x0000000000000095`);
        return null;
      }
    }
  }
  const decoded = decodeBytes(Uint8Array.from(bytes));
  if (!decoded.ok) {
    error(section.headerLine, `'-- raw': ${decoded.error}`);
    return null;
  }
  return decoded.insns;
}

function parseMem(section: Section | undefined, error: (line: number, message: string) => void): Uint8Array {
  if (!section) return new Uint8Array(0);
  const bytes: number[] = [];
  for (const { text, line } of meaningful(section)) {
    for (const token of text.trim().split(/\s+/)) {
      if (!/^[0-9a-fA-F]{1,2}$/.test(token)) {
        error(line, `'${token}' in '-- mem' is not a hex byte like 0a`);
        return new Uint8Array(0);
      }
      bytes.push(parseInt(token, 16));
    }
  }
  return Uint8Array.from(bytes);
}

function parseResult(section: Section | undefined, error: (line: number, message: string) => void): bigint | null {
  if (!section) return null;
  const lines = meaningful(section);
  if (lines.length === 0) return null;
  const { text, line } = lines[lines.length - 1];
  const t = text.trim();
  if (!/^(0[xX][0-9a-fA-F]{1,16}|[0-9]+|-[0-9]+)$/.test(t)) {
    error(line, `'-- result' should be a number like 0x3 or 42, found '${t}'`);
    return null;
  }
  const value = BigInt(t);
  if (value < -(1n << 63n) || value >= 1n << 64n) {
    error(line, `'-- result' ${t} does not fit in 64 bits`);
    return null;
  }
  return BigInt.asUintN(64, value);
}

/**
 * The program of a parsed .data file: the raw instructions when present,
 * else the assembled `-- asm` section, with diagnostics on file lines.
 */
export function conformanceProgram(data: ConformanceData, opts: AssembleOptions = {}): AssembleResult {
  if (data.raw) {
    return {
      ok: true,
      dialect: 'ubpf',
      diagnostics: [],
      program: { name: opts.name ?? 'prog', progType: 'xdp', insns: data.raw, maps: [], license: 'GPL' },
    };
  }
  const result = assembleUbpf(data.asm ?? '', opts);
  const shift = (d: Diagnostic): Diagnostic => ({ ...d, line: d.line + data.asmFirstLine - 1 });
  if (!result.ok) return { ...result, diagnostics: result.diagnostics.map(shift) };
  const sourceMap = result.program.sourceMap?.map((loc) => (loc ? { ...loc, line: loc.line + data.asmFirstLine - 1 } : null));
  return { ...result, program: { ...result.program, sourceMap }, diagnostics: result.diagnostics.map(shift) };
}
