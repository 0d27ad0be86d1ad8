/**
 * Random program shapes for differential testing against the kernel:
 * bounds games on scalars, stack spills, packet bounds checks (right and
 * off by one, every comparison form), map lookups with and without NULL
 * checks, ctx accesses, CFG errors, loops, sub-programs and helper calls.
 * Roughly half of them should be accepted by the kernel.
 */
import type { Insn } from '../../isa/insn.ts';
import type { MapSpec, ProgType } from '../../program.ts';
import * as b from './build.ts';
import { mulberry32 } from '../../num/prng.ts';

export interface GenProgram {
  kind: string;
  progType: ProgType;
  insns: Insn[];
  maps: MapSpec[];
}

/** Seeded so a failure or a corpus can be reproduced from its seed. */
export const rng = mulberry32;

type R = () => number;
const int = (r: R, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: R, p: number): boolean => r() < p;

const ARRAY_MAP = (valueSize: number, name = 'm'): MapSpec => ({ name, type: 'array', keySize: 4, valueSize, maxEntries: 4, flags: 0 });
const HASH_MAP = (valueSize: number): MapSpec => ({ name: 'h', type: 'hash', keySize: 8, valueSize, maxEntries: 16, flags: 0 });

const CMP_OPS = [b.JMP.JEQ, b.JMP.JNE, b.JMP.JGT, b.JMP.JGE, b.JMP.JLT, b.JMP.JLE, b.JMP.JSGT, b.JMP.JSGE, b.JMP.JSLT, b.JMP.JSLE, b.JMP.JSET];
const SIZES: b.Sz[] = [1, 2, 4, 8];

/** An unknown scalar into `reg`: a packet/ctx field, a random number or a map value. */
function unknownScalar(r: R, reg: number, progType: ProgType): Insn[] {
  if (progType === 'xdp' && chance(r, 0.5)) return [b.ldx(4, reg, 1, pick(r, [12, 16]))];
  if ((progType === 'socket_filter' || progType === 'sched_cls') && chance(r, 0.5)) return [b.ldx(4, reg, 1, pick(r, [0, 8, 16]))];
  if (reg === 0) return [b.movr(6, 1), b.call(7), b.movr(1, 6)];
  return [b.movr(6, 1), b.call(7), b.movr(reg, 0), b.movr(1, 6)];
}

/** Bounds games: derive an offset from an unknown scalar and use it on a map value or the stack. */
function genBounds(r: R): GenProgram {
  const progType: ProgType = pick(r, ['xdp', 'socket_filter', 'sched_cls'] as const);
  const vs = pick(r, [8, 16, 48, 64]);
  const out: Insn[] = [b.movr(6, 1)];
  out.push(...unknownScalar(r, 7, progType));
  out.push(b.movr(1, 6));
  // shape the scalar
  const shape = int(r, 0, 5);
  if (shape === 0) out.push(b.alu(b.ALU.AND, 7, pick(r, [7, 15, 31, 63, 0xff])));
  else if (shape === 1) out.push(b.alu(b.ALU.RSH, 7, pick(r, [56, 58, 60, 61])));
  else if (shape === 2) out.push(b.alu32(b.ALU.AND, 7, pick(r, [3, 7, 0x3f])), b.alu(b.ALU.LSH, 7, pick(r, [1, 2, 3])));
  else if (shape === 3) out.push(b.alu(b.ALU.MOD, 7, pick(r, [8, 16])));
  else if (shape === 4) out.push(b.jmp(pick(r, [b.JMP.JGT, b.JMP.JGE, b.JMP.JSGT]), 7, pick(r, [vs - 8, vs - 1, vs, vs - 4]), 100));
  // else: unbounded
  if (chance(r, 0.3)) out.push(b.alu(pick(r, [b.ALU.ADD, b.ALU.SUB, b.ALU.MUL]), 7, pick(r, [1, 2, 4, -1, 8])));
  // lookup key 0
  const keyOff = -8;
  out.push(b.st(4, 10, keyOff, 0), ...b.ldMap(1, 0), b.movr(2, 10), b.alu(b.ALU.ADD, 2, keyOff), b.call(1));
  const nullCheck = chance(r, 0.9);
  if (nullCheck) out.push(b.jmp(b.JMP.JEQ, 0, 0, 100));
  out.push(b.alur(b.ALU.ADD, 0, 7));
  const sz = pick(r, SIZES);
  out.push(chance(r, 0.5) ? b.ldx(sz, 3, 0, pick(r, [0, 0, vs - sz, vs - sz + 1])) : b.st(sz, 0, pick(r, [0, vs - sz]), 1));
  out.push(b.mov(0, pick(r, [0, 1, 2])), b.exit());
  return fixJumps({ kind: 'bounds', progType, insns: out, maps: [ARRAY_MAP(vs)] });
}

