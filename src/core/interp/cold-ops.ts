/**
 * The interpreter's cold path: instructions the hot loop (loop.ts) leaves
 * out — division and modulo, atomics, LD_ABS/LD_IND, LD_IMM64 pseudo
 * sources, calls of every kind, returns into a caller, may_goto — plus loads
 * and stores through ctx accessors and every fault. One instruction per call.
 */
import { AtomicOp, MAX_CALL_FRAMES } from '../isa/opcodes.ts';
import { OUT, bigToOut, divS32, divS64, divU32, divU64, modS32, modS64, modU32, modU64, pairToU64, u64Hi, u64Lo } from '../num/int64.ts';
import { OP_CALL_HELPER, OP_COUNTER_ADD, STACK_OPS, STACK_OP_BASE } from './decode.ts';
import { FUNC_POINTER_TAG, type CallResult, type FaultKind, type HelperContext } from './helpers.ts';
import { LOAD_SIZE, STORE_SIZE, execute, regionOf } from './loop.ts';
import { OFFSET_BIAS, REGION_TAG_BASE, pointerLo, type AccessSize, type Memory, type Region } from './memory.ts';
import { DONE, FAULTED, HALT, MAX_TAIL_CALLS, SWITCH, callDepthFault, type Vm } from './vm-state.ts';

/** coldStep's stop codes: -(status + 1), so every non-negative result is a pc. */
const STOP_DONE = -(DONE + 1);
const STOP_FAULTED = -(FAULTED + 1);
const STOP_SWITCH = -(SWITCH + 1);
const STOP_HALT = -(HALT + 1);

/**
 * Execute the instruction at `p`; vm.n already counts it. Returns the next pc
 * in the (possibly changed) vm.prog, or a negative stop code.
 */
