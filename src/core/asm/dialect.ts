/**
 * Which assembly dialect a source text is written in. The uBPF mnemonic
 * dialect's own detector (it knows its mnemonics) makes the call; anything
 * else is the kernel/LLVM pseudo-C syntax.
 */
import { looksLikeUbpf } from './ubpf/index.ts';
import type { Dialect } from './types.ts';

export function detectDialect(source: string): Dialect {
  return looksLikeUbpf(source) ? 'ubpf' : 'kernel';
}