/** Jumps written with offset 100 mean "to the final `exit` sequence": patch them to the last two insns. */
function fixJumps(p: GenProgram): GenProgram {
  const n = p.insns.length;
  p.insns = p.insns.map((ins, i) => (ins.off === 100 && (ins.code & 7) === 5 ? { ...ins, off: n - 2 - i - 1 } : ins));
  return p;
}

function genSpill(r: R): GenProgram {
  const progType: ProgType = pick(r, ['xdp', 'sched_cls', 'kprobe'] as const);
  const out: Insn[] = [];
  const off = -8 * int(r, 1, 8) + (chance(r, 0.1) ? int(r, 1, 7) : 0);
  const sz = pick(r, SIZES);
  const what = int(r, 0, 4);
  if (what === 0) out.push(b.stx(sz, 10, off, 1)); // spill ctx (maybe partial)
  else if (what === 1) out.push(b.mov(2, int(r, -5, 300)), b.stx(sz, 10, off, 2));
  else if (what === 2) out.push(b.st(sz, 10, off, pick(r, [0, 1, 77])));
  else if (what === 3) out.push(...unknownScalar(r, 2, progType), b.stx(sz, 10, off, 2));
  // else nothing written
  const rsz = chance(r, 0.7) ? sz : pick(r, SIZES);
  const roff = chance(r, 0.8) ? off : off + pick(r, [-8, 4, 8]);
  out.push(b.ldx(rsz, 3, 10, roff));
  const use = int(r, 0, 3);
  if (use === 0) out.push(b.ldx(4, 0, 3, 0)); // deref the filled value
  else if (use === 1) out.push(b.movr(0, 3));
  else if (use === 2) out.push(b.jmp(b.JMP.JGT, 3, 10, 1), b.mov(0, 0));
  out.push(b.mov(0, 0), b.exit());
  return { kind: 'spill', progType, insns: out, maps: [] };
}

function genPacket(r: R): GenProgram {
  const progType: ProgType = pick(r, ['xdp', 'xdp', 'sched_cls', 'socket_filter'] as const);
  const dataOff = progType === 'xdp' ? 0 : 76;
  const endOff = progType === 'xdp' ? 4 : 80;
  const n = pick(r, [1, 2, 4, 8, 14, 20, 34, 42]);
  const out: Insn[] = [b.ldx(4, 2, 1, dataOff), b.ldx(4, 3, 1, endOff), b.movr(4, 2), b.alu(b.ALU.ADD, 4, n)];
  const form = int(r, 0, 7);
  // jump to exit when out of bounds; fall through to the access
  const fwd = [
    b.jmpr(b.JMP.JGT, 4, 3, 100), // data+n > end -> out
    b.jmpr(b.JMP.JLT, 3, 4, 100), // end < data+n -> out
    b.jmpr(b.JMP.JGE, 4, 3, 100), // data+n >= end -> out (stricter)
    b.jmpr(b.JMP.JLE, 3, 4, 100), // end <= data+n -> out
  ];
  if (form < 4) out.push(fwd[form]);
  else if (form === 4) out.push(b.jmpr(b.JMP.JLE, 4, 3, 1), b.ja(100)); // in-bounds jumps over the exit path
  else if (form === 5) out.push(b.jmpr(b.JMP.JGE, 3, 4, 1), b.ja(100));
  else if (form === 6) out.push(b.jmpr(b.JMP.JLT, 4, 3, 1), b.ja(100));
  // form 7: no check at all
  const sz = pick(r, SIZES);
  const goodMax = n - sz;
  const off = chance(r, 0.5) ? Math.max(0, goodMax) : goodMax + pick(r, [1, 2, -1]);
  if (chance(r, 0.8)) out.push(b.ldx(sz, 0, 2, off));
  else out.push(b.st(sz, 2, off, 0));
  out.push(b.mov(0, pick(r, [1, 2])), b.exit());
  return fixJumps({ kind: 'packet', progType, insns: out, maps: [] });
}

