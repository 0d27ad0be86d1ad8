/**
 * Whole-program disassembly. 'asm' style is assembly the assembler reads
 * back byte for byte: a ProgramSpec's type, maps (with their initial
 * contents and frozen state) and license become directives, map references
 * use map names, and jump/call targets get labels (the spec's own, or
 * generated ones). 'kernel' style is the
 * verifier log's `N: (op) text` lines.
 */
import { Insn } from '../../isa/insn.ts';
import { Cls, JmpOp, LD_IMM64_CODE, PseudoCall, PseudoLd, cls, op } from '../../isa/opcodes.ts';
import type { ProgramSpec } from '../../program.ts';
import { disasmAsmInsn, slotCount } from './asm-syntax.ts';
import { KernelDisasmOptions, disasmKernelInsn } from './kernel-log.ts';
import { licenseLiteral, mapDirectives } from './map-directives.ts';

export interface DisassembleOptions {
  style: 'kernel' | 'asm';
  /** asm style: print labels for jump and call targets (default true) */
  labels?: boolean;
  /** kernel style: see disasmKernelInsn */
  kernel?: KernelDisasmOptions;
}

const IDENT = /^[A-Za-z_.$][\w.$]*$/;
const RESERVED_NAMES = new Set(['ll', 'pc', 'id', 'func', 'map', 'map_value', 'skb', 'goto', 'if', 'call', 'exit', 'lock']);

const isUsableName = (name: string): boolean => IDENT.test(name) && !/^[rw]\d+$/.test(name) && !RESERVED_NAMES.has(name) && !name.startsWith('.');

export function disassemble(program: ProgramSpec | readonly Insn[], opts: DisassembleOptions): string {
  const spec = isInsnArray(program) ? undefined : program;
  const insns = isInsnArray(program) ? program : program.insns;
  const lines = opts.style === 'kernel' ? kernelLines(insns, opts.kernel) : asmLines(insns, spec, opts.labels ?? true);
  return lines.length ? lines.join('\n') + '\n' : '';
}

function isInsnArray(p: ProgramSpec | readonly Insn[]): p is readonly Insn[] {
  return Array.isArray(p);
}

function kernelLines(insns: readonly Insn[], opts: KernelDisasmOptions = {}): string[] {
  const out: string[] = [];
  for (let i = 0; i < insns.length; i += slotCount(insns, i)) out.push(`${i}: ${disasmKernelInsn(insns, i, opts)}`);
  return out;
}

function asmLines(insns: readonly Insn[], spec: ProgramSpec | undefined, withLabels: boolean): string[] {
  const out: string[] = [];
  const mapNames = spec ? declarableMapNames(spec) : undefined;
  if (spec) {
    out.push(`.prog ${spec.progType}`);
    if (spec.license !== 'GPL') out.push(`.license ${licenseLiteral(spec.license)}`);
    for (const m of mapNames ? spec.maps : []) out.push(...mapDirectives(m));
  }
  const starts = instructionStarts(insns);
  const labels = withLabels ? assignLabels(insns, starts, spec?.labels ?? {}) : new Map<number, string>();
  const labelNames = new Set(labels.values());
  const ctx = {
    labelAt: (i: number) => labels.get(i),
    mapName: (i: number) => mapNames?.[i],
    isLabelName: (n: string) => labelNames.has(n),
  };
  const indent = labels.size ? '    ' : '';
  for (let i = 0; i < insns.length; i += slotCount(insns, i)) {
    const label = labels.get(i);
    if (label) out.push(`${label}:`);
    out.push(indent + disasmAsmInsn(insns, i, ctx));
  }
  const endLabel = labels.get(insns.length);
  if (endLabel) out.push(`${endLabel}:`);
  return out;
}

/** Map names usable in `.map` and `map[NAME]`, or undefined to use indices. */
function declarableMapNames(spec: ProgramSpec): string[] | undefined {
  const names = spec.maps.map((m) => m.name);
  const unique = new Set(names).size === names.length;
  return unique && names.every(isUsableName) ? names : undefined;
}

/** Slot indices where an instruction begins (not the second half of an LD_IMM64). */
function instructionStarts(insns: readonly Insn[]): Set<number> {
  const starts = new Set<number>();
  for (let i = 0; i < insns.length; i += slotCount(insns, i)) starts.add(i);
  starts.add(insns.length);
  return starts;
}

/**
 * Labels for every jump, call and function-pointer target that begins an
 * instruction: the spec's names when it has one there, otherwise `L<n>` for
 * jump targets and `fn_<n>` for functions.
 */
function assignLabels(insns: readonly Insn[], starts: Set<number>, given: Record<number, string>): Map<number, string> {
  const labels = new Map<number, string>();
  const used = new Set<string>();
  const name = (at: number, base: string): void => {
    if (labels.has(at) || !starts.has(at)) return;
    const preferred = given[at];
    let n = preferred && isUsableName(preferred) && !used.has(preferred) ? preferred : base;
    for (let k = 1; used.has(n); k++) n = `${base}_${k}`;
    labels.set(at, n);
    used.add(n);
  };
  for (const [at, n] of Object.entries(given)) if (isUsableName(n)) name(Number(at), n);
  for (let i = 0; i < insns.length; i += slotCount(insns, i)) {
    const t = targetOf(insns[i], i);
    if (t) name(t.at, t.fn ? `fn_${t.at}` : `L${t.at}`);
  }
  return labels;
}

function targetOf(ins: Insn, i: number): { at: number; fn: boolean } | undefined {
  if (ins.code === LD_IMM64_CODE) return ins.src === PseudoLd.FUNC ? { at: i + 1 + ins.imm, fn: true } : undefined;
  const c = cls(ins.code);
  if (c !== Cls.JMP && c !== Cls.JMP32) return undefined;
  const o = op(ins.code);
  if (o === JmpOp.EXIT) return undefined;
  if (o === JmpOp.CALL) return c === Cls.JMP && ins.src === PseudoCall.CALL ? { at: i + 1 + ins.imm, fn: true } : undefined;
  if (c === Cls.JMP32 && o === JmpOp.JA) return { at: i + 1 + ins.imm, fn: false };
  return { at: i + 1 + ins.off, fn: false };
}
