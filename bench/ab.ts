/**
 * `npx tsx bench/ab.ts [rev|dir] [rounds]`: A/B timing of the working tree's
 * interpreter against the one at git revision `rev` (default HEAD) or in a
 * directory holding a copy of src/core (give it a tsconfig.json, see below),
 * in one process. The machine is shared and noisy, so absolute figures drift from
 * run to run; here both variants are sampled alternately (A, B, A, B, ...)
 * and each keeps its best sample, which makes their ratio the reliable
 * figure. The old tree is extracted with `git archive` into
 * bench/.baseline/<rev>/ (git-ignored) and imported from there.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadKit, sample, workloads, type Workload } from './workloads.ts';

const rev = process.argv[2] ?? 'HEAD';
const rounds = Number(process.argv[3] ?? 10);
const repo = fileURLToPath(new URL('../', import.meta.url));

function extract(revision: string): URL {
  const sha = execFileSync('git', ['rev-parse', '--short', revision], { cwd: repo, encoding: 'utf8' }).trim();
  const dir = new URL(`.baseline/${sha}/`, import.meta.url);
  const path = fileURLToPath(dir);
  if (!existsSync(new URL('tsconfig.json', dir))) {
    rmSync(path, { recursive: true, force: true });
    mkdirSync(path, { recursive: true });
    const tar = execFileSync('git', ['archive', sha, 'src/core'], { cwd: repo, maxBuffer: 1 << 28 });
    execFileSync('tar', ['-x', '-C', path], { input: tar });
    // tsx compiles files no tsconfig covers differently, and that code ran
    // ~3x slower here (a dot directory falls outside the root's "include"),
    // so the snapshot gets the root's compiler options.
    const root = JSON.parse(readFileSync(new URL('tsconfig.json', `file://${repo}`), 'utf8')) as { compilerOptions: unknown };
    writeFileSync(new URL('tsconfig.json', dir), JSON.stringify({ compilerOptions: root.compilerOptions, include: ['src'] }, null, 2));
  }
  return dir;
}

/** `rev` may also be a directory holding an src/core tree (e.g. a copy taken before an experiment). */
const baseline = existsSync(new URL('src/core/interp/vm.ts', `file://${process.cwd()}/${rev}/`)) ? new URL(`file://${process.cwd()}/${rev}/`) : extract(rev);
const [oldKit, newKit] = await Promise.all([loadKit(baseline), loadKit(new URL('../', import.meta.url))]);
const pairs: [Workload, Workload][] = [];
const oldWork = workloads(oldKit);
const newWork = workloads(newKit);
for (let i = 0; i < oldWork.length; i++) pairs.push([oldWork[i], newWork[i]]);

console.log(`A/B: ${rev} (A) vs working tree (B), ${rounds} alternating rounds, Node ${process.version}`);
for (const [a, b] of pairs) {
  const warm = Math.max(3, a.runsPerSample);
  for (let i = 0; i < warm; i++) {
    a.once();
    b.once();
  }
  let bestA = Infinity;
  let bestB = Infinity;
  let insns = 0;
  for (let r = 0; r < rounds; r++) {
    bestA = Math.min(bestA, sample(a, () => {}));
    bestB = Math.min(bestB, sample(b, (n) => (insns = n)));
  }
  const unit = a.key === 'alu' ? 'ns/insn' : 'ns/run';
  const scale = a.key === 'alu' ? 1 / insns : 1;
  const fa = (bestA * scale).toFixed(2);
  const fb = (bestB * scale).toFixed(2);
  console.log(`  ${a.key.padEnd(8)} A ${fa} ${unit}   B ${fb} ${unit}   B/A ${(bestB / bestA).toFixed(3)}`);
}