function genMap(r: R): GenProgram {
  const progType: ProgType = pick(r, ['xdp', 'socket_filter', 'kprobe', 'tracepoint'] as const);
  const vs = pick(r, [4, 8, 16, 32]);
  const hash = chance(r, 0.3);
  const map = hash ? HASH_MAP(vs) : ARRAY_MAP(vs);
  const ks = map.keySize;
  const out: Insn[] = [];
  const keyInit = int(r, 0, 3);
  if (keyInit === 0) out.push(b.st(ks as b.Sz, 10, -8, 0));
  else if (keyInit === 1) out.push(b.st(4, 10, -8, 1));
  else if (keyInit === 2) out.push(b.mov(1, 0), b.stx(8, 10, -8, 1));
  const keyOff = chance(r, 0.9) ? -8 : pick(r, [-4, -2, 0]);
  out.push(...b.ldMap(1, 0), b.movr(2, 10), b.alu(b.ALU.ADD, 2, keyOff));
  const op = int(r, 0, 2);
  if (op === 1) {
    out.push(b.movr(3, 10), b.alu(b.ALU.ADD, 3, pick(r, [-16, -32, -8])), b.mov(4, 0), b.call(2));
    out.push(b.mov(0, 0), b.exit());
    return { kind: 'map-update', progType, insns: out, maps: [map] };
  }
  out.push(b.call(1));
  const check = int(r, 0, 4);
  if (check === 0) out.push(b.jmp(b.JMP.JEQ, 0, 0, 100));
  else if (check === 1) out.push(b.jmp(b.JMP.JNE, 0, 0, 1), b.ja(100));
  else if (check === 2) out.push(b.movr(5, 0), b.jmp(b.JMP.JEQ, 5, 0, 100));
  else if (check === 3) out.push(b.jmp(b.JMP.JEQ, 0, 1, 100));
  // check 4: none
  const sz = pick(r, SIZES);
  const off = chance(r, 0.6) ? int(r, 0, Math.max(0, vs - sz)) : vs - sz + int(r, 1, 4);
  if (chance(r, 0.5)) out.push(b.ldx(sz, 1, 0, off));
  else out.push(b.st(sz, 0, off, 5));
  if (chance(r, 0.3)) out.push(b.xadd(8, 0, 0, 1 + int(r, 0, 0) === 1 ? 1 : 1));
  out.push(b.mov(0, 0), b.exit());
  return fixJumps({ kind: 'map', progType, insns: out, maps: [map] });
}

const CTX_TYPES: ProgType[] = ['xdp', 'socket_filter', 'sched_cls', 'kprobe', 'tracepoint', 'raw_tracepoint'];

function genCtx(r: R): GenProgram {
  const progType = pick(r, CTX_TYPES);
  const sz = pick(r, SIZES);
  const off = chance(r, 0.7) ? sz * int(r, 0, 24) : int(r, -4, 200);
  const out: Insn[] = [];
  if (chance(r, 0.15)) out.push(b.alu(b.ALU.ADD, 1, pick(r, [4, 8])));
  if (chance(r, 0.75)) out.push(b.ldx(sz, 0, 1, off));
  else out.push(chance(r, 0.5) ? b.st(sz, 1, off, 1) : b.stx(sz, 1, off, 10));
  out.push(b.mov(0, 0), b.exit());
  return { kind: 'ctx', progType, insns: out, maps: [] };
}

