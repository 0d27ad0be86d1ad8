/**
 * Tells the uBPF mnemonic dialect (`mov32 %r0, 0`, `ja +1`) from the
 * kernel/LLVM pseudo-C syntax (`w0 = 0`, `goto +1`) by counting the lines
 * that can only belong to one of them. `exit` and `call N` are shared and
 * count for neither.
 */
import { lookupMnemonic } from './mnemonics.ts';

const SHARED = new Set(['exit', 'call']);

export function looksLikeUbpf(source: string): boolean {
  let ubpf = 0;
  let kernel = 0;
  for (const raw of source.split(/\r\n|\r|\n/)) {
    // `#` comments belong to both dialects; `//` and `;` only to the kernel one.
    const line = raw.replace(/#.*$/, '').replace(/\/\/.*$/, '').replace(/;.*$/, '').trim();
    if (line === '' || line.startsWith('.')) continue;
    const body = line.replace(/^([A-Za-z_.$][\w.$]*\s*:\s*)+/, '');
    if (body === '') continue;
    if (/%r\d/.test(body)) {
      ubpf++;
      continue;
    }
    if (/=|\bgoto\b|^if\b|\*\s*\(/.test(body)) {
      kernel++;
      continue;
    }
    const word = /^\S+/.exec(body)?.[0].toLowerCase() ?? '';
    if (!SHARED.has(word) && lookupMnemonic(word)) ubpf++;
  }
  return ubpf > kernel;
}
