/**
 * .BTF.ext parser: func_info, line_info and CO-RE relocation records, grouped
 * by the ELF section they describe. Offsets stay as in the file (bytes from
 * the start of that section); the linker turns them into instruction indices.
 */
import { ByteView, utf8 } from '../elf/bytes.ts';
import { fail, step } from '../elf/errors.ts';

export interface FuncInfoRaw { insnOff: number; typeId: number }
export interface LineInfoRaw { insnOff: number; file: string; text: string; line: number; column: number }
export interface CoreReloRaw { insnOff: number; typeId: number; access: string; kind: number }

export interface BtfExt {
  funcInfo: Map<string, FuncInfoRaw[]>;
  lineInfo: Map<string, LineInfoRaw[]>;
  coreRelos: Map<string, CoreReloRaw[]>;
}

const MAX_RECORDS = 4_000_000;

export function parseBtfExt(bytes: Uint8Array, strings: ByteView): BtfExt {
  const v = new ByteView(bytes);
  const magic = v.u16(0, 'BTF.ext magic');
  if (magic !== 0xeb9f) fail(`bad BTF.ext magic 0x${magic.toString(16)}`);
  const version = v.u8(2, 'BTF.ext version');
  if (version !== 1) fail(`unsupported BTF.ext version ${version}`);
  const hdrLen = v.u32(4, 'BTF.ext header length');
  if (hdrLen < 24) fail(`BTF.ext header length ${hdrLen} is shorter than 24`);
  v.need(0, hdrLen, 'BTF.ext header');
  const str = (off: number, what: string): string => strings.cstring(off, what);
  const sub = (offField: number, name: string): ByteView | null => {
    const off = v.u32(offField, `${name} offset`);
    const len = v.u32(offField + 4, `${name} length`);
    return len === 0 ? null : new ByteView(v.slice(hdrLen + off, len, name));
  };
  const funcInfo = step('func_info', () =>
    records(sub(8, 'func_info'), 8, str, (r, at) => ({ insnOff: r.u32(at, 'func_info'), typeId: r.u32(at + 4, 'func_info') })));
  const lineInfo = step('line_info', () =>
    records(sub(16, 'line_info'), 16, str, (r, at) => {
      const lineCol = r.u32(at + 12, 'line_info');
      return {
        insnOff: r.u32(at, 'line_info'),
        file: str(r.u32(at + 4, 'line_info'), 'line_info file name'),
        // source text may hold UTF-8 (comments, string literals)
        text: strings.cstring(r.u32(at + 8, 'line_info'), 'line_info source line', utf8),
        line: lineCol >>> 10,
        column: lineCol & 0x3ff,
      };
    }));
  const coreRelos = hdrLen >= 32
    ? step('CO-RE relocations', () =>
      records(sub(24, 'core_relo'), 16, str, (r, at) => ({
        insnOff: r.u32(at, 'core_relo'),
        typeId: r.u32(at + 4, 'core_relo'),
        access: str(r.u32(at + 8, 'core_relo'), 'core_relo access string'),
        kind: r.u32(at + 12, 'core_relo'),
      })))
    : new Map<string, CoreReloRaw[]>();
  return { funcInfo, lineInfo, coreRelos };
}

/**
 * One info subsection: u32 record size, then per ELF section
 * { sec_name_off, num_info, records[num_info] }. Records may be larger than we
 * know (newer producers append fields), never smaller.
 */
function records<T>(
  v: ByteView | null,
  minSize: number,
  str: (off: number, what: string) => string,
  read: (r: ByteView, at: number) => T,
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  if (!v) return out;
  const recSize = v.u32(0, 'record size');
  if (recSize < minSize || recSize % 4 !== 0) fail(`record size ${recSize} is invalid (at least ${minSize}, multiple of 4)`);
  let at = 4;
  let total = 0;
  while (at < v.length) {
    const secName = str(v.u32(at, 'section name'), 'section name');
    const n = v.u32(at + 4, `record count for ${secName}`);
    at += 8;
    total += n;
    if (total > MAX_RECORDS) fail(`more than ${MAX_RECORDS} records`);
    v.need(at, n * recSize, `${n} records for ${secName}`);
    const list = out.get(secName) ?? [];
    for (let i = 0; i < n; i++, at += recSize) list.push(read(v, at));
    out.set(secName, list);
  }
  return out;
}
