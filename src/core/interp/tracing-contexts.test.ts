import { describe, expect, it } from 'vitest';
import { insn, type Insn } from '../isa/insn.ts';
import { decodeProgram } from './decode.ts';
import { runOnPacket } from './program-run.ts';
import { PERF_MAX_TRACE_SIZE, PT_REGS, PT_REGS_PARMS, PT_REGS_SIZE, TP_COMMON } from './tracing-contexts.ts';

const ldx = (size: 'b' | 'h' | 'w' | 'dw', dst: number, src: number, off: number): Insn => insn({ b: 0x71, h: 0x69, w: 0x61, dw: 0x79 }[size], dst, src, off);
const exit = insn(0x95);
const r0 = (o: ReturnType<typeof runOnPacket>): bigint | string => (o.kind === 'returned' ? o.r0 : o.kind === 'fault' ? `fault: ${o.message}` : `refused: ${o.reason}`);

/** x86-64 pt_regs as a kprobe sees it: register i holds 0x1000 + i (i = field index in struct order). */
function ptRegs(): Uint8Array {
  const b = new Uint8Array(PT_REGS_SIZE);
  const v = new DataView(b.buffer);
  for (let i = 0; i < PT_REGS_SIZE / 8; i++) v.setBigUint64(8 * i, 0x1000n + BigInt(i), true);
  return b;
}

describe('kprobe ctx: x86-64 struct pt_regs', () => {
  it('has the 21 registers of arch/x86/include/asm/ptrace.h in order', () => {
    expect(Object.keys(PT_REGS)).toEqual(['r15', 'r14', 'r13', 'r12', 'bp', 'bx', 'r11', 'r10', 'r9', 'r8', 'ax', 'cx', 'dx', 'si', 'di', 'orig_ax', 'ip', 'cs', 'flags', 'sp', 'ss']);
    expect(Object.values(PT_REGS)).toEqual(Array.from({ length: 21 }, (_, i) => 8 * i));
    expect(PT_REGS_SIZE).toBe(168);
    // PT_REGS_PARM1..6: di, si, dx, cx, r8, r9 (the System V calling convention)
    expect(PT_REGS_PARMS).toEqual([112, 104, 96, 88, 72, 64]);
  });

  it('reads the supplied registers, in memory order', () => {
    const regs = ptRegs();
    const read = (off: number, size: 'b' | 'h' | 'w' | 'dw' = 'dw') => r0(runOnPacket(decodeProgram([ldx(size, 0, 1, off), exit]), 'kprobe', null, { ctxIn: regs }));
    expect(read(PT_REGS.di)).toBe(0x1000n + 14n);
    expect(read(PT_REGS.ip)).toBe(0x1000n + 16n);
    expect(read(PT_REGS.ss)).toBe(0x1000n + 20n);
    expect(read(PT_REGS.ax, 'w')).toBe(0x100an);
    expect(read(PT_REGS.ax + 1, 'b')).toBe(0x10n);
  });

  it('zero-fills registers not supplied, and refuses more than a pt_regs', () => {
    const two = new Uint8Array(16).fill(0xff);
    expect(r0(runOnPacket(decodeProgram([ldx('dw', 0, 1, PT_REGS.di), exit]), 'kprobe', null, { ctxIn: two }))).toBe(0n);
    expect(r0(runOnPacket(decodeProgram([ldx('dw', 0, 1, 0), exit]), 'kprobe', null, { ctxIn: two }))).toBe(0xffffffffffffffffn);
    expect(r0(runOnPacket(decodeProgram([exit]), 'kprobe', null, { ctxIn: new Uint8Array(169) }))).toMatch(/^refused: EINVAL: .*pt_regs of 168 bytes/);
  });
});

describe('tracepoint ctx: the trace record', () => {
  // a record of sched_process_exec-like shape: header, then u32 pid at 8 and u64 at 16
  const record = (): Uint8Array => {
    const b = new Uint8Array(24);
    const v = new DataView(b.buffer);
    v.setUint16(TP_COMMON.type, 300, true);
    v.setInt32(TP_COMMON.pid, 4242, true);
    v.setUint32(8, 77, true);
    v.setBigUint64(16, 0xabcdefn, true);
    return b;
  };

  it('puts the fields after the 8-byte common header', () => {
    expect(TP_COMMON.size).toBe(8);
    expect(r0(runOnPacket(decodeProgram([ldx('w', 0, 1, 8), exit]), 'tracepoint', null, { ctxIn: record() }))).toBe(77n);
    expect(r0(runOnPacket(decodeProgram([ldx('dw', 0, 1, 16), exit]), 'tracepoint', null, { ctxIn: record() }))).toBe(0xabcdefn);
  });

  it('is zero up to PERF_MAX_TRACE_SIZE, where the verifier stops reads', () => {
    expect(r0(runOnPacket(decodeProgram([ldx('dw', 0, 1, PERF_MAX_TRACE_SIZE - 8), exit]), 'tracepoint', null, { ctxIn: record() }))).toBe(0n);
    expect(r0(runOnPacket(decodeProgram([exit]), 'tracepoint', null, { ctxIn: new Uint8Array(PERF_MAX_TRACE_SIZE + 1) }))).toMatch(/^refused: EINVAL/);
  });
});

describe('raw_tracepoint ctx', () => {
  const readArg = (k: number) => decodeProgram([ldx('dw', 0, 1, 8 * k), exit]);

  it('without ctx_in (a simulated event) has 12 zero arguments', () => {
    expect(r0(runOnPacket(readArg(11), 'raw_tracepoint', null))).toBe(0n);
  });

  it('refuses a ctx_in shorter than the program reads or longer than 12 arguments, as the kernel does', () => {
    expect(r0(runOnPacket(readArg(2), 'raw_tracepoint', null, { ctxIn: new Uint8Array(16) }))).toMatch(/^refused: EINVAL: .*up to byte 24/);
    expect(r0(runOnPacket(readArg(0), 'raw_tracepoint', null, { ctxIn: new Uint8Array(97) }))).toMatch(/^refused: EINVAL/);
  });

  it('gives a NULL ctx for an empty ctx_in', () => {
    expect(r0(runOnPacket(decodeProgram([insn(0xbf, 0, 1), exit]), 'raw_tracepoint', null, { ctxIn: new Uint8Array(0) }))).toBe(0n);
  });
});
