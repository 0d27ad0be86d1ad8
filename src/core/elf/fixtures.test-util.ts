/** Test helpers: the committed ELF fixtures and the kernel/libbpf ground truth recorded for them. */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ELF_DIR = fileURLToPath(new URL('../../../test-data/elf/', import.meta.url));

export interface GoldenProgram {
  section: string;
  name: string;
  progType: string;
  verdict: 'accepted' | 'rejected';
  errorLine: string | null;
  insns: string | null;
}

export interface GoldenMap {
  name: string;
  type: string;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  mapExtra: number;
}

export interface GoldenObject {
  object: string;
  openError?: string;
  maps?: GoldenMap[];
  programs?: GoldenProgram[];
}

export function fixtureNames(): string[] {
  return readdirSync(ELF_DIR).filter((n) => n.endsWith('.o')).sort();
}

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(ELF_DIR + name));
}

export function fixtureSource(name: string): string[] {
  return readFileSync(ELF_DIR + 'src/' + name, 'utf8').split('\n');
}

export function golden(): GoldenObject[] {
  return (JSON.parse(readFileSync(ELF_DIR + 'kernel-results.json', 'utf8')) as { objects: GoldenObject[] }).objects;
}
