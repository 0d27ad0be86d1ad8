/**
 * Theme policy: follow the system (prefers-color-scheme) until the user picks
 * one with the toggle; the pick is persisted.
 */
export type ThemeChoice = 'system' | 'light' | 'dark';
export type EffectiveTheme = 'light' | 'dark';

export function parseThemeChoice(stored: string | null): ThemeChoice {
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

export function effectiveTheme(choice: ThemeChoice, systemPrefersDark: boolean): EffectiveTheme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** The toggle flips what the user currently sees. */
export function toggledTheme(current: EffectiveTheme): EffectiveTheme {
  return current === 'dark' ? 'light' : 'dark';
}
