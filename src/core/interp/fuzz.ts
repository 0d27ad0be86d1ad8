/**
 * Robustness fuzzing of the decode → validate → disassemble → run pipeline:
 * seeded random bytes and random (mostly well-formed) instruction streams.
 * The properties: nothing throws, every run ends (the budget holds), and no
 * run ends in an 'internal' fault — that kind means a bug in the VM, not in
 * the program. Used by interp/fuzz.test.ts (small) and scripts/fuzz.ts (long).
 */
import { disassemble } from '../asm/index.ts';
import { decodeBytes, type Insn } from '../isa/insn.ts';
import { validateProgram } from '../isa/validate.ts';
import { buildContext } from './contexts.ts';
import { decodeProgram } from './decode.ts';
import { conformanceHelpers } from './helpers.ts';
import { Memory } from './memory.ts';
import { run, type RunResult } from './vm.ts';
import { xorshift32 } from '../num/prng.ts';

/** xorshift32: tiny, seedable, good enough to explore encodings. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    this.s = xorshift32(this.s);
    return this.s;
  }
  below(n: number): number {
    return this.next() % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

/** Every opcode byte the ISA defines, so random streams mostly execute. */
const OPCODES: readonly number[] = (() => {
  const ops: number[] = [];
  for (const cls of [0x04, 0x07]) for (const op of [0x00, 0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0x90, 0xa0, 0xb0, 0xc0]) ops.push(cls | op, cls | op | 0x08);
  ops.push(0x84, 0x87, 0xd4, 0xdc, 0xd7);
  for (const cls of [0x05, 0x06]) for (const op of [0x10, 0x20, 0x30, 0x40, 0x50, 0x60, 0x70, 0xa0, 0xb0, 0xc0, 0xd0]) ops.push(cls | op, cls | op | 0x08);
  ops.push(0x05, 0x06, 0x85, 0x8d, 0x95, 0xe5, 0x18);
  for (const size of [0x00, 0x08, 0x10, 0x18]) ops.push(0x61 | size, 0x62 | size, 0x63 | size, 0xc3 | size);
  ops.push(0x81, 0x89, 0x91, 0x20, 0x28, 0x30, 0x40, 0x48, 0x50);
  return ops;
})();

const IMMS = [0, 1, -1, 2, 7, 8, 16, 31, 32, 33, 63, 64, 0x7fffffff, -0x80000000, 0x100, 0xff, 0xe1, 0xf1, 0x01, 0x41, 0x51, 0xa1, 0x100, 0x110, 5];
const OFFS = [0, 1, -1, 2, -2, 3, -8, -16, -512, 8, 16, 32, 1, 0];

export function randomInsns(rng: Rng, maxLen = 24): Insn[] {
  const n = 1 + rng.below(maxLen);
  const out: Insn[] = [];
  // Start by pointing a few registers at memory so loads/stores hit real regions.
  out.push({ code: 0xbf, dst: 2, src: 10, off: 0, imm: 0 });
  out.push({ code: 0x07, dst: 2, src: 0, off: 0, imm: -16 });
  for (let i = 0; i < n; i++) {
    const code = rng.below(10) === 0 ? rng.below(256) : rng.pick(OPCODES);
    const ins: Insn = {
      code,
      dst: rng.below(12) === 0 ? rng.below(16) : rng.below(11),
      src: rng.below(12) === 0 ? rng.below(16) : rng.below(11),
      off: rng.pick(OFFS),
      imm: rng.below(3) === 0 ? rng.next() | 0 : rng.pick(IMMS),
    };
    if ((code & 0x07) === 0x05 || (code & 0x07) === 0x06) ins.off = rng.below(7) - 3;
    if (code === 0x85) ins.src = rng.below(4);
    if (code === 0x85 && ins.src === 1) ins.imm = rng.below(7) - 3;
    out.push(ins);
    if (code === 0x18) out.push({ code: 0, dst: 0, src: 0, off: 0, imm: rng.pick(IMMS) });
  }
  out.push({ code: 0x95, dst: 0, src: 0, off: 0, imm: 0 });
  return out;
}

export function randomBytes(rng: Rng, maxInsns = 16): Uint8Array {
  const bytes = new Uint8Array(8 * (1 + rng.below(maxInsns)) + (rng.below(8) === 0 ? rng.below(8) : 0));
  for (let i = 0; i < bytes.length; i++) bytes[i] = rng.below(256);
  return bytes;
}

export interface FuzzFinding {
  kind: 'exception' | 'internal-fault' | 'budget-overrun';
  message: string;
  insns: Insn[];
}

const PROG_TYPES = ['xdp', 'socket_filter', 'kprobe'] as const;

/** Push one program through every stage; returns what went wrong, if anything. */
export function checkProgram(insns: Insn[], rng: Rng, budget = 20_000): FuzzFinding | null {
  try {
    validateProgram(insns);
    disassemble(insns, { style: 'kernel' });
    disassemble(insns, { style: 'asm' });
    const prog = decodeProgram(insns);
    const memory = new Memory();
    const ctx = buildContext(memory, rng.pick(PROG_TYPES), null);
    if (!ctx.ok) return { kind: 'exception', message: ctx.reason, insns };
    const r: RunResult = run(prog, { memory, budget, args: [ctx.ctxPointer, 0n, 0n, 0n, 0n], helpers: conformanceHelpers(), ldAbsPacket: ctx.context?.packet });
    if (!r.ok && r.fault.kind === 'internal') return { kind: 'internal-fault', message: `${r.fault.message} at insn ${r.fault.pc}`, insns };
    // Budget is checked at taken jumps and calls; straight-line code can add at most one pass.
    if (r.insnsExecuted > budget + insns.length + 8) return { kind: 'budget-overrun', message: `${r.insnsExecuted} insns with budget ${budget}`, insns };
    return null;
  } catch (e) {
    return { kind: 'exception', message: e instanceof Error ? (e.stack ?? e.message) : String(e), insns };
  }
}

/** Run `iterations` seeded cases (half random bytes, half instruction streams). */
export function fuzz(seed: number, iterations: number, onFinding: (f: FuzzFinding, i: number) => void): number {
  const rng = new Rng(seed);
  let findings = 0;
  for (let i = 0; i < iterations; i++) {
    let insns: Insn[];
    if (i % 2 === 0) {
      const decoded = decodeBytes(randomBytes(rng));
      if (!decoded.ok) continue; // the decoder refused cleanly: that is the property
      insns = decoded.insns;
    } else {
      insns = randomInsns(rng);
    }
    const f = checkProgram(insns, rng);
    if (f) {
      findings++;
      onFinding(f, i);
    }
  }
  return findings;
}
