/**
 * The interpreter's hot loop. One switch over the packed pre-decoded words
 * (decode.ts `words`) with the common instructions inline: ALU, jumps, the
 * fast path of loads and stores, exit from the entry frame. Everything else
 * — division, atomics, calls, ctx accessors, faults — leaves the loop and is
 * done by `coldStep` (cold-ops.ts), after which the loop is re-entered.
 *
 * Why it is shaped like this (measured under Node 20 on the ALU benchmark,
 * against a minimal 5-case loop of the same design as the baseline):
 * - no function calls in the loop body; the cold path is a return to the
 *   driver `execute`. Calls in the loop (the budget fault, the cold step)
 *   plausibly cost register allocation; with them the loop ran ~3.2 ns/insn;
 * - pc counts 32-bit words (4 per slot) and jump targets are pre-scaled,
 *   which saves a shift on every instruction (with the above: ~2.9 ns);
 * - frequent constant forms are specialised at decode time (`if rX != 0`,
 *   `if rX == 0`, `rX += negative imm`), each saving a load (~2.7 ns);
 * - pairs and triples that end in a branch run as one step: a counted
 *   loop's tail `rX += imm; if rX != 0 / != K / < K goto` and the packet
 *   bounds check `rX = rY; rX += imm; if rX > rZ goto` (decode.ts
 *   OP_ADD_JNE_ZERO, OP_MOV_ADD_JGT; ALU loop ~2.7 -> ~2.5 ns/insn);
 * - instructions are counted per straight-line run: at every control
 *   transfer n += (pc - bs) / 4 (bs = where the run began) instead of n++.
 *   The budget is compared on taken jumps only — straight-line code cannot
 *   run away, so the count overshoots the budget by at most one pass.
 *
 * Memory accesses (measured on bench/ workloads, 16 array-map lookups + increments):
 * - the commonest loads and stores (ldx b/h/w/dw, stx w/dw) have cases of
 *   their own, and 4- and 8-byte ones use the region's Int32Array view when
 *   aligned (one element access instead of four or eight byte accesses);
 * - the last plain writable region resolved is kept in locals (tag, bounds,
 *   views), so a run of accesses to one map value or packet skips the region
 *   table; likewise the last array map whose lookup was inlined;
 * - r10-relative accesses are bounds-checked by the decoder, and r10 is
 *   checked once per hotLoop call (it is read-only in between);
 * - the counter increment `rX = *(u64 *)(rY + off); rX += imm; *(u64 *)(rY +
 *   off) = rX` is one step on a region-cache hit (decode.ts OP_COUNTER_ADD);
 * with the per-run savings in vm.ts / vm-state.ts: ~890 -> ~600 -> ~520 ns per run.
 */
import { NO_RESOLVER, coldStep } from './cold-ops.ts';
import { OFFSET_BIAS, REGION_TAG_BASE, type AccessSize, type Region } from './memory.ts';
import { DONE, SWITCH, budgetFault, type Vm } from './vm-state.ts';
import { STACK_SIZE } from '../isa/opcodes.ts';

const EMPTY = new Uint8Array(0);
const EMPTY_WORDS = new Int32Array(0);
/** Low word of r10: a pointer to offset STACK_SIZE of the stack region. */
const STACK_TOP_LO = STACK_SIZE ^ OFFSET_BIAS;

/**
 * Run `vm.prog` from `startPc` until: `exit` at frame `stopDepth` (DONE), a
 * fault (FAULTED), a helper halting the program (HALT), or a change of
 * program — tail call or a return into a frame of another program (SWITCH;
 * resume at vm.pc).
 *
 * The hot loop returns to this driver for every cold instruction rather than
 * calling out itself: a call inside the loop makes V8 spill the loop's
 * counters to the stack on every iteration (measured: ~3.3 vs ~2.5 ns/insn).
 */
export function execute(vm: Vm, startPc: number, stopDepth: number): number {
  const prog = vm.prog;
  let pc = startPc;
  for (;;) {
    const status = hotLoop(vm, pc, stopDepth);
    if (status === RESUME) {
      pc = vm.pc;
      continue;
    }
    if (status !== COLD) return status;
    const p = vm.pc;
    if (vm.n >= vm.budget) return budgetFault(vm, p, vm.n);
    const next = coldStep(vm, p, stopDepth);
    if (next < 0) return -next - 1;
    if (vm.prog !== prog) {
      vm.pc = next;
      return SWITCH;
    }
    pc = next;
  }
}

/** Status of hotLoop: the instruction at vm.pc needs coldStep (vm.n counts it). */
const COLD = -1;
/** Status of hotLoop: a slice ended at a taken jump; continue at vm.pc. */
const RESUME = -2;
/**
 * Instructions per hotLoop call, at most (checked at taken jumps). Long runs
 * return to `execute` now and then so that V8 optimises hotLoop as a whole
 * function: when its first optimisation was on-stack replacement inside one
 * long run (the ALU benchmark), every later short run sometimes entered
 * through unoptimised code and took ~3x as long (seen under Node 20 in about
 * half the processes; never with --no-use-osr).
 */
const SLICE = 1 << 12;

