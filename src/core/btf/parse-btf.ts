/**
 * .BTF section parser (header, type section, string section), defensive: every
 * record is bounds-checked and every type reference is validated, so the rest
 * of the loader can index `types` without checks of its own.
 */
import { ByteView } from '../elf/bytes.ts';
import { fail, step } from '../elf/errors.ts';
import { BTF_KINDS, type Btf, type BtfType } from './types.ts';

export const BTF_MAGIC = 0xeb9f;
const MAX_TYPES = 1_000_000;
const MAX_VLEN = 0xffff;

export interface ParsedBtf {
  btf: Btf;
  /** the string section, for BTF.ext records that point into it */
  strings: ByteView;
}

export function parseBtf(bytes: Uint8Array): ParsedBtf {
  const v = new ByteView(bytes);
  const magic = v.u16(0, 'BTF magic');
  if (magic !== BTF_MAGIC) fail(`bad BTF magic 0x${magic.toString(16)} (expected 0xeb9f; big-endian BTF is not supported)`);
  const version = v.u8(2, 'BTF version');
  if (version !== 1) fail(`unsupported BTF version ${version}`);
  const hdrLen = v.u32(4, 'BTF header length');
  if (hdrLen < 24) fail(`BTF header length ${hdrLen} is shorter than 24`);
  const typeOff = v.u32(8, 'BTF type_off');
  const typeLen = v.u32(12, 'BTF type_len');
  const strOff = v.u32(16, 'BTF str_off');
  const strLen = v.u32(20, 'BTF str_len');
  const typeBytes = v.slice(hdrLen + typeOff, typeLen, 'BTF type section');
  const strBytes = v.slice(hdrLen + strOff, strLen, 'BTF string section');
  if (strLen > 0 && strBytes[strLen - 1] !== 0) fail('BTF string section does not end with NUL');
  const strings = new ByteView(strBytes);
  const types = step('BTF types', () => readTypes(new ByteView(typeBytes), strings));
  step('BTF type references', () => checkRefs(types));
  return { btf: { types }, strings };
}

function readTypes(v: ByteView, strings: ByteView): BtfType[] {
  const types: BtfType[] = [{ kind: 'void', name: '' }];
  const str = (off: number, what: string): string => (off === 0 ? '' : strings.cstring(off, what));
  let at = 0;
  while (at < v.length) {
    const id = types.length;
    if (id > MAX_TYPES) fail(`more than ${MAX_TYPES} types`);
    const what = `type [${id}]`;
    const name = str(v.u32(at, what), `name of ${what}`);
    const info = v.u32(at + 4, what);
    const sizeOrType = v.u32(at + 8, what);
    const vlen = info & MAX_VLEN;
    const kindNo = (info >>> 24) & 0x1f;
    const kindFlag = info >>> 31 === 1;
    const kind = BTF_KINDS[kindNo];
    if (kind === undefined || kind === 'void') fail(`${what}: unknown kind ${kindNo}`);
    at += 12;
    switch (kind) {
      case 'int': {
        const enc = v.u32(at, what);
        at += 4;
        const encoding = (enc >>> 24) & 0x0f;
        types.push({ kind, name, size: sizeOrType, signed: (encoding & 1) !== 0, char: (encoding & 2) !== 0, bool: (encoding & 4) !== 0, bitOffset: (enc >>> 16) & 0xff, bits: enc & 0xff });
        break;
      }
      case 'ptr': case 'typedef': case 'volatile': case 'const': case 'restrict': case 'type_tag':
        types.push({ kind, name, type: sizeOrType });
        break;
      case 'array':
        types.push({ kind, name, elemType: v.u32(at, what), indexType: v.u32(at + 4, what), nelems: v.u32(at + 8, what) });
        at += 12;
        break;
      case 'struct': case 'union': {
        const members = [];
        for (let i = 0; i < vlen; i++, at += 12) {
          const off = v.u32(at + 8, what);
          members.push({
            name: str(v.u32(at, what), `${what} member ${i} name`),
            type: v.u32(at + 4, what),
            bitOffset: kindFlag ? off & 0xffffff : off,
            bitSize: kindFlag ? off >>> 24 : 0,
          });
        }
        types.push({ kind, name, size: sizeOrType, members });
        break;
      }
      case 'enum': {
        const values = [];
        for (let i = 0; i < vlen; i++, at += 8) {
          const raw = kindFlag ? v.i32(at + 4, what) : v.u32(at + 4, what);
          values.push({ name: str(v.u32(at, what), `${what} enumerator ${i}`), value: raw, text: String(raw) });
        }
        types.push({ kind, name, size: sizeOrType, signed: kindFlag, values });
        break;
      }
      case 'enum64': {
        const values = [];
        for (let i = 0; i < vlen; i++, at += 12) {
          const lo = BigInt(v.u32(at + 4, what));
          const hi = BigInt(v.u32(at + 8, what));
          let big = (hi << 32n) | lo;
          if (kindFlag) big = BigInt.asIntN(64, big);
          values.push({ name: str(v.u32(at, what), `${what} enumerator ${i}`), value: Number(big), text: big.toString() });
        }
        types.push({ kind, name, size: sizeOrType, signed: kindFlag, values });
        break;
      }
      case 'fwd':
        types.push({ kind, name, union: kindFlag });
        break;
      case 'func':
        types.push({ kind, name, type: sizeOrType, linkage: vlen });
        break;
      case 'func_proto': {
        const params = [];
        for (let i = 0; i < vlen; i++, at += 8) {
          params.push({ name: str(v.u32(at, what), `${what} param ${i}`), type: v.u32(at + 4, what) });
        }
        types.push({ kind, name, returnType: sizeOrType, params });
        break;
      }
      case 'var':
        types.push({ kind, name, type: sizeOrType, linkage: v.u32(at, what) });
        at += 4;
        break;
      case 'datasec': {
        const vars = [];
        for (let i = 0; i < vlen; i++, at += 12) {
          vars.push({ type: v.u32(at, what), offset: v.u32(at + 4, what), size: v.u32(at + 8, what) });
        }
        types.push({ kind, name, size: sizeOrType, vars });
        break;
      }
      case 'float':
        types.push({ kind, name, size: sizeOrType });
        break;
      case 'decl_tag':
        types.push({ kind, name, type: sizeOrType, componentIdx: v.i32(at, what) });
        at += 4;
        break;
    }
  }
  return types;
}

/** Every type id a type mentions must exist. */
function checkRefs(types: BtfType[]): void {
  const n = types.length;
  const check = (id: number, from: number, role: string): void => {
    if (id >= n) fail(`type [${from}] ${role} refers to type [${id}], but there are only ${n - 1} types`);
  };
  types.forEach((t, id) => {
    switch (t.kind) {
      case 'ptr': case 'typedef': case 'volatile': case 'const': case 'restrict': case 'type_tag':
      case 'func': case 'var': case 'decl_tag':
        check(t.type, id, t.kind);
        break;
      case 'array':
        check(t.elemType, id, 'array element');
        check(t.indexType, id, 'array index');
        break;
      case 'struct': case 'union':
        t.members.forEach((m, i) => check(m.type, id, `member ${i}`));
        break;
      case 'func_proto':
        check(t.returnType, id, 'return');
        t.params.forEach((p, i) => check(p.type, id, `param ${i}`));
        break;
      case 'datasec':
        t.vars.forEach((s, i) => check(s.type, id, `datasec var ${i}`));
        break;
      default:
        break;
    }
  });
}
