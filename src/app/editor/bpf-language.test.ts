import { describe, expect, it } from 'vitest';
import { DEC_NUMBER, DIRECTIVE, HELPER_NAMES, HEX_NUMBER, KEYWORDS, LABEL_DEFINITION, LINE_COMMENT, MNEMONICS, REGISTER, STRING, bpfLanguage } from './bpf-language.ts';

/** Does the rule match the whole string, as the tokenizer would at that position? */
const whole = (re: RegExp, s: string) => new RegExp(`^(?:${re.source})$`).test(s);
/** The length the rule consumes at the start of s (Monarch matches at the current position). */
const consumed = (re: RegExp, s: string) => new RegExp(`^(?:${re.source})`).exec(s)?.[0] ?? null;

describe('BPF assembly tokens', () => {
  it('knows exactly the registers r0-r10 and w0-w10, with or without %', () => {
    for (const r of ['r0', 'r9', 'r10', 'w0', 'w10', '%r1', '%r10']) expect(whole(REGISTER, r)).toBe(true);
    for (const r of ['r11', 'r1x', 'x1', 'w11']) expect(consumed(REGISTER, r)).toBeNull();
  });

  it('reads numbers, hex before decimal, with signs (offsets like +4, -8)', () => {
    expect(consumed(HEX_NUMBER, '0x8 goto')).toBe('0x8');
    expect(consumed(HEX_NUMBER, '-0xFF)')).toBe('-0xFF');
    expect(consumed(DEC_NUMBER, '+2')).toBe('+2');
    expect(consumed(DEC_NUMBER, '-8)')).toBe('-8');
    expect(consumed(DEC_NUMBER, '4abc')).toBeNull();
  });

  it('finds labels, directives and all three comment styles', () => {
    expect(consumed(LABEL_DEFINITION, 'drop:')).toBe('drop:');
    expect(consumed(LABEL_DEFINITION, '  .Lloop:')).toBe('  .Lloop:');
    for (const d of ['.prog', '.map', '.license']) expect(consumed(DIRECTIVE, `${d} xdp`)).toBe(d);
    for (const c of ['; note', '// note', '# note']) expect(consumed(LINE_COMMENT, c)).toBe(c);
  });

  it('highlights the data directives, their strings and hex bytes, and frozen', () => {
    for (const d of ['.init', '.rodata']) expect(consumed(DIRECTIVE, `${d} name`)).toBe(d);
    expect(consumed(STRING, '"a\\"; b" ; note')).toBe('"a\\"; b"');
    expect(consumed(STRING, 'x"0a 00" = 1')).toBe('x"0a 00"');
    expect(consumed(STRING, '"unclosed ; x')).toBe('"unclosed ; x');
    expect(KEYWORDS).toContain('frozen');
    // strings are tried before comments, so `;` inside one stays text
    const rules = bpfLanguage.tokenizer.root.map((r) => (Array.isArray(r) ? r[0] : null));
    expect(rules.indexOf(STRING)).toBeLessThan(rules.indexOf(LINE_COMMENT));
  });

  it('has the kernel-syntax keywords and the uBPF mnemonics', () => {
    for (const k of ['if', 'goto', 'exit', 'call', 'lock', 'll']) expect(KEYWORDS).toContain(k);
    for (const m of ['mov', 'mov32', 'ldxw', 'stxdw', 'jeq', 'jne32', 'lddw', 'ja']) expect(MNEMONICS).toContain(m);
  });

  it('highlights helper names from the core helper table, long and short', () => {
    expect(HELPER_NAMES).toContain('bpf_map_lookup_elem');
    expect(HELPER_NAMES).toContain('map_lookup_elem');
    expect(HELPER_NAMES).not.toContain('bpf_unspec');
  });
});
