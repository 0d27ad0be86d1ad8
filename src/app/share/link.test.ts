import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decodeShareFragment, encodeShareFragmentV1, encodeShareState, MAX_LINK_CHARS, MAX_SHARED_OBJECT_BYTES, MAX_SHARED_SOURCE_BYTES } from './link.ts';

/**
 * Links as released versions wrote them. They must open forever: the
 * expected states are written out by hand from what was shared.
 */
const GOLDEN = {
  // v1 (the app shell): base64url of "exit"
  v1: '#v1,ZXhpdA',
  // v2 (this release): an XDP_DROP program, one ARP packet, a seed and a budget
  v2: '#v2,TY5BC4JAEIX_yjBni1UowugQeOiWeAoyYtVJQ3MXdc0Q_3ujVvTm9t6bb6bHFl3HwlqZKiZ0cakrlUKX6LAEViVgBzZs4eT5Vy84-rNN3b0JS7RQyzinpkb33GMhIyoYsQ98eGZqkckabLEcx-FqRh2Htz8JR3xli41Y43DhT4iSmfeQmhdiZUo-YGFOr8OE4PIk9lpZGPq48geb0xEWmSSlBt0VG8Mb',
};

const b64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('share links', () => {
  it('opens links of every released version', () => {
    expect(decodeShareFragment(GOLDEN.v1)).toEqual({ ok: true, state: { source: 'exit' } });
    expect(decodeShareFragment(GOLDEN.v2)).toEqual({
      ok: true,
      state: {
        source: '.prog xdp\n    r0 = 1 ; XDP_DROP\n    exit\n',
        packets: [{ label: 'ARP who-has 10.0.0.2', hex: 'ffffffffffff0200000000010806' }],
        seeds: [{ map: 'counts', keyHex: '01000000', valueHex: '0a00000000000000' }],
        budget: 5000,
      },
    });
    // What the v1 encoder wrote still decodes, for any text.
    expect(decodeShareFragment(encodeShareFragmentV1('r0 = 2 ; → ✓\nexit\n'))).toEqual({ ok: true, state: { source: 'r0 = 2 ; → ✓\nexit\n' } });
  });

  it('round-trips the whole state through a compressed, URL-safe v2 link', () => {
    const object = { fileName: 'prog.o', program: 'xdp_main', bytes: Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff) };
    const state = { source: 'r0 = 2 ; → XDP_PASS ✓\nexit\n'.repeat(50), packets: [{ label: 'p', hex: '00ff' }], seeds: [], object };
    const link = encodeShareState(state);
    if (!link.ok) throw new Error(link.error);
    expect(link.fragment).toMatch(/^#v2,[A-Za-z0-9_-]+$/);
    // Compression: 50 repeated lines take far less than their 1.4 KB.
    expect(link.fragment.length).toBeLessThan(1000);
    const back = decodeShareFragment(link.fragment);
    expect(back).toEqual({ ok: true, state: { source: state.source, packets: state.packets, object } });
  });

  it('leaves a too-large object out of the link, and says so', () => {
    const big = { fileName: 'big.o', program: 'p', bytes: new Uint8Array(MAX_SHARED_OBJECT_BYTES + 1) };
    const link = encodeShareState({ source: 'exit', object: big });
    expect(link).toMatchObject({ ok: true, notes: [expect.stringMatching(/big\.o is \d+ bytes/)] });
  });

  it('refuses sources and links too large, with the numbers', () => {
    expect(encodeShareState({ source: 'x'.repeat(MAX_SHARED_SOURCE_BYTES + 1) })).toMatchObject({ ok: false, error: expect.stringMatching(/share links hold at most/) });
    expect(decodeShareFragment('#v2,' + 'A'.repeat(MAX_LINK_CHARS))).toMatchObject({ ok: false, error: expect.stringMatching(/more than bpfiddle reads/) });
  });

  it('ignores fragments that are not share links', () => {
    expect(decodeShareFragment('')).toBeNull();
    expect(decodeShareFragment('#section-2')).toBeNull();
  });

  it('explains damaged, unknown and hostile links instead of throwing', () => {
    expect(decodeShareFragment('#v9,abc')).toMatchObject({ ok: false, error: expect.stringMatching(/newer or unknown version/) });
    expect(decodeShareFragment('#v1,a b')).toMatchObject({ ok: false, error: expect.stringMatching(/damaged/) });
    expect(decodeShareFragment('#v1,__4')).toMatchObject({ ok: false, error: expect.stringMatching(/not valid text/) });
    expect(decodeShareFragment('#v2,AAAA')).toMatchObject({ ok: false });
    const v2 = (value: unknown) => '#v2,' + b64url(deflateSync(new TextEncoder().encode(JSON.stringify(value))));
    expect(decodeShareFragment(v2({ source: 1 }))).toMatchObject({ ok: false, error: expect.stringMatching(/source/) });
    // Markup in a packet's hex is refused; in a label it stays text (React never renders it as HTML).
    expect(decodeShareFragment(v2({ source: 'x', packets: [{ label: 'a', hex: '<img src=x onerror=alert(1)>' }] }))).toMatchObject({ ok: false, error: expect.stringMatching(/packets/) });
    expect(decodeShareFragment(v2({ source: 'x', seeds: [{ map: 'm', keyHex: 'zz', valueHex: '' }] }))).toMatchObject({ ok: false, error: expect.stringMatching(/seeds/) });
    expect(decodeShareFragment(v2({ source: 'x', budget: -1 }))).toMatchObject({ ok: false });
    // A decompression bomb: 8 MB of zeros deflate to a few KB.
    const bomb = '#v2,' + b64url(deflateSync(new Uint8Array(8 * 1024 * 1024)));
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    expect(decodeShareFragment(bomb)).toMatchObject({ ok: false, error: expect.stringMatching(/expands to more than/) });
  });
});