function genCfg(r: R): GenProgram {
  const out: Insn[] = [b.mov(0, 0)];
  const len = int(r, 2, 7);
  for (let i = 0; i < len; i++) {
    const k = int(r, 0, 4);
    if (k === 0) out.push(b.jmp(pick(r, CMP_OPS), 0, int(r, -1, 3), int(r, -3, len + 1)));
    else if (k === 1) out.push(b.ja(int(r, -2, len)));
    else if (k === 2) out.push(b.exit());
    else out.push(b.alu(b.ALU.ADD, 0, 1));
  }
  if (chance(r, 0.7)) out.push(b.exit());
  if (chance(r, 0.1)) out.push(b.mov(0, 1));
  return { kind: 'cfg', progType: 'xdp', insns: out, maps: [] };
}

function genLoop(r: R): GenProgram {
  const kind = int(r, 0, 3);
  const n = pick(r, [2, 5, 16, 100, 1000, 100000]);
  const out: Insn[] = [b.mov(0, 0), b.mov(2, 0)];
  if (kind === 0) {
    // bounded counter loop
    out.push(b.alu(b.ALU.ADD, 2, 1), b.alu(b.ALU.ADD, 0, pick(r, [0, 1, 3])), b.jmp(pick(r, [b.JMP.JLT, b.JMP.JNE, b.JMP.JLE]), 2, n, -3));
  } else if (kind === 1) {
    // no progress: infinite
    out.push(b.mov(3, 1), b.jmp(b.JMP.JEQ, 3, 1, -2));
  } else if (kind === 2) {
    // loop on an unknown bound
    out.push(...unknownScalar(r, 4, 'xdp'), b.alu(b.ALU.AND, 4, pick(r, [7, 63, 0xffff])), b.alu(b.ALU.ADD, 2, 1), b.jmpr(b.JMP.JLT, 2, 4, -2));
  } else {
    // countdown with a stack counter
    out.push(b.mov(3, n), b.stx(8, 10, -8, 3), b.ldx(8, 3, 10, -8), b.alu(b.ALU.SUB, 3, 1), b.stx(8, 10, -8, 3), b.jmp(b.JMP.JNE, 3, 0, -4));
  }
  out.push(b.mov(0, 0), b.exit());
  return { kind: 'loop', progType: 'xdp', insns: out, maps: [] };
}

function genSubprog(r: R): GenProgram {
  const out: Insn[] = [b.mov(1, int(r, 0, 10))];
  const passStack = chance(r, 0.3);
  if (passStack) out.push(b.st(8, 10, -8, 7), b.movr(2, 10), b.alu(b.ALU.ADD, 2, -8));
  out.push(b.callLocal(3), b.alu(b.ALU.AND, 0, 1), b.exit(), b.exit());
  // callee
  const body = int(r, 0, 3);
  if (body === 0) out.push(b.movr(0, 1), b.exit());
  else if (body === 1) out.push(b.ldx(8, 0, 2, 0), b.exit());
  else if (body === 2) out.push(b.alu(b.ALU.ADD, 1, 1), b.exit());
  else out.push(b.movr(0, 10), b.exit());
  // remove the unreachable second exit by pointing the call past it: call +3 targets index (call idx + 4)
  const callIdx = out.findIndex((x) => x.src === 1 && x.code === 0x85);
  out[callIdx] = b.callLocal(2);
  out.splice(callIdx + 3, 1);
  return { kind: 'subprog', progType: 'xdp', insns: out, maps: [] };
}

const HELPERS = [1, 2, 3, 5, 6, 7, 8, 12, 14, 16, 23, 25, 26, 28, 44, 51, 65, 113, 130, 131, 181];

function genHelper(r: R): GenProgram {
  const progType = pick(r, CTX_TYPES);
  const id = pick(r, HELPERS);
  const out: Insn[] = [b.movr(6, 1), b.st(8, 10, -8, 0), b.st(8, 10, -16, 0)];
  const maps: MapSpec[] = [pick(r, [ARRAY_MAP(8), { name: 'rb', type: 'ringbuf', keySize: 0, valueSize: 0, maxEntries: 4096, flags: 0 } as MapSpec, { name: 'pa', type: 'prog_array', keySize: 4, valueSize: 4, maxEntries: 4, flags: 0 } as MapSpec])];
  for (let a = 1; a <= 5; a++) {
    const k = int(r, 0, 4);
    if (k === 0) out.push(b.mov(a, pick(r, [0, 1, 4, 8, 16])));
    else if (k === 1) out.push(b.movr(a, 10), b.alu(b.ALU.ADD, a, pick(r, [-8, -16])));
    else if (k === 2 && a <= 2) out.push(...b.ldMap(a, 0));
    else if (k === 3) out.push(b.movr(a, 6));
  }
  if (id === 131) out.splice(out.length, 0);
  out.push(b.call(id));
  if (id === 131 && chance(r, 0.5)) out.push(b.jmp(b.JMP.JEQ, 0, 0, 3), b.movr(1, 0), b.mov(2, 0), b.call(132));
  out.push(b.mov(0, 0), b.exit());
  return { kind: 'helper', progType, insns: out, maps };
}

