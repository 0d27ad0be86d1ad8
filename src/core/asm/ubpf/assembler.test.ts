import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { insnsToHex } from '../../isa/insn.ts';
import type { Diagnostic } from '../../program.ts';
import { assembleUbpf } from './assembler.ts';

function hexOf(source: string): string {
  const r = assembleUbpf(source);
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return insnsToHex(r.program.insns);
}

function errorsOf(source: string): Diagnostic[] {
  const r = assembleUbpf(source);
  expect(r.ok).toBe(false);
  return r.diagnostics;
}

/** Hand-written uBPF lines paired with the bytes ../shared/tools/bpfasm.py assembles for the same instruction in kernel syntax. */
const pairs = JSON.parse(readFileSync(new URL('../../../../test-data/ubpf/bpfasm-pairs.json', import.meta.url), 'utf8')) as {
  rows: { ubpf: string; kernel: string; hex: string }[];
};

describe('assembleUbpf: forms beyond the conformance suite', () => {
  it.each(pairs.rows)('$ubpf  ==  $kernel', ({ ubpf, hex }) => {
    expect(hexOf(ubpf)).toBe(hex);
  });

  // Encodings derived by hand from the opcode numbers of RFC 9669 / uapi bpf.h.
  it('encodes callx, local calls by offset, kfunc calls and ldabsdw', () => {
    expect(hexOf('callx %r3')).toBe('8d03000000000000'); // JMP|CALL|X, register in dst
    expect(hexOf('call local +4')).toBe('8510000004000000'); // src = BPF_PSEUDO_CALL
    expect(hexOf('call local -2')).toBe('85100000feffffff');
    expect(hexOf('call runtime 1234')).toBe('85200000d2040000'); // src = BPF_PSEUDO_KFUNC_CALL
    expect(hexOf('ldabsdw 8')).toBe('3800000008000000'); // LD|ABS|DW, as uBPF and GNU as spell it
  });

  it('resolves labels forwards and backwards, on their own line or before an instruction', () => {
    // ja over one slot: off = 1; the backward jne: from slot 3 to slot 0 is -4.
    const src = 'top: mov %r0, 1\nja skip\nmov %r0, 2\nskip:\njne %r0, 0, top\nexit';
    expect(hexOf(src)).toBe(
      'b700000001000000' + '0500010000000000' + 'b700000002000000' + '5500fcff00000000' + '9500000000000000',
    );
  });

  it('counts lddw as two slots when computing offsets', () => {
    expect(hexOf('ja end\nlddw %r0, 1\nend:\nexit')).toBe('0500020000000000' + '1800000001000000' + '0000000000000000' + '9500000000000000');
  });

  it("treats 'exit' as a label of the first exit unless a label of that name exists", () => {
    expect(hexOf('ja exit\nexit\nexit')).toBe('0500000000000000' + '9500000000000000'.repeat(2));
    expect(hexOf('ja exit\nexit\nexit:\nexit')).toBe('0500010000000000' + '9500000000000000'.repeat(2));
  });

  it('resolves call local LABEL to a relative imm, and a bare non-helper name the same way', () => {
    const want = '8510000001000000' + '9500000000000000' + '9500000000000000';
    expect(hexOf('call local f\nexit\nf:\nexit')).toBe(want);
    expect(hexOf('call f\nexit\nf:\nexit')).toBe(want);
  });

  it('accepts case, comments, tabs, CRLF, blank lines and missing %', () => {
    expect(hexOf('\r\n  MOV32\t%R0, 0x2  # two\r\n\r\n# only a comment\r\nadd r0, r0\r\nEXIT')).toBe(
      'b400000002000000' + '0f00000000000000' + '9500000000000000',
    );
  });

  it('returns the ProgramSpec with source map and labels', () => {
    const r = assembleUbpf('mov %r0, 0\n  lddw %r1, 5\nout: exit', { name: 'p' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.dialect).toBe('ubpf');
    expect(r.program.name).toBe('p');
    expect(r.program.progType).toBe('xdp');
    expect(r.program.maps).toEqual([]);
    expect(r.program.insns.length).toBe(4);
    expect(r.program.sourceMap).toEqual([
      { line: 1, column: 1 },
      { line: 2, column: 3 },
      { line: 2, column: 3 },
      { line: 3, column: 6 },
    ]);
    expect(r.program.labels).toEqual({ 3: 'out' });
  });
});

describe('assembleUbpf: errors', () => {
  it('reports each problem at its line and column, all of them', () => {
    const d = errorsOf('mov %r0, 1\nmovv %r0, 1\nadd %r0, %r11\nexit\nldxw %r0, [%r1+4');
    expect(d.map((x) => [x.line, x.column])).toEqual([
      [2, 1],
      [3, 10],
      [5, 11],
    ]);
    expect(d[0].message).toContain("unknown instruction 'movv'");
    expect(d[0].message).toContain("did you mean 'mov'");
    expect(d[1].message).toContain('%r0 to %r10');
    expect(d[2].message).toContain('[%r1+4]');
    for (const x of d) expect(x.severity).toBe('error');
  });

  it('says what the operands should be', () => {
    expect(errorsOf('add %r0')[0].message).toBe("'add' takes 2 operands (add %rD, %rS or add %rD, IMM), found 1");
    expect(errorsOf('exit %r0')[0].message).toBe("'exit' takes 0 operands (exit), found 1");
    expect(errorsOf('jeq %r1, 2')[0].message).toContain('jeq %rD, %rS or IMM, +OFF or LABEL');
    expect(errorsOf('stxw [%r1], 5')[0].message).toBe("expected a register like %r1, found '5'");
    expect(errorsOf('stw [%r1], %r2')[0].message).toBe("expected a number here, found the register '%r2'");
    expect(errorsOf('movsx832 %r1, 5')[0].message).toBe("expected a register like %r1, found '5'");
    expect(errorsOf('mov %r0, 1,')[0].message).toContain('missing operand');
    expect(errorsOf('mov %r0, , 1')[0].column).toBe(9);
  });

  it('checks immediate, offset and 64-bit ranges', () => {
    expect(errorsOf('mov %r0, -2147483649')[0].message).toContain('does not fit in 32 bits');
    expect(errorsOf('ldxw %r0, [%r1+32768]')[0].message).toContain('write 0x8000');
    expect(errorsOf('ldxw %r0, [%r1-0x8001]')[0].message).toContain('does not fit in 16 bits');
    expect(errorsOf('ja +32768')[0].message).toContain('does not fit in 16 bits');
    expect(errorsOf('lddw %r0, 0x10000000000000000')[0].message).toContain('does not fit in 64 bits');
    expect(errorsOf('mov %r0, 12abc')[0].message).toBe("expected a number like 5, -3 or 0x1f, found '12abc'");
  });

  it('rejects duplicate and undefined labels, and label jumps beyond 16 bits', () => {
    const dup = errorsOf('a:\nexit\na:\nexit');
    expect(dup).toEqual([{ line: 3, column: 1, endColumn: 2, severity: 'error', message: "label 'a' is already defined on line 1" }]);
    expect(errorsOf('jeq %r0, 0, nowhere\nexit')[0]).toMatchObject({ line: 1, column: 13, message: expect.stringContaining("undefined label 'nowhere'") });
    expect(errorsOf('call nothing\nexit')[0].message).toBe("'nothing' is neither a helper name nor a label in this program");
    expect(errorsOf('call helper nothing\nexit')[0].message).toContain("unknown helper 'nothing'");
    const far = `ja far\n${'mov %r0, 0\n'.repeat(32768)}far:\nexit`;
    expect(errorsOf(far)[0].message).toContain('use ja32');
    // ja32 keeps its offset in imm, so the same distance is fine there.
    const r = assembleUbpf(far.replace('ja far', 'ja32 far'));
    expect(r.ok && r.program.insns[0].imm).toBe(32768);
  });

  it('reports an empty program', () => {
    expect(errorsOf('# nothing here\n\n')[0].message).toContain('no instructions');
  });

  it('handles lock forms and their mistakes', () => {
    expect(hexOf('lock add [%r1], %r2')).toBe('db21000000000000');
    expect(errorsOf('lock')[0].message).toContain("'lock' needs an operation");
    expect(errorsOf('lock nand [%r1], %r2')[0]).toMatchObject({ column: 6, message: expect.stringContaining("'nand' is not an atomic operation") });
    expect(errorsOf('lock fetch add [%r1]')[0].message).toBe("'lock fetch add' takes 2 operands ([%rD+OFF], %rS), found 1");
  });
});
