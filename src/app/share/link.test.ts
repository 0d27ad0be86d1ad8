import { describe, expect, it } from 'vitest';
import { decodeShareFragment, encodeShareFragment, MAX_SHARED_SOURCE_BYTES } from './link.ts';

describe('share links', () => {
  it('round-trips any text, including non-ASCII and newlines', () => {
    const source = 'r0 = 2 ; → XDP_PASS ✓\nexit\n';
    const link = encodeShareFragment(source);
    expect(link.ok && link.fragment.startsWith('#v1,')).toBe(true);
    if (link.ok) expect(decodeShareFragment(link.fragment)).toEqual({ ok: true, source });
  });

  it('uses only URL-safe characters', () => {
    const link = encodeShareFragment('\u00ff\u00fe\u00fd>>>???');
    expect(link.ok && /^#v1,[A-Za-z0-9_-]*$/.test(link.fragment)).toBe(true);
  });

  it('decodes a link written by hand from the format description', () => {
    // base64url("exit") = "ZXhpdA"
    expect(decodeShareFragment('#v1,ZXhpdA')).toEqual({ ok: true, source: 'exit' });
  });

  it('ignores fragments that are not share links', () => {
    expect(decodeShareFragment('')).toBeNull();
    expect(decodeShareFragment('#section-2')).toBeNull();
  });

  it('explains damaged and unknown links instead of throwing', () => {
    expect(decodeShareFragment('#v9,abc')).toMatchObject({ ok: false, error: expect.stringMatching(/newer or unknown version/) });
    expect(decodeShareFragment('#v1,a b')).toMatchObject({ ok: false, error: expect.stringMatching(/damaged/) });
    // 0xff 0xfe is not UTF-8
    expect(decodeShareFragment('#v1,__4')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid text/) });
  });

  it('refuses sources too large for a link', () => {
    expect(encodeShareFragment('x'.repeat(MAX_SHARED_SOURCE_BYTES + 1))).toMatchObject({ ok: false });
  });
});
