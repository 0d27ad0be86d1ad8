/**
 * `npx tsx bench/verifier-ab.ts [rev|dir] [--only id,id]`: A/B timing of the
 * working tree's verifier against the one at git revision `rev` (default
 * HEAD) or in a directory holding a copy of src/core, in one process, on the
 * programs of bench/verifier.ts (the 1M-insn "limit" row only when named
 * with --only: it takes seconds per sample).
 *
 * The machine is shared and noisy, so absolute figures drift between
 * processes; here both verifiers (each bundled with esbuild, as
 * bench/verifier.ts does) are run alternately, the first of each pair
 * swapping every round, and each keeps its best sample: their ratio is the
 * figure to trust. Only warm figures: two bundles warming up in one process
 * disturb each other's early samples (the first-loaded one measured up to
 * 4x slower over its first ten runs), so compare bench/verifier.ts's "first
 * 10" column across processes instead.
 * The old tree is extracted with `git archive` into bench/.baseline/<rev>/
 * (git-ignored), as bench/ab.ts does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { ProgramSpec } from '../src/core/program.ts';
import type { VerifyOptions, VerifyResult } from '../src/core/verifier/index.ts';
import { benchPrograms } from './verifier-programs.ts';

type VerifyFn = (p: ProgramSpec, o?: VerifyOptions) => VerifyResult;

const repo = fileURLToPath(new URL('../', import.meta.url));
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',') : null;
const rev = args.find((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1)) ?? 'HEAD';
const WARM_MS = 1500;

function extract(revision: string): string {
  const sha = execFileSync('git', ['rev-parse', '--short', revision], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = fileURLToPath(new URL(`.baseline/${sha}/`, import.meta.url));
  if (!existsSync(join(dir, 'src/core/verifier/index.ts'))) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const tar = execFileSync('git', ['archive', sha, 'src/core'], { cwd: repo, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
  }
  return dir;
}

async function bundle(root: string): Promise<VerifyFn> {
  const out = join(mkdtempSync(join(tmpdir(), 'bench-verifier-ab-')), 'verifier.mjs');
  await build({ entryPoints: [join(root, 'src/core/verifier/index.ts')], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile: out, logLevel: 'error' });
  return ((await import(pathToFileURL(out).href)) as { verify: VerifyFn }).verify;
}

function timed(verify: VerifyFn, p: ProgramSpec): number {
  const t = performance.now();
  verify(p, { logLevel: 0 });
  return performance.now() - t;
}

const baseRoot = existsSync(join(resolve(rev), 'src/core/verifier/index.ts')) ? resolve(rev) : extract(rev);
const [a, b] = [await bundle(baseRoot), await bundle(repo)];
console.log(`verifier A/B: ${rev} (A) vs working tree (B), one process, Node ${process.version}; B/A < 1 means the working tree is faster`);
for (const p of benchPrograms()) {
  if (only ? !only.includes(p.id) : p.id === 'limit') continue;
  timed(a, p.program);
  timed(b, p.program);
  const best = { a: Infinity, b: Infinity };
  const started = performance.now();
  for (let i = 0; i < 10 || (performance.now() - started < WARM_MS && i < 10_000); i++) {
    // swap who goes first each round: the second run of a pair may find the caches warmer
    const [ta, tb] = i % 2 === 0 ? [timed(a, p.program), timed(b, p.program)] : (([y, x]) => [x, y])([timed(b, p.program), timed(a, p.program)]);
    best.a = Math.min(best.a, ta);
    best.b = Math.min(best.b, tb);
  }
  console.log(`  ${p.id.padEnd(10)} warm: A ${best.a.toFixed(2)} ms, B ${best.b.toFixed(2)} ms, B/A ${(best.b / best.a).toFixed(3)}`);
}
