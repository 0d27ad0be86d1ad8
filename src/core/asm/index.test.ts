import { describe, expect, it } from 'vitest';
import { insnsToHex } from '../isa/insn.ts';
import { assemble, detectDialect } from './index.ts';

describe('assemble: dialect detection and dispatch', () => {
  it('detects the uBPF mnemonic dialect and delegates to its assembler', () => {
    for (const src of ['mov32 %r0, 0\nexit', 'ldxw %r0, [%r1+4]\nexit', 'jeq %r1, 5, +1\nmov %r0, 1\nexit', 'lock add [%r1], %r2\nexit']) {
      expect(detectDialect(src), src).toBe('ubpf');
      const r = assemble(src);
      expect(r.dialect, src).toBe('ubpf');
      expect(r.ok, src).toBe(true);
    }
  });

  it('treats LLVM/kernel syntax as the kernel dialect', () => {
    for (const src of ['r0 = 0\nexit', 'w0 = 0\nexit', 'if r1 > 2 goto +0\nexit', 'call bpf_map_lookup_elem#1\nexit', 'exit']) {
      expect(detectDialect(src), src).toBe('kernel');
    }
  });

  it('both dialects give the same bytes for the same program', () => {
    const ubpf = assemble('mov32 %r0, 2\nadd %r0, 3\nexit');
    const kernel = assemble('w0 = 2\nr0 += 3\nexit');
    expect(ubpf.ok && kernel.ok).toBe(true);
    if (ubpf.ok && kernel.ok) expect(insnsToHex(ubpf.program.insns)).toBe(insnsToHex(kernel.program.insns));
  });

  it('honours an explicit dialect', () => {
    const r = assemble('mov32 %r0, 0\nexit', { dialect: 'kernel' });
    expect(r.ok).toBe(false);
    expect(r.dialect).toBe('kernel');
    expect(r.diagnostics[0]).toMatchObject({ line: 1, severity: 'error' });
  });

  it('names the program', () => {
    const r = assemble('exit', { name: 'xdp_main' });
    expect(r.ok && r.program.name).toBe('xdp_main');
  });
});
