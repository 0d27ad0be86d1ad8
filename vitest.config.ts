import { defineConfig } from 'vitest/config';

/**
 * Two projects: the core, CLI and bridge run in Node (the core must never
 * need a DOM); the React app runs in jsdom.
 */
export default defineConfig({
  test: {
    testTimeout: 60_000,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'bin/**/*.test.ts', 'workers/**/*.test.ts'],
          exclude: ['src/app/**', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'app',
          environment: 'jsdom',
          include: ['src/app/**/*.test.ts', 'src/app/**/*.test.tsx'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
