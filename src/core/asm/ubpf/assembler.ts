/**
 * Assembler for the uBPF / bpf_conformance mnemonic dialect
 * (`mov32 %r0, 0`, `ldxw %r0, [%r1+4]`, `jeq %r1, 5, +2`, `lock add [%r1], %r2`).
 *
 * Two passes: every line is scanned and encoded (labels recorded at the slot
 * index where they appear), then label references are patched with
 * `target - (slot + 1)`. Like bpf_conformance, a jump to `exit` with no label
 * of that name goes to the first `exit` instruction. Every problem becomes a
 * Diagnostic; nothing throws on any input.
 */
import type { Diagnostic, ProgramSpec, SourceLocation } from '../../program.ts';
import type { Insn } from '../../isa/insn.ts';
import type { AssembleOptions, AssembleResult } from '../types.ts';
import { encodeStatement, type Fixup } from './encode.ts';
import { closestMnemonic, lookupMnemonic } from './mnemonics.ts';
import { scanLine, type Token } from './syntax.ts';

/** uBPF programs carry no program type; kernel-side runs treat them as XDP, the playground default. */
const DEFAULT_PROG_TYPE = 'xdp';

interface PlacedFixup extends Fixup {
  line: number;
}

export function assembleUbpf(source: string, opts: AssembleOptions = {}): AssembleResult {
  try {
    return assemble(source, opts);
  } catch (e) {
    // Defensive: a bug here must still reach the user as a diagnostic, not a crash.
    const detail = e instanceof Error ? e.message : String(e);
    return {
      ok: false,
      dialect: 'ubpf',
      diagnostics: [{ line: 1, column: 1, severity: 'error', message: `internal assembler error: ${detail}` }],
    };
  }
}

function assemble(source: string, opts: AssembleOptions): AssembleResult {
  const diagnostics: Diagnostic[] = [];
  const insns: Insn[] = [];
  const sourceMap: (SourceLocation | null)[] = [];
  const labelAt = new Map<string, { slot: number; token: Token; line: number }>();
  const labelsByIndex: Record<number, string> = {};
  const fixups: PlacedFixup[] = [];
  let firstExit: number | null = null;

  const error = (line: number, column: number, endColumn: number, message: string): void => {
    diagnostics.push({ line, column, endColumn, severity: 'error', message });
  };

  const lines = source.split(/\r\n|\r|\n/);
  lines.forEach((text, i) => {
    const line = i + 1;
    const { statement, problems } = scanLine(text, line);
    for (const p of problems) error(line, p.column, p.endColumn, p.message);

    for (const label of statement.labels) {
      const previous = labelAt.get(label.text);
      if (previous) {
        error(line, label.column, label.column + label.text.length, `label '${label.text}' is already defined on line ${previous.line}`);
        continue;
      }
      labelAt.set(label.text, { slot: insns.length, token: label, line });
      labelsByIndex[insns.length] ??= label.text;
    }

    const mnemonic = statement.mnemonic;
    if (!mnemonic) return;
    const form = lookupMnemonic(mnemonic.text);
    if (!form) {
      const guess = closestMnemonic(mnemonic.text);
      const hint = guess ? `; did you mean '${guess}'?` : '; expected an instruction like mov, add32, ldxw, stxdw, jeq, call or exit';
      error(line, mnemonic.column, mnemonic.column + mnemonic.text.length, `unknown instruction '${mnemonic.text}'${hint}`);
      return;
    }
    if (problems.length > 0) return;

    const encoded = encodeStatement(statement, form);
    for (const p of encoded.problems) error(line, p.column, p.endColumn, p.message);
    if (encoded.problems.length > 0) return;

    if (form.kind === 'exit' && firstExit === null) firstExit = insns.length;
    for (const f of encoded.fixups) fixups.push({ ...f, slot: insns.length + f.slot, line });
    for (const slot of encoded.slots) {
      insns.push(slot);
      sourceMap.push({ line, column: mnemonic.column });
    }
  });

  resolveFixups(fixups, insns, labelAt, firstExit, error);

  if (diagnostics.length === 0 && insns.length === 0) {
    error(1, 1, 1, 'the program has no instructions; write at least one, e.g. `mov %r0, 0` then `exit`');
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, dialect: 'ubpf', diagnostics };

  const program: ProgramSpec = {
    name: opts.name ?? 'prog',
    progType: DEFAULT_PROG_TYPE,
    insns,
    maps: [],
    license: 'GPL',
    sourceMap,
    labels: labelsByIndex,
  };
  return { ok: true, program, dialect: 'ubpf', diagnostics };
}

function resolveFixups(
  fixups: readonly PlacedFixup[],
  insns: Insn[],
  labelAt: ReadonlyMap<string, { slot: number }>,
  firstExit: number | null,
  error: (line: number, column: number, endColumn: number, message: string) => void,
): void {
  for (const f of fixups) {
    const name = f.label.text;
    const target = labelAt.get(name)?.slot ?? (name === 'exit' ? firstExit : null);
    const end = f.label.column + name.length;
    if (target === null || target === undefined) {
      const what = f.orHelper ? `'${name}' is neither a helper name nor a label in this program` : `undefined label '${name}'; define it with a line '${name}:'`;
      error(f.line, f.label.column, end, what);
      continue;
    }
    const delta = target - (f.slot + 1);
    if (f.field === 'off') {
      if (delta < -32768 || delta > 32767) {
        error(f.line, f.label.column, end, `label '${name}' is ${delta} instructions away; a jump offset must fit in 16 bits (-32768..32767), use ja32 for long jumps`);
        continue;
      }
      insns[f.slot] = { ...insns[f.slot], off: delta };
    } else {
      insns[f.slot] = { ...insns[f.slot], imm: delta };
    }
  }
}
