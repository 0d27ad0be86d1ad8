// Lint enforces the layers of ../shared/DESIGN.md: imports point downward only.
import tseslint from 'typescript-eslint';

const CORE_FORBIDDEN = {
  paths: [
    { name: 'react', message: 'src/core is pure TypeScript: no React (DESIGN.md layers).' },
    { name: 'react-dom', message: 'src/core is pure TypeScript: no React (DESIGN.md layers).' },
    { name: 'react-dom/client', message: 'src/core is pure TypeScript: no React (DESIGN.md layers).' },
    { name: 'comlink', message: 'src/core knows nothing about workers; only workers/ and src/bridge use comlink.' },
    { name: 'zustand', message: 'src/core holds no UI state.' },
    { name: 'monaco-editor', message: 'src/core knows nothing about the editor.' },
  ],
  patterns: [
    { group: ['react/*', 'react-dom/*', 'monaco-editor/*', 'zustand/*'], message: 'src/core is pure TypeScript (DESIGN.md layers).' },
    { group: ['**/app/**', '**/bridge/**', '**/workers/**', '**/cli/**'], message: 'src/core may not import upper layers.' },
    { regex: '\\?(worker|sharedworker|url|raw)(&.*)?$', message: 'src/core may not use bundler worker/asset imports.' },
  ],
};

/** Globals the browser and workers have; src/core must not touch them. */
const BROWSER_GLOBALS = ['window', 'document', 'navigator', 'localStorage', 'sessionStorage', 'Worker', 'SharedWorker', 'self', 'postMessage', 'importScripts', 'HTMLElement', 'location'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', CORE_FORBIDDEN],
      'no-restricted-globals': ['error', ...BROWSER_GLOBALS.map((name) => ({ name, message: 'src/core runs in Node and in a worker: no DOM or worker globals.' }))],
    },
  },
  {
    files: ['src/app/**/*.ts', 'src/app/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'comlink', message: 'The app reaches the engine only through src/bridge.' }],
          patterns: [
            {
              group: ['**/core/engine', '**/core/engine/**', '**/core/asm/**', '**/core/interp/**', '**/core/verifier/**', '**/core/runtime/**', '**/core/jit/**', '**/core/elf/**', '**/workers/**', '**/cli/**'],
              message: 'The app reaches the engine only through src/bridge (core data such as isa/helpers and program types is fine).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/bridge/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'react', message: 'The bridge is UI-agnostic.' },
            { name: 'zustand', message: 'The bridge is UI-agnostic.' },
          ],
          patterns: [{ group: ['**/app/**'], message: 'The bridge may not import the app (imports point downward).' }],
        },
      ],
    },
  },
);
