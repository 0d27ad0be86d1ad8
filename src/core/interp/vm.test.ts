import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { buildContext, defaultPacket } from './contexts.ts';
import { decodeProgram } from './decode.ts';
import { FUNC_POINTER_TAG, type HelperFn } from './helpers.ts';
import { Memory } from './memory.ts';
import { runOnPacket } from './program-run.ts';
import { MAY_GOTO_LIMIT, run, type RunOptions, type RunResult } from './vm.ts';

// Raw instruction helpers (opcode bytes from include/uapi/linux/bpf.h).
const mov = (dst: number, imm: number): Insn => insn(0xb7, dst, 0, 0, imm);
const movReg = (dst: number, src: number): Insn => insn(0xbf, dst, src);
const addImm = (dst: number, imm: number): Insn => insn(0x07, dst, 0, 0, imm);
const addReg = (dst: number, src: number): Insn => insn(0x0f, dst, src);
const ldxw = (dst: number, src: number, off: number): Insn => insn(0x61, dst, src, off);
const ldxdw = (dst: number, src: number, off: number): Insn => insn(0x79, dst, src, off);
const stdw = (dst: number, off: number, imm: number): Insn => insn(0x7a, dst, 0, off, imm);
const stw = (dst: number, off: number, imm: number): Insn => insn(0x62, dst, 0, off, imm);
const ja = (off: number): Insn => insn(0x05, 0, 0, off);
const call = (id: number): Insn => insn(0x85, 0, 0, 0, id);
const callLocal = (rel: number): Insn => insn(0x85, 0, 1, 0, rel);
const exit = (): Insn => insn(0x95);

function exec(insns: Insn[], opts: RunOptions = {}): RunResult {
  return run(decodeProgram(insns), opts);
}

function faultOf(r: RunResult): { pc: number; kind: string; message: string } {
  if (r.ok) throw new Error(`expected a fault, got r0 = ${r.r0}`);
  return r.fault;
}

describe('memory faults', () => {
  it('stops a read past the top of the stack with the index and a clear message', () => {
    const f = faultOf(exec([mov(0, 0), ldxw(0, 10, 0), exit()]));
    expect(f).toEqual({ pc: 1, kind: 'memory', message: 'invalid read of 4 bytes at stack+512 (fp+0): outside the 512-byte stack' });
  });

  it('stops a write below the stack', () => {
    const f = faultOf(exec([stdw(10, -520, 1), exit()]));
    expect(f.pc).toBe(0);
    expect(f.message).toBe('invalid write of 8 bytes at stack-8 (fp-520): outside the 512-byte stack');
  });

  it('allows the whole stack, fp-512 .. fp-1', () => {
    const r = exec([stdw(10, -512, 3), stdw(10, -8, 4), ldxdw(0, 10, -512), ldxdw(1, 10, -8), addReg(0, 1), exit()]);
    expect(r).toMatchObject({ ok: true, r0: 7n });
  });

  it('reports a null pointer dereference', () => {
    const f = faultOf(exec([mov(1, 0), ldxdw(0, 1, 16), exit()]));
    expect(f).toMatchObject({ pc: 1, kind: 'memory' });
    expect(f.message).toBe('invalid read of 8 bytes at 0x10: null pointer dereference');
  });

  it('reports an integer used as a pointer', () => {
    const f = faultOf(exec([mov(1, 0x1234), ldxw(0, 1, 0), exit()]));
    expect(f.message).toBe('invalid read of 4 bytes at 0x1234: not a pointer to any memory region');
  });

  it('refuses writes to read-only data, and atomics on it', () => {
    const memory = new Memory();
    const ro = memory.addRegion({ kind: 'rodata', name: '.rodata', bytes: new Uint8Array([1, 0, 0, 0]), writable: false });
    const args = [memory.pointer(ro.id)];
    expect(exec([ldxw(0, 1, 0), exit()], { memory, args })).toMatchObject({ ok: true, r0: 1n });
    const f = faultOf(exec([stw(1, 0, 5), exit()], { memory, args }));
    expect(f).toMatchObject({ pc: 0, kind: 'memory', message: 'invalid write of 4 bytes at .rodata+0: the .rodata is read-only' });
    const atomicAdd = insn(0xc3, 1, 0, 0, 0x00); // lock *(u32 *)(r1 + 0) += w0
    expect(faultOf(exec([mov(0, 1), atomicAdd, exit()], { memory, args })).message).toContain('read-only');
  });

  it('checks the end of a region', () => {
    const memory = new Memory();
    const m = memory.addRegion({ kind: 'mem', name: 'mem', bytes: new Uint8Array(6) });
    const f = faultOf(exec([ldxw(0, 1, 4), exit()], { memory, args: [memory.pointer(m.id)] }));
    expect(f.message).toBe('invalid read of 4 bytes at mem+4: outside the 6-byte mem');
  });
});

