/**
 * Seeded fuzzing: random text and mutated conformance programs must never
 * make the assembler or the .data reader throw, and every answer must be
 * well formed (diagnostics on real lines, or encodable instructions).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AssembleResult } from '../types.ts';
import { assembleUbpf } from './assembler.ts';
import { parseConformanceData } from './data-file.ts';
import { looksLikeUbpf } from './detect.ts';
import { mulberry32 as rng } from '../../num/prng.ts';


const testsDir = new URL('../../../../test-data/conformance/tests/', import.meta.url);
const corpus = readdirSync(testsDir)
  .filter((f) => f.endsWith('.data'))
  .sort()
  .map((f) => readFileSync(new URL(f, testsDir), 'utf8'));

const PIECES = [
  '%r', '%r1', '%r10', '%r11', 'r', '[', ']', '[%r1+', '+', '-', ',', ', ', ':', '#', ' ', '\t', '\n', '0x', '0X',
  '-2147483648', '2147483648', '0xffffffffffffffffff', '99999999999999999999', '-', 'lock', 'fetch', 'call',
  'local', 'helper', 'runtime', 'exit', 'ja', 'ja32', 'lddw', 'mov', 'movsx832', 'stxdw', 'jeq32', 'le16',
  'bpf_map_lookup_elem', 'L1', 'L1:', 'exit:', '\u0000', '\u00e9', '\ud83d\ude00', '\r', '$', '.', '__proto__', 'constructor',
];

function randomText(next: () => number, maxPieces: number): string {
  let s = '';
  const n = Math.floor(next() * maxPieces);
  for (let i = 0; i < n; i++) {
    if (next() < 0.6) s += PIECES[Math.floor(next() * PIECES.length)];
    else s += String.fromCharCode(32 + Math.floor(next() * 95));
  }
  return s;
}

function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(next() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * lines.length);
    const line = lines[at] ?? '';
    const pos = Math.floor(next() * (line.length + 1));
    switch (Math.floor(next() * 6)) {
      case 0:
        lines[at] = line.slice(0, pos) + line.slice(pos + 1 + Math.floor(next() * 4));
        break;
      case 1:
        lines[at] = line.slice(0, pos) + randomText(next, 3) + line.slice(pos);
        break;
      case 2:
        lines.splice(at, 1);
        break;
      case 3:
        lines.splice(at, 0, line);
        break;
      case 4:
        lines[at] = line.replace(/-?\d+/, () => String(Math.floor(next() * 2 ** 40) - 2 ** 39));
        break;
      default:
        lines[at] = line.replace(/%r\d+/, `%r${Math.floor(next() * 20)}`);
    }
  }
  return lines.join('\n');
}

function checkWellFormed(source: string, r: AssembleResult): void {
  const lineCount = source.split(/\r\n|\r|\n/).length;
  if (r.ok) {
    expect(r.program.insns.length).toBeGreaterThan(0);
    expect(r.program.sourceMap?.length).toBe(r.program.insns.length);
    for (const ins of r.program.insns) {
      const fieldsOk =
        Number.isInteger(ins.code) && ins.code >= 0 && ins.code <= 255 &&
        ins.dst >= 0 && ins.dst <= 10 && ins.src >= 0 && ins.src <= 15 &&
        ins.off >= -32768 && ins.off <= 32767 && ins.imm === (ins.imm | 0);
      if (!fieldsOk) throw new Error(`bad slot ${JSON.stringify(ins)} from ${JSON.stringify(source)}`);
    }
  } else {
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      const ok = d.line >= 1 && d.line <= lineCount && d.column >= 1 && d.message.length > 0 && !d.message.startsWith('internal');
      if (!ok) throw new Error(`bad diagnostic ${JSON.stringify(d)} for ${JSON.stringify(source)}`);
    }
  }
}

describe('fuzz', () => {
  it('random text: no throw, well-formed answers', () => {
    const next = rng(0x5eed);
    for (let i = 0; i < 3000; i++) {
      const src = randomText(next, 40);
      checkWellFormed(src, assembleUbpf(src));
      looksLikeUbpf(src);
      parseConformanceData(src);
    }
  });

  it('mutated conformance programs: no throw, well-formed answers', () => {
    const next = rng(42);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const file = mutate(corpus[Math.floor(next() * corpus.length)], next);
      const parsed = parseConformanceData(file);
      if (!parsed.ok || parsed.data.asm === null) continue;
      const r = assembleUbpf(parsed.data.asm);
      checkWellFormed(parsed.data.asm, r);
      if (r.ok) accepted++;
      else rejected++;
    }
    // The mutations must exercise both paths, or the test proves little.
    expect(accepted).toBeGreaterThan(300);
    expect(rejected).toBeGreaterThan(300);
  });
});
