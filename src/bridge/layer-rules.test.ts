/**
 * The layer rules of DESIGN.md as eslint enforces them (eslint.config.js):
 * checked on small snippets placed, virtually, in each layer.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layer rules', () => {
  it('src/core imports no React, comlink, DOM globals or bundler worker imports', async () => {
    expect(await restricted('src/core/isa/probe.ts', "import React from 'react';\nexport const x = React;\n")).toHaveLength(1);
    expect(await restricted('src/core/isa/probe.ts', "import { expose } from 'comlink';\nexport const x = expose;\n")).toHaveLength(1);
    expect(await restricted('src/core/isa/probe.ts', 'export const x = () => document.title;\n')).toHaveLength(1);
    expect(await restricted('src/core/isa/probe.ts', "import W from './w.ts?worker';\nexport const x = W;\n")).toHaveLength(1);
    expect(await restricted('src/core/isa/probe.ts', "import { App } from '../../app/App.tsx';\nexport const x = App;\n")).toHaveLength(1);
    // Node built-ins and other core modules are fine.
    expect(await restricted('src/core/isa/probe.ts', "import { readFile } from 'node:fs/promises';\nimport { HELPERS } from './helpers.ts';\nexport const x = [readFile, HELPERS];\n")).toEqual([]);
  }, 60_000);

  it('src/app reaches the engine only through src/bridge', async () => {
    expect(await restricted('src/app/probe.ts', "import { createEngine } from '../core/engine/index.ts';\nexport const x = createEngine;\n")).toHaveLength(1);
    expect(await restricted('src/app/probe.ts', "import { assemble } from '../core/asm/index.ts';\nexport const x = assemble;\n")).toHaveLength(1);
    expect(await restricted('src/app/probe.ts', "import { wrap } from 'comlink';\nexport const x = wrap;\n")).toHaveLength(1);
    expect(
      await restricted('src/app/probe.ts', "import { createBrowserEngine } from '../bridge/index.ts';\nimport { HELPERS } from '../core/isa/helpers.ts';\nexport const x = [createBrowserEngine, HELPERS];\n"),
    ).toEqual([]);
  }, 60_000);

  it('src/bridge does not reach up into the app', async () => {
    expect(await restricted('src/bridge/probe.ts', "import { App } from '../app/App.tsx';\nexport const x = App;\n")).toHaveLength(1);
  }, 60_000);
});