describe('control limits', () => {
  it('stops a runaway loop at the budget', () => {
    const r = exec([mov(0, 0), addImm(0, 1), ja(-2), exit()], { budget: 1000 });
    const f = faultOf(r);
    expect(f.kind).toBe('budget');
    expect(f.pc).toBe(2);
    expect(f.message).toContain('instruction budget exhausted');
    // The budget is checked on taken jumps, so the count lands just past it.
    expect(r.insnsExecuted).toBeGreaterThanOrEqual(1000);
    expect(r.insnsExecuted).toBeLessThan(1000 + 4);
  });

  it('counts ld_imm64 as one instruction', () => {
    const r = exec([insn(0x18, 0, 0, 0, 1), insn(0, 0, 0, 0, 2), exit()]);
    expect(r).toEqual({ ok: true, r0: 0x200000001n, insnsExecuted: 2 });
  });

  it('allows 8 call frames and faults on the 9th', () => {
    // Slot 2k calls slot 2k+2; the last level sets r0.
    const chain = (levels: number): Insn[] => {
      const out: Insn[] = [];
      for (let k = 0; k < levels; k++) out.push(callLocal(1), exit());
      out.push(mov(0, 42), exit());
      return out;
    };
    expect(exec(chain(7))).toMatchObject({ ok: true, r0: 42n });
    const f = faultOf(exec(chain(8)));
    expect(f).toMatchObject({ pc: 14, kind: 'call-depth' });
    expect(f.message).toBe('call stack too deep: a program may use at most 8 frames');
  });

  it('gives each frame its own stack and restores r6-r9 and r10', () => {
    const r = exec([
      mov(6, 5),
      stdw(10, -8, 7),
      callLocal(3), // -> slot 6
      ldxdw(0, 10, -8), // main's own slot still holds 7
      addReg(0, 6), // and r6 is back to 5
      exit(),
      // callee: clobbers r6 and its own fp-8
      mov(6, 100),
      stdw(10, -8, 99),
      exit(),
    ]);
    expect(r).toMatchObject({ ok: true, r0: 12n });
  });

  it('passes r1-r5 to the callee and returns r0', () => {
    const r = exec([mov(1, 30), mov(2, 12), callLocal(1), exit(), movReg(0, 1), addReg(0, 2), exit()]);
    expect(r).toMatchObject({ ok: true, r0: 42n });
  });

  it('may_goto falls through 8M times, then jumps', () => {
    const mayGoto = insn(0xe5, 0, 0, 1, 0);
    const r = exec([mov(0, 0), addImm(0, 1), mayGoto, ja(-3), exit()]);
    expect(r).toMatchObject({ ok: true, r0: BigInt(MAY_GOTO_LIMIT + 1) });
  });
});

describe('invalid programs fault instead of throwing', () => {
  it('r10 is read-only', () => {
    expect(faultOf(exec([mov(10, 0), exit()]))).toEqual({ pc: 0, kind: 'invalid-insn', message: 'frame pointer is read only' });
  });

  it('kfunc calls are not supported', () => {
    expect(faultOf(exec([insn(0x85, 0, 2, 0, 1234), exit()]))).toMatchObject({ pc: 0, kind: 'unsupported', message: 'kfunc calls are not supported' });
  });

  it('running past the last instruction', () => {
    expect(faultOf(exec([mov(0, 1)]))).toMatchObject({ pc: 1, kind: 'invalid-insn' });
  });

  it('unknown opcodes, at the point they are reached', () => {
    const r = exec([mov(0, 1), insn(0x8f), exit()]);
    expect(faultOf(r)).toEqual({ pc: 1, kind: 'invalid-insn', message: 'unknown opcode 0x8f' });
  });

  it('jumping into the middle of ld_imm64', () => {
    const r = exec([ja(1), insn(0x18, 0, 0, 0, 1), insn(0, 0, 0, 0, 0), exit()]);
    expect(faultOf(r)).toMatchObject({ pc: 2, message: 'jump into the middle of an ld_imm64 instruction' });
  });

  it('a jump out of the program', () => {
    expect(faultOf(exec([ja(5), exit()])).message).toBe('jump out of range from insn 0 to 6');
  });

  it('a map reference without a runtime', () => {
    const r = exec([insn(0x18, 1, 1, 0, 0), insn(0, 0, 0, 0, 0), exit()]);
    expect(faultOf(r)).toMatchObject({ pc: 0, kind: 'unsupported' });
  });
});