function hotLoop(vm: Vm, startPc: number, stopDepth: number): number {
  const W = vm.prog.words;
  const R = vm.regs;
  const regions = vm.memory.regions;
  const budget = vm.budget;
  const owner = vm.maps ?? NO_RESOLVER;
  const pv = vm.prog.pseudoOwner === owner ? vm.prog.pseudoValues : undefined;
  const layouts = vm.maps === undefined ? undefined : vm.maps.arrayLayouts;
  // This frame's stack, for r10-relative accesses (frames change only in the cold path).
  // (Guarded reads: an out-of-bounds array read here — no stack set up yet —
  // deoptimised hotLoop, and after an OSR start it stayed ~3x slow.)
  const depth = vm.depth;
  const stack = depth < vm.stacks.length ? vm.stacks[depth] : undefined;
  const sb = stack === undefined ? EMPTY : stack.bytes;
  const sw = stack === undefined || depth >= vm.stackWords.length ? EMPTY_WORDS : vm.stackWords[depth];
  const sHi = stack === undefined ? 0 : (REGION_TAG_BASE + stack.id) | 0;
  const sLo = STACK_TOP_LO;
  // r10 is read-only and only calls and returns (the cold path) move it, so
  // one check here covers every r10-relative access of this call.
  const fpOk = stack !== undefined && R[21] === sHi && R[20] === sLo;
  // The last region a load or store resolved (one that needs no accessor and
  // is writable, so every fast-path access may use it): its tag, bounds and
  // views. Regions change only in the cold path, and this cache lives for
  // one hotLoop call. Invariant: cEnd <= 4 * cW.length.
  let cHi = 0;
  let cStart = 0;
  let cEnd = -1;
  let cW: Int32Array = EMPTY_WORDS;
  let cB: Uint8Array = EMPTY;
  // The last array map whose lookup was inlined: its pointer's high word
  // (0: none yet; no pointer has a zero high word) and layout.
  let lmHi = 0;
  let lmMax = 0;
  let lmElem = 0;
  let lmTag = 0;
  let n = vm.n;
  // Taken jumps stop the loop at the budget, or at the end of this slice.
  const stop = Math.min(budget, n + SLICE);
  // pc and bs count words (4 per slot): jump targets are pre-scaled by the
  // decoder, which saves a shift per instruction.
  let pc = startPc << 2;
  let bs = pc;
  for (;;) {
    const q = pc;
    const w = W[q];
    // `| 0` (here and in the fused cases) keeps pc a plain int32: as `q + 4`
    // V8 kept it a tagged small integer with an overflow check every step
    // (~10 % on the ALU loop, ~4 % on the XDP parse).
    pc = (q + 4) | 0;
    switch (w & 0xffff) {
      case 0x07: { // add K, imm >= 0 (the decoder routes negative imm to 0x122)
        const d = w >>> 24;
        const a = R[d];
        const r = (a + W[q + 2]) | 0;
        R[d] = r;
        if ((r >>> 0) < (a >>> 0)) R[d + 1] = (R[d + 1] + 1) | 0;
        continue;
      }
      case 0x122: { // OP_ADD64_K_NEG: add K, imm < 0 (high word of imm is -1)
        const d = w >>> 24;
        const a = R[d];
        const r = (a + W[q + 2]) | 0;
        R[d] = r;
        if ((r >>> 0) >= (a >>> 0)) R[d + 1] = (R[d + 1] - 1) | 0;
        continue;
      }
      // The tail of a counted loop, `rX += imm; if rX <cmp> goto` (two slots;
      // decode.ts OP_ADD_JNE_ZERO). Out of budget at the jump, they fault at
      // the jump as the two instructions would.
      case 0x12d: { // OP_MOV_ADD_JGT: rX = rY; rX += imm; if rX > rZ goto (three slots; rZ in the jump's slot)
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const a = R[s];
        const lo = (a + W[q + 2]) | 0;
        const hi = (R[s + 1] + W[q + 3] + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0;
        R[d] = lo;
        R[d + 1] = hi;
        pc = (q + 12) | 0;
        const z = (W[q + 8] >>> 16) & 0xff;
        const zHi = R[z + 1];
        if (hi >>> 0 > zHi >>> 0 || (hi === zHi && lo >>> 0 > R[z] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) {
            if (n < budget) break;
            vm.n = n;
            vm.pc = (q >> 2) + 2;
            return COLD;
          }
        }
        continue;
      }
      case 0x12a: { // OP_ADD_JNE_ZERO: rX += imm; if rX != 0 goto
        const d = w >>> 24;
        const a = R[d];
        const lo = (a + W[q + 2]) | 0;
        const hi = (R[d + 1] + W[q + 3] + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0;
        R[d] = lo;
        R[d + 1] = hi;
        pc = (q + 8) | 0;
        if ((lo | hi) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) {
            if (n < budget) break;
            vm.n = n;
            vm.pc = (q >> 2) + 1;
            return COLD;
          }
        }
        continue;
      }
      case 0x12b: { // OP_ADD_JNE_K: rX += imm; if rX != K goto (K in the jump's slot)
        const d = w >>> 24;
        const a = R[d];
        const lo = (a + W[q + 2]) | 0;
        const hi = (R[d + 1] + W[q + 3] + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0;
        R[d] = lo;
        R[d + 1] = hi;
        pc = (q + 8) | 0;
        if (lo !== W[q + 6] || hi !== W[q + 7]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) {
            if (n < budget) break;
            vm.n = n;
            vm.pc = (q >> 2) + 1;
            return COLD;
          }
        }
        continue;
      }
      case 0x12c: { // OP_ADD_JLT_K: rX += imm; if rX < K goto (unsigned; K in the jump's slot)
        const d = w >>> 24;
        const a = R[d];
        const lo = (a + W[q + 2]) | 0;
        const hi = (R[d + 1] + W[q + 3] + ((lo >>> 0) < (a >>> 0) ? 1 : 0)) | 0;
        R[d] = lo;
        R[d + 1] = hi;
        pc = (q + 8) | 0;
        const kHi = W[q + 7];
        if ((hi >>> 0) < (kHi >>> 0) || (hi === kHi && (lo >>> 0) < (W[q + 6] >>> 0))) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) {
            if (n < budget) break;
            vm.n = n;
            vm.pc = (q >> 2) + 1;
            return COLD;
          }
        }
        continue;
      }
      case 0x120: // OP_JNE_ZERO: if rX != 0
        if ((R[w >>> 24] | R[(w >>> 24) + 1]) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x121: // OP_JEQ_ZERO: if rX == 0
        if ((R[w >>> 24] | R[(w >>> 24) + 1]) === 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x0f: { // add X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const a = R[d];
        const r = (a + R[s]) | 0;
        R[d] = r;
        R[d + 1] = (R[d + 1] + R[s + 1] + ((r >>> 0) < (a >>> 0) ? 1 : 0)) | 0;
        continue;
      }
      case 0x17: { // sub K
        const d = w >>> 24;
        const a = R[d];
        const b = W[q + 2];
        R[d] = (a - b) | 0;
        R[d + 1] = (R[d + 1] - W[q + 3] - ((a >>> 0) < (b >>> 0) ? 1 : 0)) | 0;
        continue;
      }
      case 0x1f: { // sub X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const a = R[d];
        const b = R[s];
        R[d] = (a - b) | 0;
        R[d + 1] = (R[d + 1] - R[s + 1] - ((a >>> 0) < (b >>> 0) ? 1 : 0)) | 0;
        continue;
      }
      case 0x27: { // mul K: low x low as 16-bit limbs (exact in doubles), cross terms wrap
        const d = w >>> 24;
        const a = R[d];
        const b = W[q + 2];
        const a0 = a & 0xffff;
        const a1 = a >>> 16;
        const b0 = b & 0xffff;
        const b1 = b >>> 16;
        const cross = a1 * b0 + a0 * b1 + ((a0 * b0) >>> 16);
        R[d + 1] = (a1 * b1 + Math.floor(cross / 65536) + Math.imul(R[d + 1], b) + Math.imul(a, W[q + 3])) | 0;
        R[d] = Math.imul(a, b);
        continue;
      }
      case 0x2f: { // mul X: low x low as 16-bit limbs (exact in doubles), cross terms wrap
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const a = R[d];
        const b = R[s];
        const a0 = a & 0xffff;
        const a1 = a >>> 16;
        const b0 = b & 0xffff;
        const b1 = b >>> 16;
        const cross = a1 * b0 + a0 * b1 + ((a0 * b0) >>> 16);
        R[d + 1] = (a1 * b1 + Math.floor(cross / 65536) + Math.imul(R[d + 1], b) + Math.imul(a, R[s + 1])) | 0;
        R[d] = Math.imul(a, b);
        continue;
      }
      case 0x47: { // or K
        const d = w >>> 24;
        R[d] |= W[q + 2];
        R[d + 1] |= W[q + 3];
        continue;
      }
      case 0x4f: { // or X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        R[d] |= R[s];
        R[d + 1] |= R[s + 1];
        continue;
      }
      case 0x57: { // and K
        const d = w >>> 24;
        R[d] &= W[q + 2];
        R[d + 1] &= W[q + 3];
        continue;
      }
      case 0x5f: { // and X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        R[d] &= R[s];
        R[d + 1] &= R[s + 1];
        continue;
      }
      case 0xa7: { // xor K
        const d = w >>> 24;
        R[d] ^= W[q + 2];
        R[d + 1] ^= W[q + 3];
        continue;
      }
      case 0xaf: { // xor X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        R[d] ^= R[s];
        R[d + 1] ^= R[s + 1];
        continue;
      }
      case 0x67: { // lsh K
        const d = w >>> 24;
        const k = W[q + 2] & 63;
        if (k >= 32) {
          R[d + 1] = R[d] << (k - 32);
          R[d] = 0;
        } else if (k !== 0) {
          R[d + 1] = (R[d + 1] << k) | (R[d] >>> (32 - k));
          R[d] <<= k;
        }
        continue;
      }
      case 0x6f: { // lsh X
        const d = w >>> 24;
        const k = R[(w >>> 16) & 0xff] & 63;
        if (k >= 32) {
          R[d + 1] = R[d] << (k - 32);
          R[d] = 0;
        } else if (k !== 0) {
          R[d + 1] = (R[d + 1] << k) | (R[d] >>> (32 - k));
          R[d] <<= k;
        }
        continue;
      }
      case 0x77: { // rsh K
        const d = w >>> 24;
        const k = W[q + 2] & 63;
        if (k >= 32) {
          R[d] = R[d + 1] >>> (k - 32);
          R[d + 1] = 0;
        } else if (k !== 0) {
          R[d] = (R[d] >>> k) | (R[d + 1] << (32 - k));
          R[d + 1] = R[d + 1] >>> k;
        }
        continue;
      }
      case 0x7f: { // rsh X
        const d = w >>> 24;
        const k = R[(w >>> 16) & 0xff] & 63;
        if (k >= 32) {
          R[d] = R[d + 1] >>> (k - 32);
          R[d + 1] = 0;
        } else if (k !== 0) {
          R[d] = (R[d] >>> k) | (R[d + 1] << (32 - k));
          R[d + 1] = R[d + 1] >>> k;
        }
        continue;
      }
      case 0xc7: { // arsh K
        const d = w >>> 24;
        const k = W[q + 2] & 63;
        if (k >= 32) {
          R[d] = R[d + 1] >> (k - 32);
          R[d + 1] >>= 31;
        } else if (k !== 0) {
          R[d] = (R[d] >>> k) | (R[d + 1] << (32 - k));
          R[d + 1] >>= k;
        }
        continue;
      }
      case 0xcf: { // arsh X
        const d = w >>> 24;
        const k = R[(w >>> 16) & 0xff] & 63;
        if (k >= 32) {
          R[d] = R[d + 1] >> (k - 32);
          R[d + 1] >>= 31;
        } else if (k !== 0) {
          R[d] = (R[d] >>> k) | (R[d + 1] << (32 - k));
          R[d + 1] >>= k;
        }
        continue;
      }
      case 0x87: { // neg
        const d = w >>> 24;
        const a = R[d];
        R[d] = -a | 0;
        R[d + 1] = (~R[d + 1] + (a === 0 ? 1 : 0)) | 0;
        continue;
      }
      case 0xb7: { // mov K
        const d = w >>> 24;
        R[d] = W[q + 2];
        R[d + 1] = W[q + 3];
        continue;
      }
      case 0xbf: { // mov X
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        R[d] = R[s];
        R[d + 1] = R[s + 1];
        continue;
      }
      case 0x124: { // stxdw through r10
        if (!fpOk) break;
        const off = STACK_SIZE + W[q + 1]; // in bounds: checked by the decoder
        const s = (w >>> 16) & 0xff;
        const lo = R[s];
        const hi = R[s + 1];
        if ((off & 3) === 0) {
          sw[off >> 2] = lo;
          sw[(off >> 2) + 1] = hi;
          continue;
        }
        sb[off] = lo;
        sb[off + 1] = lo >> 8;
        sb[off + 2] = lo >> 16;
        sb[off + 3] = lo >> 24;
        sb[off + 4] = hi;
        sb[off + 5] = hi >> 8;
        sb[off + 6] = hi >> 16;
        sb[off + 7] = hi >> 24;
        continue;
      }
      case 0x125: { // ldxdw through r10
        if (!fpOk) break;
        const off = STACK_SIZE + W[q + 1]; // in bounds: checked by the decoder
        const d = w >>> 24;
        if ((off & 3) === 0) {
          R[d] = sw[off >> 2];
          R[d + 1] = sw[(off >> 2) + 1];
          continue;
        }
        R[d] = sb[off] | (sb[off + 1] << 8) | (sb[off + 2] << 16) | (sb[off + 3] << 24);
        R[d + 1] = sb[off + 4] | (sb[off + 5] << 8) | (sb[off + 6] << 16) | (sb[off + 7] << 24);
        continue;
      }
      case 0x126: // stw imm through r10
      case 0x127: { // stxw through r10
        if (!fpOk) break;
        const off = STACK_SIZE + W[q + 1]; // in bounds: checked by the decoder
        const v = (w & 0xffff) === 0x126 ? W[q + 2] : R[(w >>> 16) & 0xff];
        if ((off & 3) === 0) {
          sw[off >> 2] = v;
          continue;
        }
        sb[off] = v;
        sb[off + 1] = v >> 8;
        sb[off + 2] = v >> 16;
        sb[off + 3] = v >> 24;
        continue;
      }
      case 0x128: { // ldxw through r10
        if (!fpOk) break;
        const off = STACK_SIZE + W[q + 1]; // in bounds: checked by the decoder
        const d = w >>> 24;
        R[d] = (off & 3) === 0 ? sw[off >> 2] : sb[off] | (sb[off + 1] << 8) | (sb[off + 2] << 16) | (sb[off + 3] << 24);
        R[d + 1] = 0;
        continue;
      }
      case 0x123: { // OP_MOV_ADD_K: rX = rY; rX += imm (two slots)
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const lo = R[s];
        const r = (lo + W[q + 2]) | 0;
        R[d + 1] = (R[s + 1] + W[q + 3] + ((r >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        R[d] = r;
        pc = (q + 8) | 0;
        continue;
      }
      case 0x118: { // OP_MOVSX64_8
        const d = w >>> 24;
        const v = (R[(w >>> 16) & 0xff] << 24) >> 24;
        R[d] = v;
        R[d + 1] = v >> 31;
        continue;
      }
      case 0x119: { // OP_MOVSX64_16
        const d = w >>> 24;
        const v = (R[(w >>> 16) & 0xff] << 16) >> 16;
        R[d] = v;
        R[d + 1] = v >> 31;
        continue;
      }
      case 0x11a: { // OP_MOVSX64_32
        const d = w >>> 24;
        const v = R[(w >>> 16) & 0xff];
        R[d] = v;
        R[d + 1] = v >> 31;
        continue;
      }
      case 0xd7: { // bswap16/32/64
        const d = w >>> 24;
        const width = W[q + 2];
        const lo = R[d];
        if (width === 16) {
          R[d] = ((lo & 0xff) << 8) | ((lo >>> 8) & 0xff);
          R[d + 1] = 0;
        } else if (width === 32) {
          R[d] = ((lo & 0xff) << 24) | ((lo & 0xff00) << 8) | ((lo >>> 8) & 0xff00) | (lo >>> 24);
          R[d + 1] = 0;
        } else {
          const hi = R[d + 1];
          R[d] = ((hi & 0xff) << 24) | ((hi & 0xff00) << 8) | ((hi >>> 8) & 0xff00) | (hi >>> 24);
          R[d + 1] = ((lo & 0xff) << 24) | ((lo & 0xff00) << 8) | ((lo >>> 8) & 0xff00) | (lo >>> 24);
        }
        continue;
      }
      case 0x04: {
        const d = w >>> 24;
        R[d] = (R[d] + W[q + 2]) | 0;
        R[d + 1] = 0;
        continue;
      }
      case 0x0c: {
        const d = w >>> 24;
        R[d] = (R[d] + R[(w >>> 16) & 0xff]) | 0;
        R[d + 1] = 0;
        continue;
      }
      case 0x14: {
        const d = w >>> 24;
        R[d] = (R[d] - W[q + 2]) | 0;
        R[d + 1] = 0;
        continue;
      }
      case 0x1c: {
        const d = w >>> 24;
        R[d] = (R[d] - R[(w >>> 16) & 0xff]) | 0;
        R[d + 1] = 0;
        continue;
      }
      case 0x24: {
        const d = w >>> 24;
        R[d] = Math.imul(R[d], W[q + 2]);
        R[d + 1] = 0;
        continue;
      }
      case 0x2c: {
        const d = w >>> 24;
        R[d] = Math.imul(R[d], R[(w >>> 16) & 0xff]);
        R[d + 1] = 0;
        continue;
      }
      case 0x44: {
        const d = w >>> 24;
        R[d] |= W[q + 2];
        R[d + 1] = 0;
        continue;
      }
      case 0x4c: {
        const d = w >>> 24;
        R[d] |= R[(w >>> 16) & 0xff];
        R[d + 1] = 0;
        continue;
      }
      case 0x54: {
        const d = w >>> 24;
        R[d] &= W[q + 2];
        R[d + 1] = 0;
        continue;
      }
      case 0x5c: {
        const d = w >>> 24;
        R[d] &= R[(w >>> 16) & 0xff];
        R[d + 1] = 0;
        continue;
      }
      case 0xa4: {
        const d = w >>> 24;
        R[d] ^= W[q + 2];
        R[d + 1] = 0;
        continue;
      }
      case 0xac: {
        const d = w >>> 24;
        R[d] ^= R[(w >>> 16) & 0xff];
        R[d + 1] = 0;
        continue;
      }
      case 0x64: {
        const d = w >>> 24;
        R[d] = R[d] << (W[q + 2] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0x6c: {
        const d = w >>> 24;
        R[d] = R[d] << (R[(w >>> 16) & 0xff] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0x74: {
        const d = w >>> 24;
        R[d] = R[d] >>> (W[q + 2] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0x7c: {
        const d = w >>> 24;
        R[d] = R[d] >>> (R[(w >>> 16) & 0xff] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0xc4: {
        const d = w >>> 24;
        R[d] = R[d] >> (W[q + 2] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0xcc: {
        const d = w >>> 24;
        R[d] = R[d] >> (R[(w >>> 16) & 0xff] & 31);
        R[d + 1] = 0;
        continue;
      }
      case 0x84: {
        const d = w >>> 24;
        R[d] = -R[d] | 0;
        R[d + 1] = 0;
        continue;
      }
      case 0xb4: {
        const d = w >>> 24;
        R[d] = W[q + 2];
        R[d + 1] = 0;
        continue;
      }
      case 0xbc: {
        const d = w >>> 24;
        R[d] = R[(w >>> 16) & 0xff];
        R[d + 1] = 0;
        continue;
      }
      case 0x11b: { // OP_MOVSX32_8
        const d = w >>> 24;
        R[d] = (R[(w >>> 16) & 0xff] << 24) >> 24;
        R[d + 1] = 0;
        continue;
      }
      case 0x11c: { // OP_MOVSX32_16
        const d = w >>> 24;
        R[d] = (R[(w >>> 16) & 0xff] << 16) >> 16;
        R[d + 1] = 0;
        continue;
      }
      case 0xd4: { // le16/32/64: a truncation on a little-endian machine
        const d = w >>> 24;
        const width = W[q + 2];
        if (width === 16) {
          R[d] &= 0xffff;
          R[d + 1] = 0;
        } else if (width === 32) {
          R[d + 1] = 0;
        }
        continue;
      }
      case 0xdc: { // be16/32/64
        const d = w >>> 24;
        const width = W[q + 2];
        const lo = R[d];
        if (width === 16) {
          R[d] = ((lo & 0xff) << 8) | ((lo >>> 8) & 0xff);
          R[d + 1] = 0;
        } else if (width === 32) {
          R[d] = ((lo & 0xff) << 24) | ((lo & 0xff00) << 8) | ((lo >>> 8) & 0xff00) | (lo >>> 24);
          R[d + 1] = 0;
        } else {
          const hi = R[d + 1];
          R[d] = ((hi & 0xff) << 24) | ((hi & 0xff00) << 8) | ((hi >>> 8) & 0xff00) | (hi >>> 24);
          R[d + 1] = ((lo & 0xff) << 24) | ((lo & 0xff00) << 8) | ((lo >>> 8) & 0xff00) | (lo >>> 24);
        }
        continue;
      }
      case 0x108: // OP_JA
        n += (pc - bs) >> 2;
        pc = bs = W[q + 1];
        if (n < stop) continue;
        break; // to the cold path, which stops the run (or a new slice)
      case 0x15: // jeq K
        if (R[w >>> 24] === W[q + 2] && R[(w >>> 24) + 1] === W[q + 3]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x1d: // jeq X
        if (R[w >>> 24] === R[(w >>> 16) & 0xff] && R[(w >>> 24) + 1] === R[((w >>> 16) & 0xff) + 1]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x55: // jne K
        if (R[w >>> 24] !== W[q + 2] || R[(w >>> 24) + 1] !== W[q + 3]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x5d: // jne X
        if (R[w >>> 24] !== R[(w >>> 16) & 0xff] || R[(w >>> 24) + 1] !== R[((w >>> 16) & 0xff) + 1]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x45: // jset K
        if ((R[w >>> 24] & W[q + 2]) !== 0 || (R[(w >>> 24) + 1] & W[q + 3]) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x4d: // jset X
        if ((R[w >>> 24] & R[(w >>> 16) & 0xff]) !== 0 || (R[(w >>> 24) + 1] & R[((w >>> 16) & 0xff) + 1]) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x25: { // jgt K (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] >>> 0 > bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 > W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x2d: { // jgt X (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] >>> 0 > bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 > R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x35: { // jge K (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] >>> 0 > bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 >= W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x3d: { // jge X (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] >>> 0 > bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 >= R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xa5: { // jlt K (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] >>> 0 < bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 < W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xad: { // jlt X (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] >>> 0 < bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 < R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xb5: { // jle K (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] >>> 0 < bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 <= W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xbd: { // jle X (unsigned 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] >>> 0 < bHi >>> 0 || (R[d + 1] === bHi && R[d] >>> 0 <= R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x65: { // jsgt K (signed 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] > bHi || (R[d + 1] === bHi && R[d] >>> 0 > W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x6d: { // jsgt X (signed 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] > bHi || (R[d + 1] === bHi && R[d] >>> 0 > R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x75: { // jsge K (signed 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] > bHi || (R[d + 1] === bHi && R[d] >>> 0 >= W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x7d: { // jsge X (signed 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] > bHi || (R[d + 1] === bHi && R[d] >>> 0 >= R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xc5: { // jslt K (signed 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] < bHi || (R[d + 1] === bHi && R[d] >>> 0 < W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xcd: { // jslt X (signed 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] < bHi || (R[d + 1] === bHi && R[d] >>> 0 < R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xd5: { // jsle K (signed 64-bit)
        const d = w >>> 24;
        const bHi = W[q + 3];
        if (R[d + 1] < bHi || (R[d + 1] === bHi && R[d] >>> 0 <= W[q + 2] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0xdd: { // jsle X (signed 64-bit)
        const d = w >>> 24;
        const bHi = R[((w >>> 16) & 0xff) + 1];
        if (R[d + 1] < bHi || (R[d + 1] === bHi && R[d] >>> 0 <= R[(w >>> 16) & 0xff] >>> 0)) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      }
      case 0x16: // jeq32 K
        if (R[w >>> 24] === W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x1e: // jeq32 X
        if (R[w >>> 24] === R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x56: // jne32 K
        if (R[w >>> 24] !== W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x5e: // jne32 X
        if (R[w >>> 24] !== R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x46: // jset32 K
        if ((R[w >>> 24] & W[q + 2]) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x4e: // jset32 X
        if ((R[w >>> 24] & R[(w >>> 16) & 0xff]) !== 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x26: // jgt32 K
        if (R[w >>> 24] >>> 0 > W[q + 2] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x2e: // jgt32 X
        if (R[w >>> 24] >>> 0 > R[(w >>> 16) & 0xff] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x36: // jge32 K
        if (R[w >>> 24] >>> 0 >= W[q + 2] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x3e: // jge32 X
        if (R[w >>> 24] >>> 0 >= R[(w >>> 16) & 0xff] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xa6: // jlt32 K
        if (R[w >>> 24] >>> 0 < W[q + 2] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xae: // jlt32 X
        if (R[w >>> 24] >>> 0 < R[(w >>> 16) & 0xff] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xb6: // jle32 K
        if (R[w >>> 24] >>> 0 <= W[q + 2] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xbe: // jle32 X
        if (R[w >>> 24] >>> 0 <= R[(w >>> 16) & 0xff] >>> 0) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x66: // jsgt32 K
        if (R[w >>> 24] > W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x6e: // jsgt32 X
        if (R[w >>> 24] > R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x76: // jsge32 K
        if (R[w >>> 24] >= W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0x7e: // jsge32 X
        if (R[w >>> 24] >= R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xc6: // jslt32 K
        if (R[w >>> 24] < W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xce: // jslt32 X
        if (R[w >>> 24] < R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xd6: // jsle32 K
        if (R[w >>> 24] <= W[q + 2]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      case 0xde: // jsle32 X
        if (R[w >>> 24] <= R[(w >>> 16) & 0xff]) {
          n += (pc - bs) >> 2;
          pc = bs = W[q + 1];
          if (n >= stop) break;
        }
        continue;
      // The commonest loads and stores have cases of their own (no size
      // table, no inner switch) and use the region's word view when aligned.
      case 0x79: { // ldxdw
        const s = (w >>> 16) & 0xff;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        const d = w >>> 24;
        if (R[s + 1] === cHi && (off & 3) === 0 && off >= cStart && off + 8 <= cEnd) {
          R[d] = cW[off >> 2];
          R[d + 1] = cW[(off >> 2) + 1];
          continue;
        }
        const rid = (R[s + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        if (r === undefined || r.ctx !== undefined || off < r.start || off + 8 > r.end) break;
        const ww = r.words;
        const k = off >> 2;
        if (r.writable && r.end <= ww.length << 2) {
          cHi = R[s + 1];
          cStart = r.start;
          cEnd = r.end;
          cW = ww;
          cB = r.bytes;
        }
        if ((off & 3) === 0 && k + 1 < ww.length) {
          R[d] = ww[k];
          R[d + 1] = ww[k + 1];
          continue;
        }
        const b = r.bytes;
        R[d] = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
        R[d + 1] = b[off + 4] | (b[off + 5] << 8) | (b[off + 6] << 16) | (b[off + 7] << 24);
        continue;
      }
      case 0x61: { // ldxw
        const s = (w >>> 16) & 0xff;
        const rid = (R[s + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        if (r === undefined || r.ctx !== undefined || off < r.start || off + 4 > r.end) {
          const cw = r === undefined ? undefined : r.ctxWords;
          if (cw !== undefined && (off & 3) === 0 && off >= 0 && off < cw.length << 1) {
            // xdp_md fields: precomputed (lo, hi) pairs, no trip to the accessors
            const d = w >>> 24;
            R[d] = cw[off >> 1];
            R[d + 1] = cw[(off >> 1) + 1];
            continue;
          }
          break; // ctx accessors and faults: the cold path
        }
        const d = w >>> 24;
        const ww = r.words;
        if ((off & 3) === 0 && off >> 2 < ww.length) {
          R[d] = ww[off >> 2];
        } else {
          const b = r.bytes;
          R[d] = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
        }
        R[d + 1] = 0;
        continue;
      }
      case 0x69: { // ldxh
        const s = (w >>> 16) & 0xff;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        const d = w >>> 24;
        if (R[s + 1] === cHi && off >= cStart && off + 2 <= cEnd) {
          R[d] = cB[off] | (cB[off + 1] << 8);
          R[d + 1] = 0;
          continue;
        }
        const rid = (R[s + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        if (r === undefined || r.ctx !== undefined || off < r.start || off + 2 > r.end) break;
        const b = r.bytes;
        if (r.writable && r.end <= r.words.length << 2) {
          cHi = R[s + 1];
          cStart = r.start;
          cEnd = r.end;
          cW = r.words;
          cB = b;
        }
        R[d] = b[off] | (b[off + 1] << 8);
        R[d + 1] = 0;
        continue;
      }
      case 0x71: { // ldxb
        const s = (w >>> 16) & 0xff;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        const d = w >>> 24;
        if (R[s + 1] === cHi && off >= cStart && off < cEnd) {
          R[d] = cB[off];
          R[d + 1] = 0;
          continue;
        }
        const rid = (R[s + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        if (r === undefined || r.ctx !== undefined || off < r.start || off + 1 > r.end) break;
        if (r.writable && r.end <= r.words.length << 2) {
          cHi = R[s + 1];
          cStart = r.start;
          cEnd = r.end;
          cW = r.words;
          cB = r.bytes;
        }
        R[d] = r.bytes[off];
        R[d + 1] = 0;
        continue;
      }
      case 0x129: { // OP_COUNTER_ADD: rX = *(u64 *)(rY + off); rX += imm; *(u64 *)(rY + off) = rX
        // Aligned, on a plain writable region, and unless the debug stepper
        // trapped the next slots (it traps all but the one it steps: the
        // store's tells). Otherwise the cold path does the plain load; the add
        // and the store then run on their own.
        const s = (w >>> 16) & 0xff;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        if ((W[q + 8] & 0xffff) !== 0x7b || (off & 3) !== 0) break;
        if (R[s + 1] !== cHi || off < cStart || off + 8 > cEnd) {
          const r = regionOf(regions, R[s + 1]);
          if (r === undefined || r.ctx !== undefined || !r.writable || off < r.start || off + 8 > r.end || r.end > r.words.length << 2) break;
          cHi = R[s + 1];
          cStart = r.start;
          cEnd = r.end;
          cW = r.words;
          cB = r.bytes;
        }
        const d = w >>> 24;
        const k = off >> 2;
        const lo = cW[k];
        const r = (lo + W[q + 6]) | 0;
        const h = (cW[k + 1] + W[q + 7] + ((r >>> 0) < (lo >>> 0) ? 1 : 0)) | 0;
        R[d] = r;
        R[d + 1] = h;
        cW[k] = r;
        cW[k + 1] = h;
        pc = (q + 12) | 0;
        continue;
      }
      case 0x7b: { // stxdw
        const d = w >>> 24;
        const s = (w >>> 16) & 0xff;
        const off = (R[d] ^ OFFSET_BIAS) + W[q + 1];
        const lo = R[s];
        const hi = R[s + 1];
        if (R[d + 1] === cHi && (off & 3) === 0 && off >= cStart && off + 8 <= cEnd) {
          cW[off >> 2] = lo;
          cW[(off >> 2) + 1] = hi;
          continue;
        }
        const rid = (R[d + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        if (r === undefined || r.ctx !== undefined || !r.writable || off < r.start || off + 8 > r.end) break;
        const ww = r.words;
        const k = off >> 2;
        if (r.end <= ww.length << 2) {
          cHi = R[d + 1];
          cStart = r.start;
          cEnd = r.end;
          cW = ww;
          cB = r.bytes;
        }
        if ((off & 3) === 0 && k + 1 < ww.length) {
          ww[k] = lo;
          ww[k + 1] = hi;
          continue;
        }
        const b = r.bytes;
        b[off] = lo;
        b[off + 1] = lo >> 8;
        b[off + 2] = lo >> 16;
        b[off + 3] = lo >> 24;
        b[off + 4] = hi;
        b[off + 5] = hi >> 8;
        b[off + 6] = hi >> 16;
        b[off + 7] = hi >> 24;
        continue;
      }
      case 0x63: { // stxw
        const d = w >>> 24;
        const rid = (R[d + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        const off = (R[d] ^ OFFSET_BIAS) + W[q + 1];
        if (r === undefined || r.ctx !== undefined || !r.writable || off < r.start || off + 4 > r.end) break;
        const v = R[(w >>> 16) & 0xff];
        const ww = r.words;
        if ((off & 3) === 0 && off >> 2 < ww.length) {
          ww[off >> 2] = v;
          continue;
        }
        const b = r.bytes;
        b[off] = v;
        b[off + 1] = v >> 8;
        b[off + 2] = v >> 16;
        b[off + 3] = v >> 24;
        continue;
      }
      case 0x91: // ldxsb
      case 0x89: // ldxsh
      case 0x81: { // ldxsw
        const s = (w >>> 16) & 0xff;
        const o = (w & 0xffff);
        const size = LOAD_SIZE[o];
        const rid = (R[s + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        const off = (R[s] ^ OFFSET_BIAS) + W[q + 1];
        if (r === undefined || r.ctx !== undefined || off < r.start || off + size > r.end) break; // ctx accessors and faults
        const d = w >>> 24;
        // Bytes composed by hand: DataView calls are not inlined into a
        // function this large (measured: ~15 ns vs ~4 ns per load).
        const b = r.bytes;
        switch (o) {
          case 0x91: {
            const x = (b[off] << 24) >> 24;
            R[d] = x;
            R[d + 1] = x >> 31;
            break;
          }
          case 0x89: {
            const x = ((b[off] | (b[off + 1] << 8)) << 16) >> 16;
            R[d] = x;
            R[d + 1] = x >> 31;
            break;
          }
          default: {
            const x = b[off] | (b[off + 1] << 8) | (b[off + 2] << 16) | (b[off + 3] << 24);
            R[d] = x;
            R[d + 1] = x >> 31;
          }
        }
        continue;
      }
      case 0x73: // stxb
      case 0x6b: // stxh
      case 0x72: // stb
      case 0x6a: // sth
      case 0x62: // stw
      case 0x7a: { // stdw
        const o = (w & 0xffff);
        const d = w >>> 24;
        const size = STORE_SIZE[o];
        const isX = (o & 0x07) === 0x03;
        const vLo = isX ? R[(w >>> 16) & 0xff] : W[q + 2];
        const vHi = isX ? R[((w >>> 16) & 0xff) + 1] : W[q + 3];
        const rid = (R[d + 1] - REGION_TAG_BASE) >>> 0;
        const r = rid < regions.length ? regions[rid] : undefined;
        const off = (R[d] ^ OFFSET_BIAS) + W[q + 1];
        if (r === undefined || r.ctx !== undefined || !r.writable || off < r.start || off + size > r.end) {
          break; // ctx accessors and faults: the cold path
        }
        const b = r.bytes;
        b[off] = vLo;
        if (size >= 2) {
          b[off + 1] = vLo >> 8;
          if (size >= 4) {
            b[off + 2] = vLo >> 16;
            b[off + 3] = vLo >> 24;
            if (size === 8) {
              b[off + 4] = vHi;
              b[off + 5] = vHi >> 8;
              b[off + 6] = vHi >> 16;
              b[off + 7] = vHi >> 24;
            }
          }
        }
        continue;
      }
      case 0x104: { // OP_CALL_HELPER: bpf_map_lookup_elem on a plain array is inlined (as the kernel does)
        if (W[q + 2] !== 1 || (R[2] ^ OFFSET_BIAS) !== 0) break;
        if (R[3] !== lmHi || lmHi === 0) {
          if (layouts === undefined) break;
          const mrid = (R[3] - REGION_TAG_BASE) >>> 0;
          const lay = mrid < layouts.length ? layouts[mrid] : undefined;
          if (lay === undefined || lay === null) break;
          lmHi = R[3];
          lmMax = lay.maxEntries;
          lmElem = lay.elemSize;
          lmTag = (REGION_TAG_BASE + lay.regionId) | 0;
        }
        const koff = R[4] ^ OFFSET_BIAS;
        let key: number;
        if (fpOk && R[5] === sHi && (koff & 3) === 0 && koff >= 0 && koff >> 2 < sw.length) {
          key = sw[koff >> 2] >>> 0; // the usual place for the key: this frame's stack
        } else {
          const kid = (R[5] - REGION_TAG_BASE) >>> 0;
          const kr = kid < regions.length ? regions[kid] : undefined;
          if (kr === undefined || kr.ctx !== undefined || koff < kr.start || koff + 4 > kr.end) break;
          const kb = kr.bytes;
          key = (kb[koff] | (kb[koff + 1] << 8) | (kb[koff + 2] << 16) | (kb[koff + 3] << 24)) >>> 0;
        }
        if (key >= lmMax) {
          R[0] = 0;
          R[1] = 0;
        } else {
          R[0] = (key * lmElem) ^ OFFSET_BIAS;
          R[1] = lmTag;
        }
        continue;
      }
      case 0x103: { // OP_LDIMM64_PSEUDO, when already resolved for this resolver
        if (pv === undefined) break;
        const k = q >> 1;
        const hi = pv[k + 1];
        if (hi === 0) break;
        const d = w >>> 24;
        R[d] = pv[k];
        R[d + 1] = hi;
        pc = (q + 8) | 0;
        bs += 4;
        continue;
      }
      case 0x102: { // OP_LDIMM64
        const d = w >>> 24;
        R[d] = W[q + 2];
        R[d + 1] = W[q + 3];
        pc = (q + 8) | 0;
        bs += 4; // two slots, one instruction
        continue;
      }
      case 0x95: // exit
        if (vm.depth === stopDepth) {
          vm.n = n + ((pc - bs) >> 2);
          vm.pc = q >> 2;
          return DONE;
        }
        break; // returning into a caller frame: the cold path
      default:
        break;
    }
    // The slice is used up (a taken jump, so pc === bs): resume at the target.
    if (pc === bs && n >= stop && n < budget) {
      vm.n = n;
      vm.pc = pc >> 2;
      return RESUME;
    }
    // Left the switch: an instruction for the cold path, a fast-path miss,
    // or a jump that used up the budget. Hand over with n counting it.
    vm.n = n + ((pc - bs) >> 2);
    vm.pc = q >> 2;
    return COLD;
  }
}

export const LOAD_SIZE: Uint8Array = sizeTable({ 0x71: 1, 0x69: 2, 0x61: 4, 0x79: 8, 0x91: 1, 0x89: 2, 0x81: 4 });
export const STORE_SIZE = sizeTable({ 0x73: 1, 0x6b: 2, 0x63: 4, 0x7b: 8, 0x72: 1, 0x6a: 2, 0x62: 4, 0x7a: 8 });

function sizeTable(entries: Record<number, AccessSize>): Uint8Array {
  const t = new Uint8Array(256);
  for (const [k, v] of Object.entries(entries)) t[Number(k)] = v;
  return t;
}

export function regionOf(regions: readonly (Region | undefined)[], hi: number): Region | undefined {
  const id = (hi - REGION_TAG_BASE) >>> 0;
  return id < regions.length ? regions[id] : undefined;
}


