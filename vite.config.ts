import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Initial-load budget for the app's JavaScript (gzip), Monaco's lazy chunk excluded. */
const INITIAL_JS_BUDGET_KB = 300;

interface ChunkLike {
  type: 'chunk';
  fileName: string;
  code: string;
  isEntry: boolean;
  imports: string[];
}

/**
 * Prints the gzip size of what the browser must download before the page is
 * usable: the entry chunk(s) and their static imports. Dynamic imports (Monaco)
 * and workers load later and are listed separately.
 */
function reportInitialSize(): Plugin {
  return {
    name: 'bpfiddle-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkLike>();
      for (const item of Object.values(bundle)) if (item.type === 'chunk') chunks.set(item.fileName, item as ChunkLike);
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        const chunk = chunks.get(name);
        if (!chunk) return;
        initial.add(name);
        chunk.imports.forEach(visit);
      };
      for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);
      const gz = (code: string) => gzipSync(code, { level: 9 }).length;
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
      const initialGzip = [...initial].reduce((sum, name) => sum + gz(chunks.get(name)!.code), 0);
      const lazy = [...chunks.values()].filter((c) => !initial.has(c.fileName));
      const lines = [
        `initial JavaScript (gzip): ${kb(initialGzip)} in ${initial.size} chunk(s) [budget ${INITIAL_JS_BUDGET_KB} KB${initialGzip > INITIAL_JS_BUDGET_KB * 1024 ? ' — OVER BUDGET' : ''}]`,
        ...[...initial].map((n) => `  initial  ${n}  ${kb(gz(chunks.get(n)!.code))}`),
        ...lazy.map((c) => `  lazy     ${c.fileName}  ${kb(gz(c.code))}`),
      ];
      console.log(`\n${lines.join('\n')}\n`);
    },
  };
}

export default defineConfig({
  plugins: [react(), reportInitialSize()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Monaco's lazy chunk is big by nature; the initial-size report above is the budget that matters.
    chunkSizeWarningLimit: 4096,
    // Timing advice about Vite's own worker plugin is noise in every build log.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: { host: '127.0.0.1' },
});
