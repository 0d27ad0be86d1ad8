/**
 * One-process A/B of the verifier in two checkouts on kernel-recorded
 * bundles (fuzz-kernel.ts --save files): the time ratio new/base (each
 * verifier bundled with esbuild, runs interleaved so machine noise hits
 * both) and the processed-instruction totals of base, new and the kernel.
 *
 *   npx tsx scripts/fuzz-kernel-ab.ts BASE_ROOT NEW_ROOT FILE.jsonl [LIMIT]
 */
import { build } from 'esbuild';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [baseRoot, mainRoot, file, limitS] = process.argv.slice(2);
const limit = Number(limitS ?? '1e9');
async function load(root: string) {
  const out = join(mkdtempSync(join(tmpdir(), 'abv-')), 'v.mjs');
  await build({ entryPoints: [`${root}/src/core/verifier/index.ts`], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile: out, logLevel: 'error' });
  const insn = join(mkdtempSync(join(tmpdir(), 'abv-')), 'i.mjs');
  await build({ entryPoints: [`${root}/src/core/isa/insn.ts`], bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', outfile: insn, logLevel: 'error' });
  return { v: (await import(pathToFileURL(out).href)).verify, i: (await import(pathToFileURL(insn).href)).insnsFromHex };
}
const A = await load(baseRoot);
const B = await load(mainRoot);
const rows = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).slice(0, limit);
let ta = 0, tb = 0, pa = 0, pb = 0, pk = 0;
for (const r of rows) {
  const d = A.i(r.bundle.insns);
  const spec = { name: 'x', progType: r.bundle.progType, insns: d.insns, maps: r.bundle.maps, license: 'GPL' };
  for (let rep = 0; rep < 2; rep++) {
    let t = performance.now(); const ra = A.v(spec, { logLevel: 0 }); ta += performance.now() - t;
    t = performance.now(); const rb = B.v(spec, { logLevel: 0 }); tb += performance.now() - t;
    if (rep === 0) { pa += ra.stats.processedInsns; pb += rb.stats.processedInsns; pk += r.kernel.processedInsns ?? 0; }
  }
}
console.log(`${rows.length} programs: time new/base ${(tb / ta).toFixed(3)} (base ${ta.toFixed(0)} ms, new ${tb.toFixed(0)} ms); processed base ${pa} new ${pb} kernel ${pk}`);
