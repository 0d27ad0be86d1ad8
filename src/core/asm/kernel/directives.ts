/**
 * Directives: `.prog TYPE`, `.map NAME TYPE key=K value=V entries=N [flags=F]`,
 * `.license "GPL"`, `.raw HEX` (instruction bytes verbatim). Directives that
 * clang -S emits and that mean nothing here are accepted with a warning.
 */
import { Insn, insnsFromHex } from '../../isa/insn.ts';
import { MAP_TYPES, MapSpec, PROG_TYPES, ProgType, isMapType, isProgType } from '../../program.ts';
import { Cursor } from './cursor.ts';

export type Directive =
  | { kind: 'prog'; progType: ProgType }
  | { kind: 'map'; map: MapSpec }
  | { kind: 'license'; license: string }
  | { kind: 'ignored'; name: string };

const IGNORED = new Set(['.text', '.globl', '.global', '.p2align', '.align', '.type', '.size', '.file', '.section', '.addrsig', '.addrsig_sym', '.local', '.weak']);

const MAP_KEYS: Readonly<Record<string, 'keySize' | 'valueSize' | 'maxEntries' | 'flags'>> = {
  key: 'keySize',
  key_size: 'keySize',
  value: 'valueSize',
  value_size: 'valueSize',
  entries: 'maxEntries',
  max_entries: 'maxEntries',
  flags: 'flags',
  map_flags: 'flags',
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
    case '.license': {
      const t = c.peek();
      if (t?.kind !== 'str') c.fail('expected the license in quotes, like .license "GPL"', t ?? c.endSpan());
      c.next('a string');
      d = { kind: 'license', license: t.text };
      break;
    }
    default:
      c.fail(`unknown directive '${name}'; expected .prog, .map, .license or .raw`, head);
  }
  c.expectEnd();
  return d;
}

function parseProg(c: Cursor): Directive {
  const t = c.expectIdent('a program type like xdp');
  if (!isProgType(t.text)) c.fail(`unknown program type '${t.text}'; expected one of ${PROG_TYPES.join(', ')}`, t);
  return { kind: 'prog', progType: t.text };
}

/** `.map counters array key=4 value=8 entries=2 flags=0` */
function parseMap(c: Cursor): Directive {
  const nameTok = c.expectIdent('a map name');
  const typeTok = c.expectIdent('a map type like array or hash');
  if (!isMapType(typeTok.text)) c.fail(`unknown map type '${typeTok.text}'; expected one of ${MAP_TYPES.join(', ')}`, typeTok);
  const fields: Partial<Record<'keySize' | 'valueSize' | 'maxEntries' | 'flags', number>> = {};
  while (!c.atEnd()) {
    const keyTok = c.expectIdent('key=, value=, entries= or flags=');
    const field = MAP_KEYS[keyTok.text];
    if (!field) c.fail(`unknown map attribute '${keyTok.text}'; expected key=, value=, entries= or flags=`, keyTok);
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
  return {
    kind: 'map',
    map: {
      name: nameTok.text,
      type: typeTok.text,
      keySize: fields.keySize!,
      valueSize: fields.valueSize!,
      maxEntries: fields.maxEntries!,
      flags: fields.flags ?? 0,
    },
  };
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