describe('helpers', () => {
  it('calls a helper with r1-r5 and takes r0 from it', () => {
    const add: HelperFn = (ctx) => ctx.arg(1) + ctx.arg(2) * 2n;
    const r = exec([mov(1, 2), mov(2, 20), call(77), exit()], { helpers: new Map([[77, add]]) });
    expect(r).toMatchObject({ ok: true, r0: 42n });
  });

  it('faults on a helper that is not in the table', () => {
    expect(faultOf(exec([call(9), exit()]))).toEqual({ pc: 0, kind: 'helper', message: 'helper 9 is not available in this run' });
  });

  it('passes helper faults through with the call index', () => {
    const bad: HelperFn = () => ({ fault: 'bad key pointer' });
    expect(faultOf(exec([mov(0, 0), call(1), exit()], { helpers: new Map([[1, bad]]) }))).toEqual({ pc: 1, kind: 'helper', message: 'bad key pointer' });
  });

  it('lets a helper stop the program (uBPF unwind)', () => {
    const stop: HelperFn = () => ({ exit: 5n });
    expect(exec([call(1), mov(0, 9), exit()], { helpers: new Map([[1, stop]]) })).toMatchObject({ ok: true, r0: 5n });
  });

  it('gives helpers checked memory access', () => {
    const writeKey: HelperFn = (ctx) => {
      const err = ctx.memory.write(ctx.arg(1), new Uint8Array([1, 2, 3, 4]));
      return err === null ? 0n : { fault: err };
    };
    const helpers = new Map([[1, writeKey]]);
    const r = exec([movReg(1, 10), addImm(1, -4), call(1), ldxw(0, 10, -4), exit()], { helpers });
    expect(r).toMatchObject({ ok: true, r0: 0x04030201n });
    expect(faultOf(exec([movReg(1, 10), call(1), exit()], { helpers }))).toEqual({
      pc: 1,
      kind: 'helper',
      message: 'invalid write of 4 bytes at stack+512 (fp+0): outside the 512-byte stack',
    });
  });

  it('runs callbacks (ld_imm64 src=4) for helpers like bpf_loop', () => {
    // helper 181 (bpf_loop-like): calls the callback r2 for i in 0..r1-1 with (i, r3); sums r0s
    const loop: HelperFn = (ctx) => {
      let sum = 0n;
      for (let i = 0n; i < ctx.arg(1); i++) {
        const r = ctx.callFunction(ctx.arg(2), [i, ctx.arg(3)]);
        if (!r.ok) return { fault: r.fault.message };
        sum += r.r0;
      }
      return sum;
    };
    const prog = [
      mov(6, 1000),
      mov(1, 4),
      insn(0x18, 2, 4, 0, 6), // r2 = callback (slot 1 + 1 + 6 = 8)
      insn(0, 0, 0, 0, 0),
      mov(3, 10),
      call(181),
      addReg(0, 6), // r6 survives the callbacks
      exit(),
      // callback(i, k): r6 is callee-saved, so clobbering it here must not leak
      mov(6, 0),
      movReg(0, 1),
      addReg(0, 2),
      exit(),
    ];
    // sum over i=0..3 of (i + 10) = 46, plus r6 = 1000
    expect(exec(prog, { helpers: new Map([[181, loop]]) })).toMatchObject({ ok: true, r0: 1046n });
    expect(Number(FUNC_POINTER_TAG)).toBeGreaterThan(0);
  });

  it('reports a faulting callback to the helper and leaves the VM consistent', () => {
    // The helper swallows the callback's fault and returns 7; the caller's r6 and stack survive.
    const swallow: HelperFn = (ctx) => {
      const r = ctx.callFunction(ctx.arg(1), []);
      return r.ok ? 0n : r.fault.message === 'invalid read of 8 bytes at 0x0: null pointer dereference' ? 7n : 0n;
    };
    const prog = [
      mov(6, 5),
      stdw(10, -8, 30),
      insn(0x18, 1, 4, 0, 6), // r1 = the callback at slot 2 + 1 + 6 = 9
      insn(0, 0, 0, 0, 0),
      call(99),
      ldxdw(1, 10, -8),
      addReg(0, 1),
      addReg(0, 6),
      exit(),
      // callback: a null dereference
      mov(1, 0),
      ldxdw(0, 1, 0),
      exit(),
    ];
    expect(exec(prog, { helpers: new Map([[99, swallow]]) })).toMatchObject({ ok: true, r0: 42n });
  });

  it('stops callbacks once the budget is used up', () => {
    let calls = 0;
    const forever: HelperFn = (ctx) => {
      for (;;) {
        const r = ctx.callFunction(ctx.arg(1), []);
        calls++;
        if (!r.ok) return { fault: r.fault.message };
      }
    };
    const prog = [insn(0x18, 1, 4, 0, 2), insn(0, 0, 0, 0, 0), call(1), exit(), mov(0, 0), exit()];
    const f = faultOf(exec(prog, { helpers: new Map([[1, forever]]), budget: 1000 }));
    expect(f.kind).toBe('helper');
    expect(f.message).toContain('instruction budget exhausted');
    expect(calls).toBeGreaterThan(400);
    expect(calls).toBeLessThan(1000);
  });

  it('continues in another program on a tail call', () => {
    const target = decodeProgram([mov(0, 77), exit()]);
    const tail: HelperFn = () => ({ tailCall: target });
    expect(exec([call(12), mov(0, 1), exit()], { helpers: new Map([[12, tail]]) })).toMatchObject({ ok: true, r0: 77n });
  });

  it('turns a throwing helper into an internal fault', () => {
    const boom: HelperFn = () => {
      throw new Error('boom');
    };
    const f = faultOf(exec([mov(0, 0), call(3), exit()], { helpers: new Map([[3, boom]]) }));
    expect(f).toMatchObject({ pc: 1, kind: 'internal' });
    expect(f.message).toContain('boom');
  });
});

