/**
 * A small builder for hand-written type graphs (the simulated kernel's BTF).
 * Member offsets are given in bytes, as pahole prints them.
 */
import type { Btf, BtfType } from './types.ts';

export class BtfBuilder {
  readonly btf: Btf = { types: [{ kind: 'void', name: '' }] };
  private readonly named = new Map<string, number>();

  add(t: BtfType): number {
    this.btf.types.push(t);
    const id = this.btf.types.length - 1;
    if (t.name && !this.named.has(t.name)) this.named.set(t.name, id);
    return id;
  }

  id(name: string): number {
    const id = this.named.get(name);
    if (id === undefined) throw new Error(`kernel BTF builder: no type ${name}`);
    return id;
  }

  int(name: string, size: number, signed: boolean, char = false): number {
    return this.add({ kind: 'int', name, size, signed, char, bool: false, bitOffset: 0, bits: size * 8 });
  }

  ptr(to: number): number {
    return this.add({ kind: 'ptr', name: '', type: to });
  }

  array(elem: number, n: number): number {
    return this.add({ kind: 'array', name: '', elemType: elem, indexType: this.id('int'), nelems: n });
  }

  /** Declare a struct now, fill its members later (for self-references). */
  struct(name: string, size: number): number {
    return this.add({ kind: 'struct', name, size, members: [] });
  }

  members(id: number, list: [name: string, type: number, byteOffset: number][]): void {
    const t = this.btf.types[id];
    if (t.kind !== 'struct' && t.kind !== 'union') throw new Error('members of a non-struct');
    t.members = list.map(([name, type, off]) => ({ name, type, bitOffset: off * 8, bitSize: 0 }));
  }
}
