/**
 * An in-process CliIo for command tests: output is captured in `out`/`err`;
 * `files` are served before the disk, and relative paths on disk resolve
 * against the repository root so tests do not depend on the working directory.
 */
import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../io.ts';

export interface FakeIo extends CliIo {
  out: string;
  err: string;
}

export interface FakeIoOptions {
  stdin?: string;
  files?: Record<string, string | Uint8Array>;
  /** false: only `files` exist, everything else is ENOENT */
  disk?: boolean;
}

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function fakeIo({ stdin = '', files = {}, disk = true }: FakeIoOptions = {}): FakeIo {
  const io: FakeIo = {
    out: '',
    err: '',
    stdout: (t) => void (io.out += t),
    stderr: (t) => void (io.err += t),
    readStdin: async () => stdin,
    readFile: async (p) => {
      if (p in files) {
        const f = files[p];
        return typeof f === 'string' ? new TextEncoder().encode(f) : f;
      }
      if (!disk) throw new Error(`ENOENT: ${p}`);
      return new Uint8Array(await readFile(isAbsolute(p) ? p : `${ROOT}${p}`));
    },
  };
  return io;
}