function genAlu(r: R): GenProgram {
  const out: Insn[] = [];
  const n = int(r, 2, 8);
  for (let i = 0; i < n; i++) {
    const k = int(r, 0, 6);
    const dst = int(r, 0, 5);
    const src = int(r, 0, 10);
    if (k === 0) out.push(b.mov(dst, int(r, -100, 100)));
    else if (k === 1) out.push(b.alu(pick(r, [b.ALU.ADD, b.ALU.SUB, b.ALU.MUL, b.ALU.OR, b.ALU.AND, b.ALU.LSH, b.ALU.RSH, b.ALU.ARSH, b.ALU.XOR, b.ALU.DIV]), dst, int(r, -2, 70)));
    else if (k === 2) out.push(b.alur(pick(r, [b.ALU.ADD, b.ALU.SUB, b.ALU.AND, b.ALU.MUL]), dst, src));
    else if (k === 3) out.push(b.movr(dst, src));
    else if (k === 4) out.push(b.alu32(pick(r, [b.ALU.ADD, b.ALU.MOV, b.ALU.LSH, b.ALU.AND]), dst, int(r, 0, 40)));
    else if (k === 5) out.push(b.jmp(pick(r, CMP_OPS), dst, int(r, -1, 10), 1), b.mov(dst, 1));
    else out.push(b.ldx(pick(r, SIZES), dst, src, int(r, -16, 16)));
  }
  out.push(b.movr(0, int(r, 0, 5)), b.exit());
  return { kind: 'alu', progType: pick(r, ['xdp', 'kprobe'] as const), insns: out, maps: [] };
}

/**
 * Mixed programs: random blocks over a few registers (scalars from ctx or
 * helpers, ALU in 64 and 32 bits, forward branches of every kind, stack,
 * packet and map accesses at fixed or variable offsets).
 */
