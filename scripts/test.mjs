#!/usr/bin/env node
// npm test: typecheck, lint, unit tests (core in Node, app in jsdom), build,
// then the end-to-end tests in Chromium. Stops at the first failing step, or
// with --keep-going runs them all and reports every failure at the end.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const steps = [
  { name: 'typecheck', cmd: bin('tsc'), args: ['--noEmit', '-p', 'tsconfig.json'] },
  { name: 'lint', cmd: bin('eslint'), args: ['.'] },
  { name: 'unit tests', cmd: bin('vitest'), args: ['run'] },
  { name: 'build', cmd: bin('vite'), args: ['build'] },
  { name: 'end-to-end tests', cmd: process.execPath, args: [join(root, 'scripts', 'e2e.mjs'), '--skip-build'] },
];

const keepGoing = process.argv.includes('--keep-going');
const timings = [];
const failed = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const started = Date.now();
  const r = spawnSync(step.cmd, step.args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = r.status === 0;
  timings.push(`${ok ? 'ok  ' : 'FAIL'} ${step.name.padEnd(18)} ${seconds.padStart(6)} s`);
  if (!ok) {
    failed.push(step.name);
    console.error(`\nnpm test: ${step.name} failed${r.error ? ` (${r.error.message})` : ''}.`);
    if (!keepGoing) break;
  }
}
console.log(`\n${timings.join('\n')}`);
if (failed.length > 0) {
  console.error(`npm test: failed: ${failed.join(', ')}`);
  process.exit(1);
}
console.log('npm test: all steps passed');
