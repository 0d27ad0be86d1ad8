#!/usr/bin/env node
// npm start: build the app when dist/ is missing or older than its sources,
// then serve the production build on http://127.0.0.1:$PORT (default 4173).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vite = join(root, 'node_modules', '.bin', 'vite');
const port = process.env.PORT ?? '4173';

if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
  console.error(`npm start: PORT must be a TCP port number (1-65535), not '${port}'`);
  process.exit(2);
}

/** The newest modification time under the given paths (files or directories). */
function newestMtime(paths) {
  let newest = 0;
  const visit = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== 'node_modules' && !entry.endsWith('.test.ts') && !entry.endsWith('.test.tsx')) visit(join(p, entry));
    } else {
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  paths.forEach((p) => visit(join(root, p)));
  return newest;
}

const builtAt = existsSync(join(root, 'dist', 'index.html')) ? statSync(join(root, 'dist', 'index.html')).mtimeMs : 0;
const sourcesAt = newestMtime(['src', 'workers', 'public', 'index.html', 'vite.config.ts', 'package.json', 'package-lock.json']);

if (builtAt < sourcesAt) {
  console.log(builtAt === 0 ? 'Building the app (no dist/ yet)…' : 'Sources changed since the last build; rebuilding…');
  const build = spawnSync(vite, ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('npm start: the build failed (see above).');
    process.exit(build.status ?? 1);
  }
} else {
  console.log('dist/ is up to date.');
}

const server = spawn(vite, ['preview', '--host', '127.0.0.1', '--port', port, '--strictPort'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let announced = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  if (!announced && chunk.toString().includes(`:${port}`)) {
    announced = true;
    console.log(`\nbpfiddle is running at http://127.0.0.1:${port}/  (Ctrl+C to stop)\n`);
  }
});
const stop = () => server.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