export function coldStep(vm: Vm, p: number, stopDepth: number): number {
  const prog = vm.prog;
  const W = prog.words;
  const R = vm.regs;
  const q = p << 2;
  let w = W[q];
  // r10-relative loads/stores the loop left to us: handle them as what they are
  const stackOp = (w & 0xffff) - STACK_OP_BASE;
  if (stackOp >= 0 && stackOp < STACK_OPS.length) w = (w & ~0xffff) | STACK_OPS[stackOp]!;
  // a fused counter increment the loop left to us: its first slot is the plain load
  if ((w & 0xffff) === OP_COUNTER_ADD) w = (w & ~0xffff) | 0x79;
  switch (w & 0xffff) {
    case 0x37: { // div K
      const d = w >>> 24;
      divU64(R[d], R[d + 1], W[q + 2], W[q + 3]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x3f: { // div X
      const d = w >>> 24;
      const s = (w >>> 16) & 0xff;
      divU64(R[d], R[d + 1], R[s], R[s + 1]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x97: { // mod K
      const d = w >>> 24;
      modU64(R[d], R[d + 1], W[q + 2], W[q + 3]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x9f: { // mod X
      const d = w >>> 24;
      const s = (w >>> 16) & 0xff;
      modU64(R[d], R[d + 1], R[s], R[s + 1]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x110: { // OP_SDIV64_K
      const d = w >>> 24;
      divS64(R[d], R[d + 1], W[q + 2], W[q + 3]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x111: { // OP_SDIV64_X
      const d = w >>> 24;
      const s = (w >>> 16) & 0xff;
      divS64(R[d], R[d + 1], R[s], R[s + 1]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x112: { // OP_SMOD64_K
      const d = w >>> 24;
      modS64(R[d], R[d + 1], W[q + 2], W[q + 3]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x113: { // OP_SMOD64_X
      const d = w >>> 24;
      const s = (w >>> 16) & 0xff;
      modS64(R[d], R[d + 1], R[s], R[s + 1]);
      R[d] = OUT[0];
      R[d + 1] = OUT[1];
      return p + 1;
    }
    case 0x34: {
      const d = w >>> 24;
      R[d] = divU32(R[d], W[q + 2]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x3c: {
      const d = w >>> 24;
      R[d] = divU32(R[d], R[(w >>> 16) & 0xff]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x94: {
      const d = w >>> 24;
      R[d] = modU32(R[d], W[q + 2]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x9c: {
      const d = w >>> 24;
      R[d] = modU32(R[d], R[(w >>> 16) & 0xff]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x114: { // OP_SDIV32_K
      const d = w >>> 24;
      R[d] = divS32(R[d], W[q + 2]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x115: { // OP_SDIV32_X
      const d = w >>> 24;
      R[d] = divS32(R[d], R[(w >>> 16) & 0xff]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x116: { // OP_SMOD32_K
      const d = w >>> 24;
      R[d] = modS32(R[d], W[q + 2]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x117: { // OP_SMOD32_X
      const d = w >>> 24;
      R[d] = modS32(R[d], R[(w >>> 16) & 0xff]);
      R[d + 1] = 0;
      return p + 1;
    }
    case 0x107: // may_goto: falls through until the per-run count is used up
      if (vm.mayGotoLeft === 0) return W[q + 1] >> 2;
      vm.mayGotoLeft--;
      return p + 1;
    case 0xc3: // atomic W
    case 0xdb: // atomic DW
    case 0xd3: // atomic B (load_acquire / store_release only)
    case 0xcb: // atomic H
      return atomic(vm, p) === FAULTED ? STOP_FAULTED : p + 1;
    case 0x103: // OP_LDIMM64_PSEUDO
      return ldImm64Pseudo(vm, p) === FAULTED ? STOP_FAULTED : p + 2;
    case 0x20: // ld_abs w
    case 0x28: // ld_abs h
    case 0x30: // ld_abs b
    case 0x40: // ld_ind w
    case 0x48: // ld_ind h
    case 0x50: { // ld_ind b
      const st = ldAbs(vm, p);
      if (st === FAULTED) return STOP_FAULTED;
      if (st !== LD_ABS_EXIT) return p + 1;
      // Out of bounds: the kernel ends the program (this function) with r0 = 0.
      R[0] = 0;
      R[1] = 0;
      return leaveFrame(vm, stopDepth);
    }
    case 0x95: // exit from a called function
      return leaveFrame(vm, stopDepth);
    case 0x105: // OP_CALL_LOCAL
      if (!vm.pushFrame(p + 1)) {
        callDepthFault(vm, p);
        return STOP_FAULTED;
      }
      return W[q + 1] >> 2;
    case 0x104: // OP_CALL_HELPER
    case 0x109: { // OP_CALLX
      vm.pc = p;
      const st = (w & 0xffff) === OP_CALL_HELPER ? callHelper(vm, p, W[q + 2]) : callIndirect(vm, p);
      if (st === FAULTED) return STOP_FAULTED;
      if (st === HALT) return STOP_HALT;
      if (st === SWITCH) return STOP_SWITCH;
      if (st === ENTERED_FUNCTION) return vm.pc;
      return p + 1;
    }
    case 0x106: // OP_CALL_KFUNC
      vm.setFault(p, 'unsupported', 'kfunc calls are not supported');
      return STOP_FAULTED;
    case 0x101: // OP_FALL_OFF: the sentinel is not an instruction, uncount it
      vm.n--;
      vm.setFault(p, 'invalid-insn', `execution ran past the last instruction (insn ${p - 1} is not exit or a jump)`);
      return STOP_FAULTED;
    case 0x100: // OP_INVALID
      vm.setFault(p, 'invalid-insn', prog.problems.get(p) ?? 'invalid instruction');
      return STOP_FAULTED;
    // Loads and stores that missed the fast path: ctx accessors, or faults.
    case 0x71:
    case 0x69:
    case 0x61:
    case 0x79:
    case 0x91:
    case 0x89:
    case 0x81: {
      const s = (w >>> 16) & 0xff;
      const o = w & 0xffff;
      const r = regionOf(vm.memory.regions, R[s + 1]);
      const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
      return slowLoad(vm, p, r, s, off, LOAD_SIZE[o] as AccessSize, o >= 0x80) === FAULTED ? STOP_FAULTED : p + 1;
    }
    case 0x73:
    case 0x6b:
    case 0x63:
    case 0x7b:
    case 0x72:
    case 0x6a:
    case 0x62:
    case 0x7a: {
      const o = w & 0xffff;
      const d = w >>> 24;
      const isX = (o & 0x07) === 0x03;
      const vLo = isX ? R[(w >>> 16) & 0xff] : W[q + 2];
      const vHi = isX ? R[((w >>> 16) & 0xff) + 1] : W[q + 3];
      const r = regionOf(vm.memory.regions, R[d + 1]);
      const off = (R[d] ^ OFFSET_BIAS) + W[q + 1];
      return slowStore(vm, p, r, d, off, STORE_SIZE[o] as AccessSize, vLo, vHi) === FAULTED ? STOP_FAULTED : p + 1;
    }
    default:
      vm.setFault(p, 'internal', `no interpreter case for decoded opcode 0x${(w & 0xffff).toString(16)}`);
      return STOP_FAULTED;
  }
}

/** exit (or LD_ABS out of bounds) in a frame: return to the caller, or stop at `stopDepth`. */
function leaveFrame(vm: Vm, stopDepth: number): number {
  if (vm.depth === stopDepth) return STOP_DONE;
  return vm.popFrame();
}

/**
 * Loads that miss the fast path: ctx accessors, faults, and plain loads the
 * loop leaves here (the fused counter increment on a region-cache miss).
 */
function slowLoad(vm: Vm, pc: number, r: Region | undefined, s: number, off: number, size: AccessSize, signed: boolean): number {
  let v: { lo: number; hi: number } | string;
  if (r === undefined || r.ctx === undefined || off < r.start || off + size > r.end) {
    const check = vm.memory.resolve(pointerLo(off), vm.regs[s + 1], size, false);
    if (!check.ok) return vm.setFault(pc, 'memory', check.message);
    if (check.region.ctx !== undefined) return vm.setFault(pc, 'internal', 'inconsistent memory check');
    const view = check.region.view;
    const at = check.offset;
    v = size === 1 ? { lo: view.getUint8(at), hi: 0 } : size === 2 ? { lo: view.getUint16(at, true), hi: 0 } : size === 4 ? { lo: view.getInt32(at, true), hi: 0 } : { lo: view.getInt32(at, true), hi: view.getInt32(at + 4, true) };
  } else {
    v = r.ctx.load(off, size);
  }
  if (typeof v === 'string') return vm.setFault(pc, 'memory', v);
  const d = vm.prog.dst[pc];
  let lo = v.lo;
  let hi = v.hi;
  if (signed && size < 8) {
    lo = size === 1 ? (lo << 24) >> 24 : size === 2 ? (lo << 16) >> 16 : lo;
    hi = lo >> 31;
  }
  vm.regs[2 * d] = lo;
  vm.regs[2 * d + 1] = hi;
  return DONE;
}

function slowStore(vm: Vm, pc: number, r: Region | undefined, d: number, off: number, size: AccessSize, lo: number, hi: number): number {
  const check = vm.memory.resolve(pointerLo(off), vm.regs[d + 1], size, r?.ctx === undefined);
  if (r === undefined || !check.ok) {
    const message = check.ok ? 'invalid write' : check.message;
    return vm.setFault(pc, 'memory', message);
  }
  if (r.ctx === undefined) return vm.setFault(pc, 'internal', 'inconsistent memory check');
  if (r.ctx.store === undefined) return vm.setFault(pc, 'memory', `invalid write of ${size} bytes at ${r.name}+${off}: the ${r.name} is read-only`);
  const err = r.ctx.store(off, size, { lo, hi });
  return err === null ? DONE : vm.setFault(pc, 'memory', err);
}

/** STX | ATOMIC: read-modify-write, xchg, cmpxchg, load_acquire, store_release. */
function atomic(vm: Vm, pc: number): number {
  const prog = vm.prog;
  const code = prog.op[pc];
  const imm = prog.imm[pc];
  const size = (code & 0x18) === 0x18 ? 8 : (code & 0x18) === 0x00 ? 4 : (code & 0x18) === 0x08 ? 2 : 1;
  const R = vm.regs;
  const d = prog.dst[pc];
  const s = prog.src[pc];
  // load_acquire reads through src (dst receives); everything else addresses dst.
  const base = imm === AtomicOp.LOAD_ACQ ? s : d;
  const write = imm !== AtomicOp.LOAD_ACQ;
  const at = vm.memory.resolve(pointerLo((R[2 * base] ^ OFFSET_BIAS) + prog.off[pc]), R[2 * base + 1], size, write);
  if (!at.ok) return vm.setFault(pc, 'memory', at.message);
  if (at.region.ctx !== undefined) return vm.setFault(pc, 'memory', `atomic access to the ${at.region.name} is not allowed`);
  const v = at.region.view;
  const o = at.offset;
  const readOld = (): [number, number] => {
    if (size === 8) return [v.getInt32(o, true), v.getInt32(o + 4, true)];
    if (size === 4) return [v.getInt32(o, true), 0];
    if (size === 2) return [v.getUint16(o, true), 0];
    return [v.getUint8(o), 0];
  };
  const writeNew = (lo: number, hi: number): void => {
    if (size === 8) {
      v.setInt32(o, lo, true);
      v.setInt32(o + 4, hi, true);
    } else if (size === 4) v.setInt32(o, lo, true);
    else if (size === 2) v.setUint16(o, lo & 0xffff, true);
    else v.setUint8(o, lo & 0xff);
  };
  if (imm === AtomicOp.LOAD_ACQ) {
    const [lo, hi] = readOld();
    R[2 * d] = lo;
    R[2 * d + 1] = hi;
    return DONE;
  }
  if (imm === AtomicOp.STORE_REL) {
    writeNew(R[2 * s], R[2 * s + 1]);
    return DONE;
  }
  const [oldLo, oldHi] = readOld();
  const is64 = size === 8;
  const sLo = R[2 * s];
  const sHi = is64 ? R[2 * s + 1] : 0;
  if (imm === AtomicOp.CMPXCHG) {
    const match = R[0] === oldLo && (!is64 || R[1] === oldHi);
    if (match) writeNew(sLo, sHi);
    R[0] = oldLo;
    R[1] = oldHi;
    return DONE;
  }
  if (imm === AtomicOp.XCHG) {
    writeNew(sLo, sHi);
  } else {
    switch (imm & ~AtomicOp.FETCH) {
      case AtomicOp.ADD: {
        const lo = (oldLo + sLo) | 0;
        writeNew(lo, (oldHi + sHi + ((lo >>> 0) < (oldLo >>> 0) ? 1 : 0)) | 0);
        break;
      }
      case AtomicOp.OR:
        writeNew(oldLo | sLo, oldHi | sHi);
        break;
      case AtomicOp.AND:
        writeNew(oldLo & sLo, oldHi & sHi);
        break;
      default: // XOR
        writeNew(oldLo ^ sLo, oldHi ^ sHi);
    }
    if ((imm & AtomicOp.FETCH) === 0) return DONE;
  }
  R[2 * s] = oldLo;
  R[2 * s + 1] = oldHi;
  return DONE;
}

/** The cache owner of runs without a map resolver (callback pointers only). */
export const NO_RESOLVER: object = {};

function ldImm64Pseudo(vm: Vm, pc: number): number {
  const prog = vm.prog;
  const kind = prog.src[pc];
  const index = prog.imm[pc];
  const d = prog.dst[pc];
  let value: bigint | string;
  if (kind === 4) {
    // BPF_PSEUDO_FUNC: a callback pointer into this program.
    const target = pc + 1 + index;
    if (target < 0 || target >= prog.length) return vm.setFault(pc, 'invalid-insn', `function pointer to insn ${target} is outside the program`);
    value = (BigInt(FUNC_POINTER_TAG) << 32n) | BigInt(target);
  } else if (kind === 3) {
    return vm.setFault(pc, 'unsupported', 'ld_imm64 of a BTF id (kernel variable) is not supported');
  } else if (vm.maps === undefined) {
    return vm.setFault(pc, 'unsupported', 'this program references a map, but the run has no maps');
  } else if (kind === 1 || kind === 5) {
    value = vm.maps.mapPointer(index);
  } else {
    value = vm.maps.mapValuePointer(index, prog.immHi[pc]);
  }
  if (typeof value === 'string') return vm.setFault(pc, 'memory', value);
  const lo = u64Lo(value);
  const hi = u64Hi(value);
  vm.regs[2 * d] = lo;
  vm.regs[2 * d + 1] = hi;
  // Remember it for the hot loop (a resolver's answers do not change).
  const owner: object = vm.maps ?? NO_RESOLVER;
  if (prog.pseudoOwner !== owner || prog.pseudoValues === undefined) {
    prog.pseudoOwner = owner;
    prog.pseudoValues = new Int32Array(2 * (prog.length + 1));
  }
  prog.pseudoValues[2 * pc] = lo;
  prog.pseudoValues[2 * pc + 1] = hi;
  return DONE;
}

const LD_ABS_EXIT = 3;

/** LD_ABS / LD_IND: r0 = big-endian load from the skb packet; out of bounds ends the function with r0 = 0. */
function ldAbs(vm: Vm, pc: number): number {
  const prog = vm.prog;
  const code = prog.op[pc];
  const pkt = vm.ldAbsPacket;
  if (pkt === undefined) return vm.setFault(pc, 'unsupported', 'ld_abs/ld_ind need a socket buffer packet (socket_filter or sched_cls programs)');
  const size = (code & 0x18) === 0x00 ? 4 : (code & 0x18) === 0x08 ? 2 : 1;
  const rel = (code & 0xe0) === 0x40 ? (vm.regs[2 * prog.src[pc]] + prog.imm[pc]) | 0 : prog.imm[pc];
  const off = pkt.start + rel;
  if (rel < 0 || off + size > pkt.end) return LD_ABS_EXIT;
  const v = pkt.view;
  vm.regs[0] = size === 4 ? v.getInt32(off, false) : size === 2 ? v.getUint16(off, false) : v.getUint8(off);
  vm.regs[1] = 0;
  return DONE;
}

/** Signals that a callx entered a BPF function: continue at vm.pc in this program. */
const ENTERED_FUNCTION = 4;

/**
 * bpf_map_lookup_elem on a plain array, inlined as the kernel's verifier
 * does (array_map_gen_lookup): no BigInt, no helper context. Returns false
 * when it does not apply (another map, an unreadable key: the helper then
 * runs and reports).
 */
function inlineArrayLookup(vm: Vm): boolean {
  const maps = vm.maps;
  if (maps === undefined || maps.arrayLookupLayout === undefined) return false;
  const R = vm.regs;
  if ((R[2] ^ OFFSET_BIAS) !== 0) return false;
  const layout = maps.arrayLookupLayout((R[3] - REGION_TAG_BASE) >>> 0);
  if (layout === null) return false;
  const regions = vm.memory.regions;
  const kid = (R[5] - REGION_TAG_BASE) >>> 0;
  const kr = kid < regions.length ? regions[kid] : undefined;
  if (kr === undefined || kr.ctx !== undefined) return false;
  const koff = R[4] ^ OFFSET_BIAS;
  if (koff < kr.start || koff + 4 > kr.end) return false;
  const key = kr.view.getUint32(koff, true);
  if (key >= layout.maxEntries) {
    R[0] = 0;
    R[1] = 0;
  } else {
    R[0] = pointerLo(key * layout.elemSize);
    R[1] = (REGION_TAG_BASE + layout.regionId) | 0;
  }
  return true;
}

function callHelper(vm: Vm, pc: number, id: number): number {
  if (id === 1 && inlineArrayLookup(vm)) return CONTINUE;
  const fn = vm.helpers.get(id);
  if (fn === undefined) return vm.setFault(pc, 'helper', `helper ${id} is not available in this run`);
  const out = fn(new HelperCall(vm, pc, id));
  if (typeof out === 'bigint') {
    bigToOut(out);
    vm.regs[0] = OUT[0];
    vm.regs[1] = OUT[1];
    return CONTINUE;
  }
  if ('fault' in out) return vm.setFault(pc, 'helper', out.fault);
  if ('exit' in out) {
    vm.regs[0] = u64Lo(out.exit);
    vm.regs[1] = u64Hi(out.exit);
    return HALT;
  }
  if (vm.tailCalls >= MAX_TAIL_CALLS) {
    // The kernel's tail call fails silently past the limit and the program continues.
    return CONTINUE;
  }
  vm.tailCalls++;
  vm.prog = out.tailCall;
  vm.pc = 0;
  vm.enterStack(vm.depth);
  return SWITCH;
}

const CONTINUE = 5;

/** callx: a function pointer (ld_imm64 src=4) enters a BPF function; any other value is a helper id (uBPF). */
function callIndirect(vm: Vm, pc: number): number {
  const r = vm.prog.dst[pc];
  if (vm.regs[2 * r + 1] === FUNC_POINTER_TAG) {
    const target = vm.regs[2 * r];
    if (target < 0 || target >= vm.prog.length) return vm.setFault(pc, 'invalid-insn', `callx to insn ${target}, outside the program`);
    if (!vm.pushFrame(pc + 1)) return callDepthFault(vm, pc);
    vm.pc = target;
    return ENTERED_FUNCTION;
  }
  if (vm.regs[2 * r + 1] !== 0) return vm.setFault(pc, 'invalid-insn', `callx through r${r} = ${vm.memory.describe(pairToU64(vm.regs[2 * r], vm.regs[2 * r + 1]))}, which is not a function`);
  return callHelper(vm, pc, vm.regs[2 * r]);
}

/**
 * What a helper sees. A class rather than an object of closures: helpers are
 * called in loops, and per-call closures cost more than the call itself.
 */
class HelperCall implements HelperContext {
  constructor(
    private readonly vm: Vm,
    readonly pc: number,
    readonly helperId: number,
  ) {}

  get memory(): Memory {
    return this.vm.memory;
  }

  get ctxArg(): bigint {
    return this.vm.ctxArg;
  }

  arg(n: 1 | 2 | 3 | 4 | 5): bigint {
    return pairToU64(this.vm.regs[2 * n], this.vm.regs[2 * n + 1]);
  }

  callFunction(fn: bigint, args: readonly bigint[]): CallResult {
    return callFunction(this.vm, this.pc, fn, args);
  }
}

/**
 * Run a BPF function of the current program to its exit, for helper
 * callbacks. The caller's r0-r5 are restored afterwards (the helper may still
 * read its arguments), and on a fault the frames the callback left are
 * unwound, so a helper that reports the fault leaves the VM consistent.
 */
function callFunction(vm: Vm, pc: number, fn: bigint, args: readonly bigint[]): CallResult {
  const fail = (message: string, kind: FaultKind = 'helper'): CallResult => ({ ok: false, fault: { pc, kind, message } });
  if (u64Hi(fn) !== FUNC_POINTER_TAG) return fail(`callback ${vm.memory.describe(fn)} is not a function pointer`);
  const target = u64Lo(fn);
  if (target < 0 || target >= vm.prog.length) return fail(`callback to insn ${target}, outside the program`);
  if (vm.n >= vm.budget) return fail(`instruction budget exhausted: ${vm.n} instructions executed (limit ${vm.budget}); the program may loop forever`, 'budget');
  const saved = vm.regs.slice(0, 12);
  const prog = vm.prog;
  if (!vm.pushFrame(pc + 1)) return fail(`call stack too deep: a program may use at most ${MAX_CALL_FRAMES} frames`, 'call-depth');
  const frameDepth = vm.depth;
  for (let i = 0; i < 5; i++) {
    const a = args[i] ?? 0n;
    vm.regs[2 * (i + 1)] = u64Lo(a);
    vm.regs[2 * (i + 1) + 1] = u64Hi(a);
  }
  let status = execute(vm, target, frameDepth);
  // The kernel forbids tail calls and unwinding from callbacks.
  if (status === SWITCH) status = vm.setFault(vm.pc, 'unsupported', 'tail calls from callbacks are not supported');
  if (status === HALT) status = vm.setFault(pc, 'helper', 'a helper stopped the program inside a callback');
  const fault = status === FAULTED ? (vm.fault ?? { pc, kind: 'internal' as const, message: 'callback failed' }) : null;
  const r0 = pairToU64(vm.regs[0], vm.regs[1]);
  while (vm.depth >= frameDepth) vm.popFrame();
  vm.prog = prog;
  vm.fault = null;
  vm.regs.set(saved, 0);
  return fault ? { ok: false, fault } : { ok: true, r0 };
}
