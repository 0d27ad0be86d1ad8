import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT, parseLayout } from './layout.ts';

describe('layout persistence', () => {
  it('reads saved sizes', () => {
    expect(parseLayout('{"editor":0.6,"verifier":0.3}')).toEqual({ editor: 0.6, verifier: 0.3 });
  });
  it('falls back per field on junk', () => {
    expect(parseLayout(null)).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('not json')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('[1]')).toEqual(DEFAULT_LAYOUT);
    expect(parseLayout('{"editor":5,"verifier":0.4}')).toEqual({ editor: DEFAULT_LAYOUT.editor, verifier: 0.4 });
  });
});