describe('program contexts', () => {
  it('xdp_md data/data_end are packet pointers (data_end - data = length)', () => {
    const prog = decodeProgram([ldxw(2, 1, 0), ldxw(3, 1, 4), movReg(0, 3), insn(0x1f, 0, 2), exit()]);
    expect(runOnPacket(prog, 'xdp', null)).toMatchObject({ kind: 'returned', r0: 64n });
    expect(runOnPacket(prog, 'xdp', new Uint8Array(20))).toMatchObject({ kind: 'returned', r0: 20n });
  });

  it('xdp programs can rewrite the packet, and dataOut shows it', () => {
    const prog = decodeProgram([ldxw(2, 1, 0), insn(0x72, 2, 0, 0, 0xab), mov(0, 2), exit()]);
    const o = runOnPacket(prog, 'xdp', new Uint8Array(14));
    expect(o.kind).toBe('returned');
    if (o.kind === 'returned') expect([...(o.dataOut ?? [])]).toEqual([0xab, ...new Array(13).fill(0)]);
  });

  it('refuses packets shorter than an Ethernet header', () => {
    expect(runOnPacket(decodeProgram([mov(0, 0), exit()]), 'xdp', new Uint8Array(10))).toEqual({
      kind: 'refused',
      reason: 'EINVAL: the packet is 10 bytes; a xdp test run needs at least 14 (an Ethernet header)',
    });
  });

  it('refuses a bare Ethernet header for skb programs (EINVAL on 6.18), accepts it for xdp', () => {
    const prog = decodeProgram([mov(0, 0), exit()]);
    expect(runOnPacket(prog, 'sched_cls', new Uint8Array(14))).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/^EINVAL: .*at least 15/) });
    expect(runOnPacket(prog, 'xdp', new Uint8Array(14))).toMatchObject({ kind: 'returned' });
  });

  it('socket_filter sees the packet from the IP header; __sk_buff len matches', () => {
    const prog = decodeProgram([ldxw(2, 1, 76), insn(0x71, 0, 2, 0), ldxw(3, 1, 0), insn(0x67, 3, 0, 0, 8), addReg(0, 3), exit()]);
    // first byte 0x45 (IPv4, ihl 5); len = 64 - 14 = 50
    expect(runOnPacket(prog, 'socket_filter', defaultPacket())).toMatchObject({ kind: 'returned', r0: (50n << 8n) + 0x45n });
  });

  it('LD_ABS reads big-endian from skb data; out of bounds ends the program with r0 = 0', () => {
    const ldAbsW = (off: number): Insn => insn(0x20, 0, 0, 0, off);
    const ok = runOnPacket(decodeProgram([ldAbsW(0), exit()]), 'socket_filter', defaultPacket());
    expect(ok).toMatchObject({ kind: 'returned', r0: 0x45000032n });
    const oob = runOnPacket(decodeProgram([ldAbsW(1000), mov(0, 5), exit()]), 'socket_filter', defaultPacket());
    expect(oob).toMatchObject({ kind: 'returned', r0: 0n, insnsExecuted: 1 });
  });

  it('ctx writes go through the accessors: __sk_buff cb is writable, len is not', () => {
    const writeCb = decodeProgram([stw(1, 48, 9), ldxw(0, 1, 48), exit()]);
    expect(runOnPacket(writeCb, 'sched_cls', null)).toMatchObject({ kind: 'returned', r0: 9n });
    const writeLen = runOnPacket(decodeProgram([stw(1, 0, 9), exit()]), 'sched_cls', null);
    expect(writeLen).toMatchObject({ kind: 'fault', pc: 0, message: 'invalid write to __sk_buff at offset 0: the field is read-only' });
  });

  it('other program types get a zeroed, read-only ctx', () => {
    const memory = new Memory();
    const built = buildContext(memory, 'kprobe', null);
    expect(built.ok).toBe(true);
    expect(runOnPacket(decodeProgram([ldxdw(0, 1, 8), exit()]), 'kprobe', null)).toMatchObject({ kind: 'returned', r0: 0n });
  });

  it('the default packet is a valid 64-byte Ethernet/IPv4/UDP frame', () => {
    const p = defaultPacket();
    expect(p.length).toBe(64);
    expect([p[12], p[13], p[23]]).toEqual([0x08, 0x00, 17]);
    // IPv4 header checksum verifies to 0xffff
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += (p[i] << 8) | p[i + 1];
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    expect(sum).toBe(0xffff);
  });
});

