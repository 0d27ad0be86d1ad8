/**
 * The kernel/LLVM-syntax assembler: two passes over the source. The first
 * parses every line (collecting all errors, one per line at most), places
 * labels and reads directives; the second resolves label, helper and map
 * names and checks that jump offsets fit their fields.
 */
import { Insn } from '../../isa/insn.ts';
import { Cls, JmpOp, LD_IMM64_CODE, PseudoCall, PseudoLd } from '../../isa/opcodes.ts';
import type { Diagnostic, MapSpec, ProgType, ProgramSpec, SourceLocation } from '../../program.ts';
import { tokenize } from '../lexer.ts';
import { fitsOff16 } from '../numbers.ts';
import { codeLines } from '../source.ts';
import type { AssembleOptions, AssembleResult } from '../types.ts';
import { Cursor, LineError, Span } from './cursor.ts';
import { RAW_LINE, parseDirective, parseRaw } from './directives.ts';
import { PlacedInit, applyInits } from './map-init.ts';
import { Fixup, Statement, helperIdByName, parseStatement } from './statement.ts';

interface Placed {
  st: Statement;
  /** index of the statement's first slot */
  pc: number;
  line: number;
}

interface LabelDef {
  pc: number;
  line: number;
}

class Assembly {
  readonly diagnostics: Diagnostic[] = [];
  readonly slots: Insn[] = [];
  readonly sourceMap: (SourceLocation | null)[] = [];
  readonly placed: Placed[] = [];
  readonly labels = new Map<string, LabelDef>();
  readonly maps: MapSpec[] = [];
  readonly mapLines = new Map<string, number>();
  readonly inits: PlacedInit[] = [];
  progType: ProgType = 'xdp';
  progTypeLine = 0;
  license = 'GPL';

  error(line: number, span: Span, message: string): void {
    this.diagnostics.push({ line, column: span.col, endColumn: span.end, severity: 'error', message });
  }

  warn(line: number, span: Span, message: string): void {
    this.diagnostics.push({ line, column: span.col, endColumn: span.end, severity: 'warning', message });
  }

  emit(slots: Insn[], line: number, column: number): number {
    const pc = this.slots.length;
    for (const s of slots) {
      this.slots.push(s);
      this.sourceMap.push({ line, column });
    }
    return pc;
  }
}

export function assembleKernel(source: string, opts: AssembleOptions = {}): AssembleResult {
  const asm = new Assembly();
  for (const { line, text, opcodeHint, relocation } of codeLines(source)) {
    if (relocation) applyRelocation(asm, line, relocation);
    else firstPass(asm, line, text, opcodeHint);
  }
  for (const p of asm.placed) resolve(asm, p);
  // after the first pass: `.init` may come before its `.map`
  for (const problem of applyInits(asm.maps, asm.inits)) {
    if (problem.severity === 'error') asm.error(problem.line, problem.span, problem.message);
    else asm.warn(problem.line, problem.span, problem.message);
  }
  if (asm.slots.length === 0 && !asm.diagnostics.some((d) => d.severity === 'error')) {
    asm.error(1, { col: 1, end: 1 }, "the program has no instructions; write at least 'r0 = 0' and 'exit'");
  }
  const diagnostics = asm.diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, dialect: 'kernel', diagnostics };
  const labels: Record<number, string> = {};
  for (const [name, def] of asm.labels) if (labels[def.pc] === undefined) labels[def.pc] = name;
  const program: ProgramSpec = {
    name: opts.name ?? 'prog',
    progType: asm.progType,
    insns: asm.slots,
    maps: asm.maps,
    license: asm.license,
    sourceMap: asm.sourceMap,
    labels,
  };
  return { ok: true, program, dialect: 'kernel', diagnostics };
}

function firstPass(asm: Assembly, line: number, text: string, opcodeHint?: number): void {
  if (!text.trim()) return;
  const raw = RAW_LINE.exec(text);
  if (raw) {
    const r = parseRaw(raw[2]);
    const span = { col: raw[1].length + 1, end: text.length + 1 };
    if (r.ok) asm.emit(r.slots, line, span.col);
    else asm.error(line, span, r.message);
    return;
  }
  const lexed = tokenize(text);
  if (!lexed.ok) return asm.error(line, lexed, lexed.message);
  const tokens = lexed.tokens;
  let at = 0;
  // labels: `name:` (several may share a line, an instruction may follow)
  while (tokens[at]?.kind === 'ident' && tokens[at + 1]?.kind === 'op' && tokens[at + 1].text === ':') {
    defineLabel(asm, line, tokens[at]);
    at += 2;
  }
  if (at >= tokens.length) return;
  const c = new Cursor(tokens.slice(at), text, opcodeHint);
  try {
    if (tokens[at].kind === 'ident' && tokens[at].text.startsWith('.')) {
      applyDirective(asm, line, c);
      return;
    }
    const st = parseStatement(c);
    if (opcodeHint !== undefined && st.slots[0].code !== opcodeHint) {
      const hex = (n: number): string => n.toString(16).padStart(2, '0');
      asm.warn(line, tokens[at], `the pasted opcode (${hex(opcodeHint)}) does not match the instruction text, which assembles to (${hex(st.slots[0].code)})`);
    }
    if (st.warning) asm.warn(line, st.warning.span, st.warning.message);
    const pc = asm.emit(st.slots, line, tokens[at].col);
    asm.placed.push({ st, pc, line });
  } catch (e) {
    if (!(e instanceof LineError)) throw e;
    asm.error(line, e.span, e.message);
  }
}

