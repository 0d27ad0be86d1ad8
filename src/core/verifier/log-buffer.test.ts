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

describe('LogBuffer with a limit', () => {
  it('stops keeping text at the limit, says so once, and still takes the final lines', () => {
    const b = new LogBuffer(10);
    b.append('12345');
    b.append('6789');
    expect(b.saturated).toBe(false);
    b.append('abc');
    b.append('def');
    expect(b.saturated).toBe(true);
    b.appendFinal('END\n');
    const text = b.toString();
    expect(text.startsWith('123456789... the log is longer than 10 characters')).toBe(true);
    expect(text.match(/longer than/g)).toHaveLength(1);
    expect(text.endsWith('follow ...\nEND\n')).toBe(true);
  });

  it('a rewind below the limit makes room again, as if nothing had been dropped', () => {
    const b = new LogBuffer(6);
    b.append('abc');
    b.append('defgh');
    expect(b.saturated).toBe(true);
    b.reset(2);
    expect(b.saturated).toBe(false);
    b.append('XY');
    expect(b.toString()).toBe('abXY');
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
