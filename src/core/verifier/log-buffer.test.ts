import { describe, expect, it } from 'vitest';
import { LogBuffer, vlogAlignment } from './log-buffer.ts';

describe('LogBuffer', () => {
  it('rewinds to any earlier position, across and inside pieces', () => {
    const b = new LogBuffer();
    b.append('abc');
    b.append('def');
    b.append('gh');
    b.reset(4);
    expect(b.toString()).toBe('abcd');
    b.append('XY');
    expect(b.length).toBe(6);
    b.reset(0);
    expect(b.toString()).toBe('');
    b.append('q');
    b.reset(5);
    expect(b.toString()).toBe('q');
  });
});

describe('vlogAlignment', () => {
  it('puts the state separator where the kernel does', () => {
    // "0: (b7) r0 = 0\\n" is 15 characters; the kernel pads to column 38 before ';'
    // (recorded: "0: (b7) r0 = 0                        ; R0=0")
    expect('0: (b7) r0 = 0'.length + vlogAlignment(15)).toBe(38);
    // a long call line: "2: (85) call bpf_get_current_pid_tgid#14      ; R0=scalar()"
    const line = '2: (85) call bpf_get_current_pid_tgid#14';
    expect(line.length + vlogAlignment(line.length + 1)).toBe('2: (85) call bpf_get_current_pid_tgid#14      '.length);
  });
});