describe('packed fast paths (r10-relative accesses, fused rX = rY; rX += imm)', () => {
  const stxdw = (dst: number, src: number, off: number): Insn => insn(0x7b, dst, src, off);
  const stxw = (dst: number, src: number, off: number): Insn => insn(0x63, dst, src, off);

  it('round-trips unaligned and aligned stack words through r10', () => {
    const big = [insn(0x18, 1, 0, 0, 0x55667788), insn(0, 0, 0, 0, 0x11223344)];
    const r = exec([...big, stxdw(10, 1, -15), ldxdw(2, 10, -15), stxw(10, 1, -16), ldxw(3, 10, -16), movReg(0, 2), insn(0x1f, 0, 3), exit()]);
    expect(r).toMatchObject({ ok: true, r0: 0x1122334455667788n - 0x55667788n });
  });

  it('an r10 access outside the stack still faults with the stack message', () => {
    expect(faultOf(exec([stw(10, 0, 1), mov(0, 0), exit()])).message).toMatch(/stack/);
    expect(faultOf(exec([ldxdw(0, 10, -516), exit()])).message).toMatch(/outside the 512-byte stack/);
  });

  it('the fused pair writes through the stack pointer it computes', () => {
    expect(exec([movReg(2, 10), addImm(2, -8), stdw(2, 0, 5), ldxdw(0, 10, -8), exit()])).toMatchObject({ ok: true, r0: 5n });
  });

  it('a jump onto the add of a fused pair runs the add alone', () => {
    // r2 = 100; if r2 != 0 goto +1; r2 = r1; r2 += 5; r0 = r2
    const prog = [mov(2, 100), insn(0x55, 2, 0, 1, 0), movReg(2, 1), addImm(2, 5), movReg(0, 2), exit()];
    expect(exec(prog, { args: [7n] })).toMatchObject({ ok: true, r0: 105n });
    expect(exec([mov(2, 0), ...prog.slice(1)], { args: [7n] })).toMatchObject({ ok: true, r0: 12n });
  });

  it('each frame has its own stack behind r10', () => {
    // caller: *(u64 *)(r10 - 8) = 1; call sub; r0 = *(u64 *)(r10 - 8); exit
    // sub:    *(u64 *)(r10 - 8) = 2; r0 = *(u64 *)(r10 - 8); exit
    const r = exec([stdw(10, -8, 1), callLocal(2), ldxdw(0, 10, -8), exit(), stdw(10, -8, 2), ldxdw(0, 10, -8), exit()]);
    expect(r).toMatchObject({ ok: true, r0: 1n });
  });
});
