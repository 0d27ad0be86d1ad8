export * from './opcodes.ts';
export * from './insn.ts';
export * from './validate.ts';
