#!/usr/bin/env node
// End-to-end tests: build the app (unless --skip-build), then run Playwright
// against `vite preview` on a free port in Debian's Chromium (Playwright cannot
// download browsers here). Extra arguments go to `playwright test`.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Debian's Chromium, installed with apt when we are root; otherwise a clear message. */
function ensureChromium() {
  if (existsSync(CHROMIUM_PATH)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    console.error(
      `e2e: Chromium is not installed at ${CHROMIUM_PATH}.\n` +
        'Install it (sudo apt-get update && sudo apt-get install -y chromium) or set CHROMIUM_PATH, then run npm test again.',
    );
    process.exit(1);
  }
  console.log(`e2e: ${CHROMIUM_PATH} is missing; installing Debian's chromium package…`);
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      console.error(`e2e: apt-get ${args.join(' ')} failed (exit ${r.status}).`);
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`e2e: chromium was installed but ${CHROMIUM_PATH} does not exist.`);
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const args = process.argv.slice(2);
const skipBuild = args.includes('--skip-build');
const playwrightArgs = args.filter((a) => a !== '--skip-build');

ensureChromium();

if (!skipBuild || !existsSync(join(root, 'dist', 'index.html'))) {
  const build = spawnSync(bin('vite'), ['build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const port = await freePort();
console.log(`e2e: serving dist/ on http://127.0.0.1:${port}/ with ${CHROMIUM_PATH}`);
const result = spawnSync(bin('playwright'), ['test', ...playwrightArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, E2E_PORT: String(port), CHROMIUM_PATH },
});
process.exit(result.status ?? 1);
