/**
 * A Monarch tokenizer for BPF assembly: the kernel/LLVM syntax
 * (`r0 = *(u32 *)(r1 + 4)`, `if r1 > 0x5 goto +2`, `call bpf_map_lookup_elem`)
 * and the uBPF mnemonic dialect (`mov %r0, 1`, `ldxw %r0, [%r1+4]`).
 * Plain data: no Monaco import at runtime, so it is cheap to test.
 */
import type { languages } from 'monaco-editor/editor/editor.api';
import { HELPERS } from '../../core/isa/helpers.ts';

export const BPF_LANGUAGE_ID = 'bpf-asm';

/** r0-r10 and their 32-bit halves w0-w10; uBPF writes them with a % prefix. */
export const REGISTER = /%?[rw](?:10|[0-9])(?![\w$])/;
export const HEX_NUMBER = /[+-]?0[xX][0-9a-fA-F]+(?![\w$])/;
export const DEC_NUMBER = /[+-]?\d+(?![\w$])/;
/** `drop:` at the start of a line */
export const LABEL_DEFINITION = /^\s*[A-Za-z_.$][\w.$]*:/;
export const DIRECTIVE = /\.(?:prog|map|init|rodata|license|raw|section|globl|type|size|text|data|maps)\b/;
/** `"text\n"` (backslash escapes; an unclosed string runs to the end of the line) and hex bytes `x"0a 00"` */
export const STRING = /x?"(?:[^"\\]|\\.)*(?:"|\\?$)/;
/** comments: `;` (uBPF, kernel logs), `//` and `#` */
export const LINE_COMMENT = /(?:;|\/\/|#).*$/;

export const KEYWORDS = ['if', 'goto', 'gotol', 'exit', 'call', 'callx', 'lock', 'll', 'may_goto', 'be16', 'be32', 'be64', 'le16', 'le32', 'le64', 'bswap16', 'bswap32', 'bswap64', 'map', 'map_value', 'frozen', 'atomic_fetch_add', 'atomic_fetch_and', 'atomic_fetch_or', 'atomic_fetch_xor', 'cmpxchg_64', 'cmpxchg32_32', 'xchg_64', 'xchg32_32', 'load_acquire', 'store_release'];

const ALU = ['add', 'sub', 'mul', 'div', 'or', 'and', 'lsh', 'rsh', 'neg', 'mod', 'xor', 'mov', 'arsh', 'sdiv', 'smod', 'movsx8', 'movsx16', 'movsx32'];
const JUMPS = ['ja', 'jeq', 'jgt', 'jge', 'jlt', 'jle', 'jset', 'jne', 'jsgt', 'jsge', 'jslt', 'jsle'];
const SIZES = ['b', 'h', 'w', 'dw'];

/** uBPF / bpf_conformance mnemonics */
export const MNEMONICS = [
  ...ALU,
  ...ALU.map((m) => `${m}32`),
  ...JUMPS,
  ...JUMPS.filter((j) => j !== 'ja').map((j) => `${j}32`),
  ...SIZES.flatMap((s) => [`ldx${s}`, `stx${s}`, `st${s}`, `ldxs${s}`]),
  'lddw',
  'be',
  'le',
];

export const SIZE_TYPES = ['u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64'];

/** Helper names as the kernel log prints them, plus the short forms (`map_lookup_elem`). */
export const HELPER_NAMES = HELPERS.filter((h) => h.id !== 0).flatMap((h) => [h.name, h.name.replace(/^bpf_/, '')]);

export const bpfLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.bpf',
  keywords: KEYWORDS,
  mnemonics: MNEMONICS,
  helpers: HELPER_NAMES,
  sizes: SIZE_TYPES,
  tokenizer: {
    root: [
      // before comments: `;` and `#` inside a string are text
      [STRING, 'string'],
      [LINE_COMMENT, 'comment'],
      [/\/\*/, 'comment', '@blockComment'],
      [LABEL_DEFINITION, 'type.identifier'],
      [DIRECTIVE, 'keyword.directive'],
      [REGISTER, 'variable.predefined'],
      [HEX_NUMBER, 'number.hex'],
      [DEC_NUMBER, 'number'],
      [
        /[A-Za-z_$][\w$]*/,
        {
          cases: {
            '@keywords': 'keyword',
            '@mnemonics': 'keyword',
            '@helpers': 'support.function',
            '@sizes': 'type',
            '@default': 'identifier',
          },
        },
      ],
      [/[()[\]]/, '@brackets'],
      [/[=<>!&|^+\-*/%]+/, 'operator'],
      [/[,:]/, 'delimiter'],
    ],
    blockComment: [
      [/[^*/]+/, 'comment'],
      [/\*\//, 'comment', '@pop'],
      [/[*/]/, 'comment'],
    ],
  },
};

export const bpfLanguageConfiguration: languages.LanguageConfiguration = {
  comments: { lineComment: ';', blockComment: ['/*', '*/'] },
  brackets: [
    ['(', ')'],
    ['[', ']'],
  ],
  autoClosingPairs: [
    { open: '(', close: ')' },
    { open: '[', close: ']' },
  ],
};