function genMix(r: R): GenProgram {
  const progType: ProgType = pick(r, ['xdp', 'sched_cls', 'xdp'] as const);
  const dataOff = progType === 'xdp' ? 0 : 76;
  const endOff = progType === 'xdp' ? 4 : 80;
  const blocks: Insn[][] = [[b.movr(6, 1), b.mov(7, 0), b.mov(8, 0)]];
  const nBlocks = int(r, 3, 9);
  const vs = pick(r, [16, 32, 64]);
  let usesMap = false;
  for (let i = 0; i < nBlocks; i++) {
    const k = int(r, 0, 11);
    const reg = pick(r, [7, 8]);
    const other = reg === 7 ? 8 : 7;
    if (k === 0) blocks.push([b.call(pick(r, [5, 7, 8])), b.movr(reg, 0)]);
    else if (k === 1) blocks.push([b.ldx(4, reg, 6, progType === 'xdp' ? pick(r, [12, 16]) : pick(r, [0, 8, 16]))]);
    else if (k === 2) blocks.push([b.alu(pick(r, [b.ALU.AND, b.ALU.RSH, b.ALU.ADD, b.ALU.SUB, b.ALU.MUL, b.ALU.OR, b.ALU.LSH, b.ALU.ARSH, b.ALU.XOR]), reg, pick(r, [1, 3, 7, 15, 31, 63, 255, 4, 8, 32, -1, -8]))]);
    else if (k === 3) blocks.push([b.alu32(pick(r, [b.ALU.AND, b.ALU.ADD, b.ALU.RSH, b.ALU.MOV, b.ALU.LSH, b.ALU.SUB]), reg, pick(r, [1, 7, 15, 255, 16, 24, -1]))]);
    else if (k === 4) blocks.push([b.alur(pick(r, [b.ALU.ADD, b.ALU.SUB, b.ALU.AND, b.ALU.OR]), reg, other)]);
    else if (k === 5) {
      const n = int(r, 1, 3);
      const j = chance(r, 0.7) ? b.jmp(pick(r, CMP_OPS), reg, pick(r, [0, 1, 7, 8, 15, 16, 31, 63, 64, 255, -1]), n) : chance(r, 0.5) ? b.jmp32(pick(r, CMP_OPS), reg, pick(r, [0, 7, 15, 63, -1]), n) : b.jmpr(pick(r, CMP_OPS), reg, other, n);
      const body: Insn[] = [];
      for (let q = 0; q < n; q++) body.push(pick(r, [b.mov(reg, int(r, 0, 70)), b.alu(b.ALU.ADD, other, 1), b.mov(0, 1), b.alu(b.ALU.AND, reg, 15)]));
      blocks.push([j, ...body]);
    } else if (k === 6) {
      // packet access at fixed + variable offset
      const n = pick(r, [8, 14, 20, 40]);
      const sz = pick(r, SIZES);
      const useVar = chance(r, 0.5);
      const blk: Insn[] = [b.ldx(4, 2, 6, dataOff), b.ldx(4, 3, 6, endOff)];
      if (useVar) blk.push(b.alur(b.ALU.ADD, 2, reg));
      blk.push(b.movr(4, 2), b.alu(b.ALU.ADD, 4, n), b.jmpr(pick(r, [b.JMP.JGT, b.JMP.JGE]), 4, 3, 1), b.ldx(sz, 0, 2, pick(r, [0, n - sz, n - sz + 1])));
      blocks.push(blk);
    } else if (k === 7) {
      usesMap = true;
      const sz = pick(r, SIZES);
      blocks.push([
        b.st(4, 10, -4, pick(r, [0, 1, 9])),
        ...b.ldMap(1, 0),
        b.movr(2, 10),
        b.alu(b.ALU.ADD, 2, -4),
        b.call(1),
        b.jmp(b.JMP.JEQ, 0, 0, 2),
        b.alur(b.ALU.ADD, 0, reg),
        chance(r, 0.5) ? b.ldx(sz, 0, 0, pick(r, [0, vs - sz, vs - sz + 1])) : b.stx(sz, 0, pick(r, [0, vs - sz]), other),
      ]);
    } else if (k === 8) {
      blocks.push([b.stx(pick(r, SIZES), 10, pick(r, [-8, -16, -24, -12]), reg)]);
    } else if (k === 9) {
      blocks.push([b.ldx(pick(r, SIZES), reg, 10, pick(r, [-8, -16, -24, -12]))]);
    } else if (k === 10) {
      // variable-offset stack access
      blocks.push([b.movr(2, 10), b.alu(b.ALU.ADD, 2, -32), b.alur(b.ALU.ADD, 2, reg), b.st(pick(r, SIZES), 2, 0, 0)]);
    } else {
      blocks.push([b.movr(reg, other), b.jmp(pick(r, CMP_OPS), other, pick(r, [4, 16, 100]), 1), b.mov(reg, 0)]);
    }
  }
  blocks.push([b.movr(0, pick(r, [7, 8])), b.alu(b.ALU.AND, 0, 3), b.exit()]);
  return { kind: 'mix', progType, insns: blocks.flat(), maps: usesMap ? [ARRAY_MAP(vs)] : [] };
}

const GENERATORS: [number, (r: R) => GenProgram][] = [
  [8, genMix],
  [3, genBounds],
  [2, genSpill],
  [3, genPacket],
  [3, genMap],
  [2, genCtx],
  [1, genCfg],
  [1, genLoop],
  [1, genSubprog],
  [2, genHelper],
  [2, genAlu],
];

/** One random program; the same seed always gives the same program. */
export function generate(seed: number): GenProgram {
  const r = rng(seed);
  const total = GENERATORS.reduce((s, [w]) => s + w, 0);
  let x = r() * total;
  for (const [w, g] of GENERATORS) {
    if (x < w) return g(r);
    x -= w;
  }
  return genAlu(r);
}
