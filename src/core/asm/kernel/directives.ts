/**
 * Directives: `.prog TYPE`, `.map NAME TYPE key=K value=V entries=N [flags=F]
 * [frozen]`, `.init NAME KEY = VALUE` (a map's initial contents), `.rodata
 * NAME "text"` (a read-only string map as libbpf makes for .rodata),
 * `.license "GPL"`, `.raw HEX` (instruction bytes verbatim). Directives that
 * clang -S emits and that mean nothing here are accepted with a warning.
 */
import { Insn, insnsFromHex } from '../../isa/insn.ts';
import { MAP_TYPES, MapSpec, PROG_TYPES, ProgType, isMapType, isProgType } from '../../program.ts';
import { BPF_F_RDONLY_PROG } from '../../runtime/maps/flags.ts';
import { decodeCString } from '../c-string.ts';
import { Cursor, Span } from './cursor.ts';
import { DataLiteral, parseDataLiteral } from './data-literal.ts';

export type Directive =
  | { kind: 'prog'; progType: ProgType }
  | { kind: 'map'; map: MapSpec }
  | { kind: 'init'; init: InitDirective }
  | { kind: 'license'; license: string }
  | { kind: 'ignored'; name: string };

/** `.init NAME KEY = VALUE`; key-less maps (queue, stack, bloom_filter) take `.init NAME = VALUE`. */
export interface InitDirective {
  map: string;
  mapSpan: Span;
  key?: DataLiteral;
  value: DataLiteral;
}

const IGNORED = new Set(['.text', '.globl', '.global', '.p2align', '.align', '.type', '.size', '.file', '.section', '.addrsig', '.addrsig_sym', '.local', '.weak']);

type MapField = 'keySize' | 'valueSize' | 'maxEntries' | 'flags' | 'mapExtra';

const MAP_KEYS: Readonly<Record<string, MapField>> = {
  key: 'keySize',
  key_size: 'keySize',
  value: 'valueSize',
  value_size: 'valueSize',
  entries: 'maxEntries',
  max_entries: 'maxEntries',
  flags: 'flags',
  map_flags: 'flags',
  /** BPF_MAP_CREATE map_extra: a bloom filter's number of hash functions */
  extra: 'mapExtra',
  map_extra: 'mapExtra',
};

export function parseDirective(c: Cursor): Directive {
  const head = c.next('a directive');
  const name = head.text;
  if (IGNORED.has(name)) {
    while (!c.atEnd()) c.next('');
    return { kind: 'ignored', name };
  }
  let d: Directive;
  switch (name) {
    case '.prog':
      d = parseProg(c);
      break;
    case '.map':
      d = parseMap(c);
      break;
    case '.init':
      d = parseInit(c);
      break;
    case '.rodata':
      d = parseRodata(c);
      break;
    case '.license': {
      const t = c.peek();
      if (t?.kind !== 'str') c.fail('expected the license in quotes, like .license "GPL"', t ?? c.endSpan());
      c.next('a string');
      const text = decodeCString(t.text);
      if (!text.ok) c.fail(text.message, { col: t.col + 1 + text.offset, end: t.col + 1 + text.offset + text.length });
      d = { kind: 'license', license: new TextDecoder().decode(text.bytes) };
      break;
    }
    default:
      c.fail(`unknown directive '${name}'; expected .prog, .map, .init, .rodata, .license or .raw`, head);
  }
  c.expectEnd();
  return d;
}

function parseProg(c: Cursor): Directive {
  const t = c.expectIdent('a program type like xdp');
  if (!isProgType(t.text)) c.fail(`unknown program type '${t.text}'; expected one of ${PROG_TYPES.join(', ')}`, t);
  return { kind: 'prog', progType: t.text };
}

