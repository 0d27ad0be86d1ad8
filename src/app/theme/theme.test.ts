import { describe, expect, it } from 'vitest';
import { effectiveTheme, parseThemeChoice, toggledTheme } from './theme.ts';

describe('theme policy', () => {
  it('follows the system until the user chooses', () => {
    expect(effectiveTheme('system', true)).toBe('dark');
    expect(effectiveTheme('system', false)).toBe('light');
    expect(effectiveTheme('light', true)).toBe('light');
    expect(effectiveTheme('dark', false)).toBe('dark');
  });
  it('toggles what is on screen and reads only known choices back', () => {
    expect(toggledTheme('dark')).toBe('light');
    expect(toggledTheme('light')).toBe('dark');
    expect(parseThemeChoice('dark')).toBe('dark');
    expect(parseThemeChoice(null)).toBe('system');
    expect(parseThemeChoice('DARK')).toBe('system');
  });
});
