/** BTF: type graph, BTF.ext records, CO-RE, value formatting, source lines. */
export type { Btf, BtfType, BtfKind, BtfMember } from './types.ts';
export { parseBtf, type ParsedBtf } from './parse-btf.ts';
export { parseBtfExt, type BtfExt } from './parse-btf-ext.ts';
export { formatValue, type FormatOptions } from './format-value.ts';
export { sourceLineAt, sourceLinesFor, type SourceLine, type LineRecord } from './line-info.ts';
export { sizeOf, skipModifiers, typeName, findType, typeAt } from './inspect.ts';
export { kernelBtf } from './kernel-btf.ts';
export { CORE_KINDS, POISON_HELPER, essential } from './core-relo.ts';