/** `.map counters array key=4 value=8 entries=2 flags=0 [extra=N]`, `frozen` anywhere after the type */
function parseMap(c: Cursor): Directive {
  const nameTok = c.expectIdent('a map name');
  const typeTok = c.expectIdent('a map type like array or hash');
  if (!isMapType(typeTok.text)) c.fail(`unknown map type '${typeTok.text}'; expected one of ${MAP_TYPES.join(', ')}`, typeTok);
  const fields: Partial<Record<MapField, number>> = {};
  let frozen = false;
  while (!c.atEnd()) {
    const keyTok = c.expectIdent('key=, value=, entries=, flags=, extra= or frozen');
    if (keyTok.text === 'frozen') {
      if (c.isOp('=')) c.fail("'frozen' takes no value: write just 'frozen'", c.restSpan());
      frozen = true;
      continue;
    }
    const field = MAP_KEYS[keyTok.text];
    if (!field) c.fail(`unknown map attribute '${keyTok.text}'; expected key=, value=, entries=, flags=, extra= or frozen`, keyTok);
    c.expectOp('=', `after '${keyTok.text}'`);
    const v = c.imm(`a number for ${keyTok.text}=`);
    if (v.value < 0n || v.value > 0xffffffffn) c.fail(`${keyTok.text}=${v.text} must be between 0 and 0xffffffff`, v.span);
    fields[field] = Number(v.value);
  }
  const missing = (['keySize', 'valueSize', 'maxEntries'] as const).filter((f) => fields[f] === undefined);
  if (missing.length) {
    const spell = { keySize: 'key=', valueSize: 'value=', maxEntries: 'entries=' };
    c.fail(`map '${nameTok.text}' needs ${missing.map((m) => spell[m]).join(', ')} (like: .map ${nameTok.text} ${typeTok.text} key=4 value=8 entries=1)`, nameTok);
  }
  const map: MapSpec = {
    name: nameTok.text,
    type: typeTok.text,
    keySize: fields.keySize!,
    valueSize: fields.valueSize!,
    maxEntries: fields.maxEntries!,
    flags: fields.flags ?? 0,
  };
  if (fields.mapExtra !== undefined) map.mapExtra = fields.mapExtra;
  if (frozen) map.frozen = true;
  return { kind: 'map', map };
}

/** `.init counts 0 = 5`, `.init names 1 = "eth0"`, `.init q = x"0a000001"` */
function parseInit(c: Cursor): Directive {
  const nameTok = c.expectIdent('the name of a map declared with .map');
  if (c.eatOp('=')) return { kind: 'init', init: { map: nameTok.text, mapSpan: nameTok, value: parseDataLiteral(c, 'the value') } };
  const key = parseDataLiteral(c, 'the key');
  c.expectOp('=', 'between the key and the value (like .init counts 0 = 5)');
  const value = parseDataLiteral(c, 'the value');
  return { kind: 'init', init: { map: nameTok.text, mapSpan: nameTok, key, value } };
}

/**
 * `.rodata greeting "hello"` makes what libbpf makes of a `.rodata` string:
 * a one-entry array whose value is the bytes (a string's with its NUL),
 * read-only to programs (BPF_F_RDONLY_PROG) and frozen after it is filled.
 * Only such a map can hold bpf_strncmp's and bpf_snprintf's constant strings.
 */
function parseRodata(c: Cursor): Directive {
  const nameTok = c.expectIdent('a name for the read-only data, like .rodata greeting "hello"');
  const lit = parseDataLiteral(c, 'the read-only data');
  if (lit.kind === 'number') c.fail('.rodata takes a "string" or hex bytes like x"0a000001", not a number (use .map and .init for numbers)', lit.span);
  const bytes = lit.kind === 'string' ? Uint8Array.from([...lit.bytes, 0]) : lit.bytes;
  if (bytes.length === 0) c.fail('.rodata needs at least one byte', lit.span);
  const map: MapSpec = {
    name: nameTok.text,
    type: 'array',
    keySize: 4,
    valueSize: bytes.length,
    maxEntries: 1,
    flags: BPF_F_RDONLY_PROG,
    init: [{ key: new Uint8Array(4), value: bytes }],
    frozen: true,
  };
  return { kind: 'map', map };
}

/**
 * `.raw b700000000000000` — one or more 8-byte instructions in hex. Read from
 * the line text, not tokens: hex like `1a2b` is neither a number nor a name.
 */
export const RAW_LINE = /^(\s*)\.raw\b(.*)$/;

export function parseRaw(rest: string): { ok: true; slots: Insn[] } | { ok: false; message: string } {
  if (!rest.trim()) return { ok: false, message: 'expected instruction bytes in hex after .raw, like .raw b700000000000000' };
  const dec = insnsFromHex(rest);
  if (!dec.ok) return { ok: false, message: `.raw: ${dec.error}` };
  return { ok: true, slots: dec.insns };
}