/**
 * `llvm-objdump -dr` prints the symbol of a relocated instruction on the next
 * line: `R_BPF_64_64 counters` makes the LD_IMM64 above it load map
 * `counters` (or the address of function `counters`), `R_BPF_64_32 fn` makes
 * the call above it a call of `fn`.
 */
function applyRelocation(asm: Assembly, line: number, r: { type: string; symbol: string; column: number; symbolColumn: number }): void {
  const span = { col: r.column, end: r.column + r.type.length };
  const last = asm.placed[asm.placed.length - 1];
  const slot = last?.st.slots[0];
  const isLd = slot?.code === LD_IMM64_CODE;
  const isCall = slot?.code === (Cls.JMP | JmpOp.CALL);
  if (!last || (r.type === 'R_BPF_64_64' && !isLd) || (r.type === 'R_BPF_64_32' && !isCall)) {
    return asm.error(line, span, `relocation ${r.type} ${r.symbol} does not follow an instruction it can apply to`);
  }
  if (r.type !== 'R_BPF_64_64' && r.type !== 'R_BPF_64_32') return asm.warn(line, span, `relocation type ${r.type} is ignored`);
  const kind = isLd ? 'symbol' : 'call';
  last.st.fixup = { kind, name: r.symbol, field: 'imm', span: { col: r.symbolColumn, end: r.symbolColumn + r.symbol.length } };
}

function defineLabel(asm: Assembly, line: number, tok: Span & { text: string }): void {
  if (/^[rw]\d+$/.test(tok.text)) return asm.error(line, tok, `'${tok.text}' is a register name and cannot be a label`);
  const prev = asm.labels.get(tok.text);
  if (prev) return asm.error(line, tok, `label '${tok.text}' is defined twice (first on line ${prev.line})`);
  asm.labels.set(tok.text, { pc: asm.slots.length, line });
}

function applyDirective(asm: Assembly, line: number, c: Cursor): void {
  const head = c.peek()!;
  const d = parseDirective(c);
  switch (d.kind) {
    case 'prog':
      if (asm.progTypeLine) asm.error(line, head, `the program type is set twice (first on line ${asm.progTypeLine})`);
      asm.progType = d.progType;
      asm.progTypeLine = line;
      return;
    case 'map': {
      const first = asm.mapLines.get(d.map.name);
      if (first !== undefined) return asm.error(line, c.tokens[1], `map '${d.map.name}' is defined twice (first on line ${first})`);
      asm.mapLines.set(d.map.name, line);
      asm.maps.push(d.map);
      return;
    }
    case 'init':
      asm.inits.push({ init: d.init, line });
      return;
    case 'license':
      asm.license = d.license;
      return;
    case 'ignored':
      asm.warn(line, head, `directive '${d.name}' is ignored`);
  }
}

/** Second pass: fill in names now that every label and map is known. */
function resolve(asm: Assembly, p: Placed): void {
  const slot = p.st.slots[0];
  if (p.st.mapIndex && asm.maps.length > 0 && p.st.mapIndex.index >= asm.maps.length) {
    asm.error(p.line, p.st.mapIndex.span, `map index ${p.st.mapIndex.index} does not exist; ${asm.maps.length} map(s) are declared (0-${asm.maps.length - 1})`);
  }
  const f = p.st.fixup;
  if (!f) return;
  const label = asm.labels.get(f.name);
  const mapIndex = asm.maps.findIndex((m) => m.name === f.name);
  switch (f.kind) {
    case 'jump':
      if (!label) return asm.error(p.line, f.span, undefinedLabel(asm, f));
      return setRelative(asm, p, f, label.pc);
    case 'call':
      if (label) {
        slot.src = PseudoCall.CALL;
        return setRelative(asm, p, f, label.pc);
      }
      {
        const id = helperIdByName(f.name);
        if (id === undefined) {
          return asm.error(p.line, f.span, `unknown helper or function '${f.name}'; expected a helper like bpf_map_lookup_elem, a helper id, or a label in this file`);
        }
        slot.imm = id;
      }
      return;
    case 'func':
      if (!label) return asm.error(p.line, f.span, undefinedLabel(asm, f));
      return setRelative(asm, p, f, label.pc);
    case 'map':
    case 'mapValue':
      if (mapIndex < 0) return asm.error(p.line, f.span, undefinedMap(f.name));
      slot.imm = mapIndex;
      return;
    case 'symbol':
      if (mapIndex >= 0) {
        slot.src = PseudoLd.MAP_FD;
        slot.imm = mapIndex;
        return;
      }
      if (label) {
        slot.src = PseudoLd.FUNC;
        return setRelative(asm, p, f, label.pc);
      }
      return asm.error(p.line, f.span, `'${f.name}' is not a declared map or a label; declare a map with '.map ${f.name} array key=4 value=8 entries=1', or write a number`);
  }
}

function setRelative(asm: Assembly, p: Placed, f: Fixup, target: number): void {
  const rel = target - (p.pc + 1);
  if (f.field === 'off' && !fitsOff16(rel)) {
    return asm.error(p.line, f.span, `jump to '${f.name}' is ${rel} instructions away, too far for a 16-bit offset (-32768..32767); use 'gotol'`);
  }
  p.st.slots[0][f.field] = rel;
}

function undefinedLabel(asm: Assembly, f: Fixup): string {
  const near = [...asm.labels.keys()].find((l) => l.toLowerCase() === f.name.toLowerCase());
  return `undefined label '${f.name}'${near ? `; did you mean '${near}'?` : ''}`;
}

function undefinedMap(name: string): string {
  return `undefined map '${name}'; declare it first, like '.map ${name} array key=4 value=8 entries=1'`;
}
