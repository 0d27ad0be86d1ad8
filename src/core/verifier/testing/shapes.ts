/**
 * A second, independent program generator for the differential fuzzer
 * (issue 4). It writes kernel-syntax assembly from the list of shapes in the
 * issue — scalar bounds games, spills/fills, packet checks, map lookups, ctx
 * accesses, CFG errors, loops, subprograms, helper arguments, uninitialised
 * registers, pointer arithmetic, atomics, LD_ABS/LD_IND, tail calls — and
 * assembles it with our assembler. It shares nothing with gen.ts on purpose:
 * a verifier measured only on its author's generator can pass by sharing
 * that generator's blind spots.
 */
import { assemble } from '../../asm/index.ts';
import type { Insn } from '../../isa/insn.ts';
import type { MapSpec, ProgType } from '../../program.ts';
import { xorshift32 } from '../../num/prng.ts';

export interface ShapeProgram {
  kind: string;
  progType: ProgType;
  insns: Insn[];
  maps: MapSpec[];
  asm: string;
}

/** Small deterministic PRNG (xorshift32 on a mixed seed). */
class Rand {
  private s: number;
  constructor(seed: number) {
    this.s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0) || 1;
  }
  next(): number {
    this.s = xorshift32(this.s);
    return this.s / 0x100000000;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

interface Draft {
  progType: ProgType;
  maps: string[];
  body: string[];
}

const SIZES = ['u8', 'u16', 'u32', 'u64'] as const;
const BYTES: Record<(typeof SIZES)[number], number> = { u8: 1, u16: 2, u32: 4, u64: 8 };
const CMP = ['>', '>=', '<', '<=', '==', '!=', 's>', 's>=', 's<', 's<='] as const;
const PACKET_TYPES: ProgType[] = ['xdp', 'sched_cls'];
const ANY_TYPES: ProgType[] = ['xdp', 'socket_filter', 'sched_cls', 'kprobe', 'tracepoint', 'raw_tracepoint'];

/** An unknown scalar in `reg` (a helper result, so r1-r5 are clobbered). */
function unknownScalar(r: Rand, reg: string): string[] {
  const src = r.pick(['prandom', 'ktime', 'smp']);
  const call = src === 'prandom' ? 'bpf_get_prandom_u32' : src === 'ktime' ? 'bpf_ktime_get_ns' : 'bpf_get_smp_processor_id';
  return [`call ${call}`, `${reg} = r0`];
}

function aluStep(r: Rand, reg: string): string {
  const w = r.chance(0.3);
  const d = w ? reg.replace('r', 'w') : reg;
  const k = r.pick([0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 63, 255, 0x7fffffff, -1, -8, 4096, r.int(-300, 300)]);
  switch (r.int(0, 13)) {
    case 0: return `${d} += ${k}`;
    case 1: return `${d} -= ${k}`;
    case 2: return `${d} *= ${k}`;
    case 3: return `${d} /= ${k}`;
    case 4: return `${d} %= ${k}`;
    case 5: return `${d} &= ${k}`;
    case 6: return `${d} |= ${k}`;
    case 7: return `${d} <<= ${r.int(0, w ? 31 : 63)}`;
    case 8: return `${d} >>= ${r.int(0, w ? 31 : 63)}`;
    case 9: return `${d} s>>= ${r.int(0, w ? 31 : 63)}`;
    case 10: return `${d} = -${d}`;
    case 11: return `${reg} = ${r.pick(['bswap16', 'bswap32', 'bswap64', 'be16', 'le32'])} ${reg}`;
    case 12: return w ? `${d} = (s${r.pick([8, 16])})${d}` : `${reg} = (s${r.pick([8, 16, 32])})${reg}`;
    default: return `${d} ^= ${k}`;
  }
}

function withNullCheck(r: Rand, label: string): string[] {
  return r.chance(0.8) ? [`if r0 ${r.chance(0.9) ? '==' : '!='} 0 goto ${label}`] : [];
}

/** ALU chains on an unknown scalar, then memory indexed by the result. */
function scalarBounds(r: Rand): Draft {
  const body = [...unknownScalar(r, 'r6')];
  for (let i = r.int(1, 5); i > 0; i--) body.push(aluStep(r, 'r6'));
  if (r.chance(0.6)) body.push(`if r6 ${r.pick(CMP)} ${r.pick([4, 8, 15, 16, 63, 64, 255])} goto out`);
  const target = r.pick(['stack', 'map']);
  if (target === 'stack') {
    body.push('*(u64 *)(r10 - 64) = 0', '*(u64 *)(r10 - 56) = 0', 'r2 = r10', `r2 += ${r.pick([-64, -32, -8])}`, 'r2 += r6', `r0 = *(${r.pick(SIZES)} *)(r2 + ${r.pick([0, 1, 4])})`);
  } else {
    body.push('*(u32 *)(r10 - 4) = 0', 'r1 = map[vals] ll', 'r2 = r10', 'r2 += -4', 'call bpf_map_lookup_elem', 'if r0 == 0 goto out', 'r0 += r6', `r0 = *(${r.pick(SIZES)} *)(r0 + ${r.pick([0, 2, 8, 60])})`);
  }
  body.push('out:', 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: ['.map vals array key=4 value=64 entries=4'], body };
}

/** Spill a pointer or scalar at an odd offset/size, fill it back, use it. */
function spillFill(r: Rand): Draft {
  const what = r.pick(['ctx', 'fp', 'scalar', 'const']);
  const body: string[] = [];
  if (what === 'ctx') body.push('r6 = r1');
  else if (what === 'fp') body.push('r6 = r10', `r6 += ${r.pick([-8, -16, -24])}`);
  else if (what === 'scalar') body.push(...unknownScalar(r, 'r6'), 'r6 &= 15');
  else body.push(`r6 = ${r.int(-5, 40)}`);
  if (r.chance(0.5)) body.push('*(u64 *)(r10 - 32) = 0', '*(u64 *)(r10 - 24) = 0');
  const off = r.pick([-8, -16, -24, -7, -6, -4, -3, -12, -20, -32]);
  const sz = r.chance(0.7) ? 'u64' : r.pick(SIZES);
  body.push(`*(${sz} *)(r10 ${off}) = r6`);
  const loadOff = r.chance(0.7) ? off : off + r.pick([-4, -1, 1, 4]);
  const lsz = r.chance(0.7) ? sz : r.pick(SIZES);
  body.push(`r7 = *(${lsz} *)(r10 ${loadOff < 0 ? loadOff : `+ ${loadOff}`})`);
  const use = r.pick(['deref', 'index', 'return', 'helper']);
  if (use === 'deref') body.push(`r0 = *(${r.pick(SIZES)} *)(r7 + 0)`);
  else if (use === 'index') body.push('r2 = r10', 'r2 += -32', 'r2 += r7', 'r0 = *(u8 *)(r2 + 0)');
  else if (use === 'helper') body.push('r1 = r7', 'call bpf_get_prandom_u32');
  body.push('r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Packet bounds checks, right and off by one, in every comparison form. */
function packetBounds(r: Rand): Draft {
  const progType = r.pick(PACKET_TYPES);
  const [dataOff, endOff] = progType === 'xdp' ? [0, 4] : [76, 80];
  const n = r.pick([1, 4, 8, 14, 20, 34, 42]);
  const sz = r.pick(SIZES);
  const access = n - BYTES[sz] + (r.chance(0.5) ? 0 : r.pick([1, -1, 2]));
  const j = r.chance(0.2) ? 'w' : 'r';
  // branch forms: the "good" edge falls through to the access
  const form = r.pick([
    `if ${j}4 > ${j}3 goto out`,
    `if ${j}4 >= ${j}3 goto out`,
    `if ${j}3 < ${j}4 goto out`,
    `if ${j}3 <= ${j}4 goto out`,
    `if ${j}4 <= ${j}3 goto ok`,
    `if ${j}4 < ${j}3 goto ok`,
    `if ${j}3 >= ${j}4 goto ok`,
    `if ${j}3 > ${j}4 goto ok`,
  ]);
  const body = [`r2 = *(u32 *)(r1 + ${dataOff})`, `r3 = *(u32 *)(r1 + ${endOff})`, 'r4 = r2', `r4 += ${n}`, form];
  if (form.includes('goto ok')) body.push('goto out', 'ok:');
  body.push(`r0 = *(${sz} *)(r2 + ${access})`);
  if (r.chance(0.3)) body.push(`*(${sz} *)(r2 + ${access}) = r0`);
  body.push('out:', `r0 = ${r.int(0, 3)}`, 'exit');
  return { progType, maps: [], body };
}

/** Map lookups with and without NULL checks, offsets in and out of bounds. */
function mapLookup(r: Rand): Draft {
  const kind = r.pick(['array', 'hash', 'percpu_array']);
  const vsize = r.pick([4, 8, 16, 48]);
  const body = [`*(u32 *)(r10 - 4) = ${r.int(0, 5)}`, 'r1 = map[m] ll', 'r2 = r10', 'r2 += -4', 'call bpf_map_lookup_elem', ...withNullCheck(r, 'out')];
  const sz = r.pick(SIZES);
  if (r.chance(0.5)) {
    body.push(`r1 = *(${sz} *)(r0 + ${r.pick([0, vsize - BYTES[sz], vsize - BYTES[sz] + 1, vsize, -1, 3])})`);
  } else {
    body.push(...unknownScalar(r, 'r6').map((l) => l), ...(r.chance(0.8) ? [`r6 &= ${r.pick([3, 7, 15, vsize - 1, vsize])}`] : []));
    // the lookup result was clobbered by the helper call: look up again
    body.push(`*(u32 *)(r10 - 4) = 0`, 'r1 = map[m] ll', 'r2 = r10', 'r2 += -4', 'call bpf_map_lookup_elem', ...withNullCheck(r, 'out'), 'r0 += r6', `r1 = *(${sz} *)(r0 + 0)`);
    if (r.chance(0.3)) body.push(`*(${sz} *)(r0 + 0) = r1`);
  }
  body.push('out:', 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [`.map m ${kind} key=4 value=${vsize} entries=8`], body };
}

/** Context loads and stores at valid and invalid offsets and sizes. */
function ctxAccess(r: Rand): Draft {
  const progType = r.pick(ANY_TYPES);
  const off = r.chance(0.5) ? r.pick([0, 4, 8, 12, 16, 20, 24, 76, 80, 140, 160, 168, 176]) : r.int(-4, 200);
  const sz = r.pick(SIZES);
  const body: string[] = [];
  if (r.chance(0.75)) body.push(`r0 = *(${sz} *)(r1 + ${off})`);
  else if (r.chance(0.5)) body.push('r2 = 7', `*(${sz} *)(r1 + ${off}) = r2`);
  else body.push(`*(${sz} *)(r1 + ${off}) = 7`);
  if (r.chance(0.3)) body.push('r1 += 4', `r0 = *(u32 *)(r1 + 0)`);
  body.push('r0 = 0', 'exit');
  return { progType, maps: [], body };
}

/** Out-of-range jumps, unreachable code, back-edges. */
function cfgErrors(r: Rand): Draft {
  const body = ['r0 = 0'];
  switch (r.int(0, 4)) {
    case 0: body.push(`if r1 == 0 goto +${r.int(2, 6)}`, 'r0 = 1'); break;
    case 1: body.push('goto end', 'r0 = 5', 'end:'); break;
    case 2: body.push('l:', 'r0 += 1', `if r0 ${r.pick(['<', '!=', '>'])} ${r.int(0, 10)} goto l`); break;
    case 3: body.push(`goto -${r.int(1, 4)}`); break;
    default: body.push('exit', 'r0 = 1'); break;
  }
  body.push('exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Bounded and unbounded loops. */
function loops(r: Rand): Draft {
  const bound = r.pick([4, 16, 100, 1000]);
  const body = ['r6 = 0', 'r7 = 0'];
  const kind = r.pick(['bounded', 'unbounded', 'unknown-bound', 'wrong-step']);
  if (kind === 'unknown-bound') body.push(...unknownScalar(r, 'r8'), ...(r.chance(0.5) ? ['r8 &= 63'] : []));
  body.push('loop:', 'r7 += r6');
  body.push(kind === 'wrong-step' ? 'r6 -= 1' : `r6 += ${r.pick([1, 2])}`);
  if (kind === 'bounded') body.push(`if ${r.chance(0.3) ? 'w6' : 'r6'} < ${bound} goto loop`);
  else if (kind === 'unbounded') body.push('if r7 != 12345 goto loop');
  else if (kind === 'unknown-bound') body.push('if r6 < r8 goto loop');
  else body.push(`if r6 < ${bound} goto loop`);
  body.push('r0 = r7', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** bpf-to-bpf calls: arguments, stack in the callee, return values. */
function subprogs(r: Rand): Draft {
  const body = ['*(u64 *)(r10 - 8) = 3'];
  if (r.chance(0.8)) body.push(`r1 = ${r.int(0, 9)}`);
  if (r.chance(0.6)) body.push('r2 = r10', 'r2 += -8');
  body.push('call fn');
  const after = r.pick(['ret', 'index', 'r6']);
  if (after === 'index') body.push('r2 = r10', 'r2 += -8', 'r0 &= 7', 'r2 += r0', 'r0 = *(u8 *)(r2 + 0)');
  else if (after === 'r6') body.push('r0 = r6');
  body.push('exit', 'fn:');
  switch (r.int(0, 4)) {
    case 0: body.push('r0 = r1', 'r0 += 1'); break;
    case 1: body.push('r0 = *(u64 *)(r2 + 0)'); break;
    case 2: body.push('*(u64 *)(r10 - 16) = r1', 'r0 = *(u64 *)(r10 - 16)'); break;
    case 3: body.push('r0 = r6'); break;
    default: body.push('r0 = *(u64 *)(r10 - 8)'); break;
  }
  if (r.chance(0.85)) body.push('exit');
  else body.push('r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Helper calls with right and wrong argument types. */
function helperArgs(r: Rand): Draft {
  const arg = (reg: string): string[] =>
    r.pick([
      [`${reg} = r10`, `${reg} += -8`],
      [`${reg} = r10`, `${reg} += -${r.int(1, 40)}`],
      [`${reg} = 0`],
      [`${reg} = ${r.int(1, 64)}`],
      [`${reg} = map[m] ll`],
      [`${reg} = r6`],
    ]);
  const body = ['r6 = r1', '*(u64 *)(r10 - 8) = 0', '*(u64 *)(r10 - 16) = 0'];
  const h = r.pick(['bpf_map_lookup_elem', 'bpf_map_update_elem', 'bpf_map_delete_elem', 'bpf_probe_read_kernel', 'bpf_trace_printk', 'bpf_get_current_comm', 'bpf_ktime_get_ns', 'bpf_perf_event_output']);
  for (let i = 1; i <= r.int(1, 4); i++) body.push(...arg(`r${i}`));
  body.push(`call ${h}`, 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: ['.map m hash key=8 value=8 entries=4'], body };
}

/** Reads of registers nobody wrote. */
function uninitRegs(r: Rand): Draft {
  const reg = `r${r.int(0, 9)}`;
  const body: string[] = [];
  if (r.chance(0.5)) body.push(`r${r.int(2, 9)} = 1`);
  body.push(r.pick([`r0 = ${reg}`, `r0 = *(u64 *)(${reg} + 0)`, `if ${reg} > 3 goto +0`, `*(u64 *)(r10 - 8) = ${reg}`, `r1 = ${reg}`]));
  if (!body[body.length - 1].startsWith('r0 =')) body.push('r0 = 0');
  body.push('exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Pointer arithmetic: allowed and forbidden forms on each pointer kind. */
function pointerArith(r: Rand): Draft {
  const progType = r.pick(PACKET_TYPES);
  const base = r.pick(['ctx', 'fp', 'pkt', 'map']);
  const body: string[] = [];
  if (base === 'ctx') body.push('r6 = r1');
  else if (base === 'fp') body.push('r6 = r10');
  else if (base === 'pkt') body.push(`r6 = *(u32 *)(r1 + ${progType === 'xdp' ? 0 : 76})`);
  else body.push('r6 = map_value[m] + 0 ll');
  body.push(...unknownScalar(r, 'r7'));
  body.push(
    r.pick([
      'r6 += r7', 'r6 -= r7', 'r6 *= 2', 'r6 += r6', 'r7 -= r6', 'w6 += 4', 'r6 &= -8', 'r6 |= 1', 'r6 <<= 1',
      'r6 = -r6', 'r7 &= 7\nr6 += r7', 'r7 &= 7\nr6 -= r7', 'r6 += -16', 'r6 += 0x7fffffff', 'r7 = r6\nr7 -= r6\nr6 = r7',
    ]),
  );
  if (r.chance(0.5)) body.push(`r0 = *(u8 *)(r6 + ${base === 'fp' ? -8 : 0})`);
  body.push(r.chance(0.2) ? 'r0 = r6' : 'r0 = 0', 'exit');
  return { progType, maps: ['.map m array key=4 value=16 entries=1'], body: body.flatMap((l) => l.split('\n')) };
}

/** Atomic operations on the stack, map values and the ctx. */
function atomics(r: Rand): Draft {
  const sz = r.pick(['u32', 'u64'] as const);
  const body: string[] = [];
  const where = r.pick(['stack', 'map', 'ctx', 'uninit-stack']);
  if (where === 'stack') body.push('*(u64 *)(r10 - 8) = 1', 'r6 = r10', 'r6 += -8');
  else if (where === 'uninit-stack') body.push('r6 = r10', `r6 += ${r.pick([-8, -16, -4])}`);
  else if (where === 'map') body.push('r6 = map_value[m] + 0 ll');
  else body.push('r6 = r1');
  body.push(r.chance(0.8) ? 'r1 = 1' : 'r1 = r10');
  const op = r.pick(['add', 'fetch_add', 'xchg', 'cmpxchg', 'and', 'fetch_or']);
  const w = sz === 'u32' ? 'w' : 'r';
  if (op === 'add') body.push(`lock *(${sz} *)(r6 + 0) += ${w}1`);
  else if (op === 'and') body.push(`lock *(${sz} *)(r6 + 0) &= ${w}1`);
  else if (op === 'fetch_add') body.push(`${w}1 = atomic_fetch_add((${sz} *)(r6 + 0), ${w}1)`);
  else if (op === 'fetch_or') body.push(`${w}1 = atomic_fetch_or((${sz} *)(r6 + 0), ${w}1)`);
  else if (op === 'xchg') body.push(sz === 'u32' ? 'w1 = xchg32_32(r6 + 0, w1)' : 'r1 = xchg_64(r6 + 0, r1)');
  else {
    if (r.chance(0.7)) body.push('r0 = 0');
    body.push(sz === 'u32' ? 'w0 = cmpxchg32_32(r6 + 0, w0, w1)' : 'r0 = cmpxchg_64(r6 + 0, r0, r1)');
  }
  body.push('r0 = r1', 'r0 &= 1', 'exit');
  return { progType: r.pick(['xdp', 'socket_filter', 'kprobe'] as const), maps: ['.map m array key=4 value=8 entries=1'], body };
}

/** Legacy LD_ABS/LD_IND. */
function ldAbs(r: Rand): Draft {
  const progType = r.pick(['socket_filter', 'sched_cls', 'xdp', 'kprobe'] as const);
  const body: string[] = [];
  if (r.chance(0.8)) body.push('r6 = r1');
  const sz = r.pick(['u8', 'u16', 'u32']);
  if (r.chance(0.5)) body.push(`r0 = *(${sz} *)skb[${r.pick([0, 12, 23, -1, 65535])}]`);
  else body.push(...(r.chance(0.8) ? [`r7 = ${r.int(0, 30)}`] : []), `r0 = *(${sz} *)skb[r7 + ${r.int(0, 8)}]`);
  if (r.chance(0.3)) body.push('r0 = r2');
  body.push('exit');
  return { progType, maps: [], body };
}

/** bpf_tail_call with right and wrong arguments. */
function tailCalls(r: Rand): Draft {
  const body: string[] = [];
  if (r.chance(0.4)) body.push('*(u64 *)(r10 - 8) = 0', 'r6 = r10', 'r6 += -8');
  body.push(r.chance(0.85) ? 'r2 = map[jt] ll' : 'r2 = map[h] ll');
  body.push(r.chance(0.7) ? `r3 = ${r.int(0, 5)}` : 'r3 = r10');
  if (r.chance(0.2)) body.push('r1 = 0');
  body.push('call bpf_tail_call');
  if (r.chance(0.3)) body.push('r0 = *(u64 *)(r6 + 0)');
  body.push('r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: ['.map jt prog_array key=4 value=4 entries=4', '.map h hash key=4 value=4 entries=4'], body };
}

/** bpf_loop callbacks: state carried through the context, return values, use of the result after the loop. */
function callbacks(r: Rand): Draft {
  const body = ['*(u64 *)(r10 - 8) = 0', '*(u64 *)(r10 - 16) = 0'];
  body.push(r.chance(0.8) ? `r1 = ${r.pick([1, 4, 100, 1 << 23, (1 << 23) + 1])}` : 'call bpf_get_prandom_u32\nr1 = r0');
  body.push('r2 = func cb ll', 'r3 = r10', `r3 += ${r.pick([-8, -16])}`, r.chance(0.9) ? 'r4 = 0' : 'r4 = 1', 'call bpf_loop');
  const after = r.pick(['ret', 'index', 'deref', 'none']);
  if (after === 'index') body.push('r1 = *(u64 *)(r10 - 8)', `r1 &= ${r.pick([7, 15])}`, 'r2 = r10', 'r2 += -16', 'r2 += r1', 'r0 = *(u8 *)(r2 + 0)');
  else if (after === 'deref') body.push('r1 = *(u64 *)(r10 - 8)', 'r0 = *(u8 *)(r1 + 0)');
  else if (after === 'ret') body.push('r0 = *(u64 *)(r10 - 8)');
  body.push('r0 = 0', 'exit', 'cb:');
  switch (r.int(0, 5)) {
    case 0: body.push('r3 = *(u64 *)(r2 + 0)', 'r3 += 1', '*(u64 *)(r2 + 0) = r3'); break;
    case 1: body.push('*(u64 *)(r2 + 0) = r1'); break;
    case 2: body.push('r3 = *(u64 *)(r2 + 0)', 'if r3 > 6 goto +2', 'r3 += 1', '*(u64 *)(r2 + 0) = r3'); break;
    case 3: body.push('*(u64 *)(r2 + 0) = r10'); break;
    case 4: body.push('r0 = r6'); break;
    default: body.push('r3 = *(u64 *)(r2 + 0)', 'r3 <<= 1', '*(u64 *)(r2 + 0) = r3'); break;
  }
  body.push(`r0 = ${r.pick([0, 0, 1, 2])}`, 'exit');
  return { progType: r.pick(['xdp', 'socket_filter', 'kprobe'] as const), maps: [], body: body.flatMap((l) => l.split('\n')) };
}

/** Sign-extending loads (LDSX) from the stack, map values, packets and the ctx, then used as an index. */
function signedLoads(r: Rand): Draft {
  const progType = r.pick(PACKET_TYPES);
  const sz = r.pick(['s8', 's16', 's32'] as const);
  const where = r.pick(['stack', 'map', 'pkt', 'ctx']);
  const body: string[] = [];
  if (where === 'stack') body.push(`*(u64 *)(r10 - 8) = ${r.pick([0, -1, 127, 200, 0x7fff])}`, `r6 = *(${sz} *)(r10 ${r.pick([-8, -7, -6, -4])})`);
  else if (where === 'map') body.push('r1 = map_value[m] + 0 ll', `r6 = *(${sz} *)(r1 + ${r.pick([0, 2, 4, 14])})`);
  else if (where === 'ctx') body.push(`r6 = *(${sz} *)(r1 + ${r.pick([0, 4, 12, 16])})`);
  else body.push(`r2 = *(u32 *)(r1 + ${progType === 'xdp' ? 0 : 76})`, `r3 = *(u32 *)(r1 + ${progType === 'xdp' ? 4 : 80})`, 'r4 = r2', 'r4 += 8', 'if r4 > r3 goto out', `r6 = *(${sz} *)(r2 + ${r.pick([0, 4, 6])})`);
  if (r.chance(0.5)) body.push(r.pick(['if r6 s< 0 goto out', 'if w6 > 15 goto out', 'r6 &= 15', 'if r6 > 15 goto out', 'r6 += 128']));
  body.push('*(u64 *)(r10 - 32) = 0', '*(u64 *)(r10 - 24) = 0', 'r7 = r10', 'r7 += -32', 'r7 += r6', 'r0 = *(u8 *)(r7 + 0)');
  body.push('out:', 'r0 = 0', 'exit');
  return { progType, maps: ['.map m array key=4 value=16 entries=1'], body };
}

/** JMP32 comparisons refining 64-bit registers, and the other way round. */
function jmp32Bounds(r: Rand): Draft {
  const body = [...unknownScalar(r, 'r6')];
  if (r.chance(0.5)) body.push(r.pick(['r6 <<= 32', 'r6 ^= -1', 'r6 s>>= 31', 'w6 += -5', 'r6 = (s32)r6']));
  for (let i = r.int(1, 3); i > 0; i--) {
    const w = r.chance(0.6) ? 'w6' : 'r6';
    body.push(`if ${w} ${r.pick(CMP)} ${r.pick([0, 1, 7, 8, 63, -1, -8, 0x7fffffff])} goto out`);
  }
  body.push('*(u64 *)(r10 - 16) = 0', '*(u64 *)(r10 - 8) = 0', 'r2 = r10', 'r2 += -16', 'r2 += r6', `r0 = *(${r.pick(SIZES)} *)(r2 + 0)`);
  body.push('out:', 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Ring buffer reservations: submit, discard, leak, use after release, NULL checks. */
function ringbuf(r: Rand): Draft {
  const body = ['r1 = map[rb] ll', `r2 = ${r.pick([8, 16, 4096, 0, 5000])}`, 'r3 = 0', 'call bpf_ringbuf_reserve'];
  if (r.chance(0.85)) body.push('if r0 == 0 goto out');
  body.push('r6 = r0');
  if (r.chance(0.7)) body.push(`*(u64 *)(r6 + ${r.pick([0, 8, 16, 4088])}) = 1`);
  const end = r.pick(['submit', 'discard', 'leak', 'twice']);
  if (end !== 'leak') body.push('r1 = r6', 'r2 = 0', `call bpf_ringbuf_${end === 'discard' ? 'discard' : 'submit'}`);
  if (end === 'twice') body.push('r1 = r6', 'r2 = 0', 'call bpf_ringbuf_submit');
  if (r.chance(0.2)) body.push('r0 = *(u64 *)(r6 + 0)');
  body.push('out:', 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: ['.map rb ringbuf key=0 value=0 entries=4096'], body };
}

/** Stack writes and reads at variable offsets. */
function varStack(r: Rand): Draft {
  const body = [...unknownScalar(r, 'r6'), `r6 &= ${r.pick([7, 8, 15, 24, 31, -8])}`];
  if (r.chance(0.5)) body.push('*(u64 *)(r10 - 32) = 0', '*(u64 *)(r10 - 24) = 0', '*(u64 *)(r10 - 16) = 0', '*(u64 *)(r10 - 8) = 0');
  body.push('r2 = r10', `r2 += ${r.pick([-32, -40, -8, -16])}`, 'r2 += r6');
  if (r.chance(0.5)) body.push(`*(${r.pick(SIZES)} *)(r2 + 0) = ${r.chance(0.7) ? 'r6' : 'r1'}`);
  body.push(`r0 = *(${r.pick(SIZES)} *)(r2 + ${r.pick([0, 1, 8])})`);
  if (r.chance(0.3)) body.push('r0 = *(u64 *)(r10 - 16)');
  body.push('r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: [], body };
}

/** Copies of a maybe-NULL pointer: the check on one copy must cover the others. */
function nullCopies(r: Rand): Draft {
  const body = ['*(u32 *)(r10 - 4) = 0', 'r1 = map[h] ll', 'r2 = r10', 'r2 += -4', 'call bpf_map_lookup_elem', 'r6 = r0'];
  if (r.chance(0.4)) body.push('r7 = r6', 'r7 += 4');
  body.push(r.pick(['if r6 == 0 goto out', 'if r0 == 0 goto out', 'if r6 != 0 goto ok', 'if r7 == 0 goto out', 'if r0 s> 0 goto ok', 'if w0 == 0 goto out']));
  if (body[body.length - 1].includes('goto ok')) body.push('goto out', 'ok:');
  body.push(`r1 = *(u32 *)(${r.pick(['r0', 'r6', 'r7'])} + 0)`);
  body.push('out:', 'r0 = 0', 'exit');
  return { progType: r.pick(ANY_TYPES), maps: ['.map h hash key=4 value=8 entries=4'], body: body.filter((l) => !(l.includes('r7') && !body.includes('r7 = r6'))) };
}

/** Helpers reading or writing memory: sizes from constants, bounded and unbounded registers. */
function helperMem(r: Rand): Draft {
  const body = ['r6 = r1'];
  const sizeReg = r.pick(['const', 'masked', 'unbounded', 'zero', 'negative']);
  if (sizeReg === 'const') body.push(`r7 = ${r.pick([1, 8, 16, 17, 64])}`);
  else if (sizeReg === 'zero') body.push('r7 = 0');
  else if (sizeReg === 'negative') body.push('r7 = -8');
  else body.push(...unknownScalar(r, 'r7'), ...(sizeReg === 'masked' ? [`r7 &= ${r.pick([7, 15, 31])}`] : []));
  if (r.chance(0.5)) body.push('*(u64 *)(r10 - 16) = 0', '*(u64 *)(r10 - 8) = 0');
  body.push('r1 = r10', 'r1 += -16', 'r2 = r7', r.pick(['r3 = r6', 'r3 = 0', 'r3 = r10']));
  body.push(`call ${r.pick(['bpf_probe_read_kernel', 'bpf_get_current_comm', 'bpf_trace_printk', 'bpf_probe_read_user'])}`);
  body.push('r0 = *(u64 *)(r10 - 16)', 'r0 = 0', 'exit');
  return { progType: r.pick(['kprobe', 'tracepoint', 'raw_tracepoint', 'socket_filter'] as const), maps: [], body };
}

const SHAPES: Record<string, (r: Rand) => Draft> = {
  nullCopies, helperMem,
  signedLoads, jmp32Bounds, ringbuf, varStack,
  callbacks,
  scalarBounds, spillFill, packetBounds, mapLookup, ctxAccess, cfgErrors, loops, subprogs, helperArgs, uninitRegs, pointerArith, atomics, ldAbs, tailCalls,
};
export const SHAPE_NAMES = Object.keys(SHAPES);

/**
 * One program of the given seed (a shape picked by the seed unless named).
 * Returns null when our assembler refuses the text, so a syntax slip in the
 * generator shows up as a count, not as a bogus verifier disagreement.
 */
export function generateShape(seed: number, shape?: string): ShapeProgram | null {
  const r = new Rand(seed);
  const name = shape ?? r.pick(SHAPE_NAMES);
  const draft = SHAPES[name](r);
  const asm = [`.prog ${draft.progType}`, ...draft.maps, ...draft.body.map((l) => (l.endsWith(':') ? l : `    ${l}`))].join('\n') + '\n';
  const out = assemble(asm);
  if (!out.ok) return null;
  return { kind: name, progType: out.program.progType, insns: out.program.insns, maps: out.program.maps, asm };
}
