/**
 * Share links live in the URL fragment (never sent to a server).
 *
 * - v1 (first release): `#v1,<base64url of the UTF-8 source>`.
 * - v2: `#v2,<base64url of deflate-raw(JSON)>` where the JSON is a SharedState:
 *   the source, the packets, the map seeds, the run budget and, within a size
 *   limit, an uploaded ELF object with the program picked from it.
 *
 * Old versions keep decoding forever (golden tests hold the formats). A link
 * is untrusted input: every field is checked, sizes are limited before and
 * after inflating, and nothing in it is ever interpreted as HTML.
 */
import { deflateSync, Inflate } from 'fflate';
import type { MapSeed } from '../../bridge/index.ts';
import { parsePacketList } from '../state/packets.ts';
import { parseSeeds } from '../state/seeds.ts';

const PREFIX_V1 = '#v1,';
const PREFIX_V2 = '#v2,';

/** Sources above this size would make links that browsers and chat apps cut off. */
export const MAX_SHARED_SOURCE_BYTES = 64 * 1024;
/** Objects above this size are left out of links (the link says so). */
export const MAX_SHARED_OBJECT_BYTES = 48 * 1024;
/** The longest fragment we write or read (about what every browser keeps intact). */
export const MAX_LINK_CHARS = 128 * 1024;
/** Inflating stops here: a small link must not expand into a memory bomb. */
const MAX_INFLATED_BYTES = 1024 * 1024;

export interface SharedObject {
  fileName: string;
  bytes: Uint8Array;
  program: string;
}

export interface SharedState {
  source: string;
  /** absent in v1 links: keep the visitor's packets */
  packets?: { label: string; hex: string }[];
  seeds?: MapSeed[];
  budget?: number;
  object?: SharedObject;
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export type ShareEncodeResult = { ok: true; fragment: string; notes: string[] } | { ok: false; error: string };

export function encodeShareState(state: SharedState): ShareEncodeResult {
  const sourceBytes = new TextEncoder().encode(state.source).length;
  if (sourceBytes > MAX_SHARED_SOURCE_BYTES) {
    return { ok: false, error: `the program is ${sourceBytes} bytes; share links hold at most ${MAX_SHARED_SOURCE_BYTES}` };
  }
  const notes: string[] = [];
  const json: Record<string, unknown> = { v: 2, source: state.source };
  if (state.packets) json.packets = state.packets.map(({ label, hex }) => ({ label, hex }));
  if (state.seeds && state.seeds.length > 0) json.seeds = state.seeds;
  if (state.budget !== undefined) json.budget = state.budget;
  if (state.object) {
    if (state.object.bytes.length <= MAX_SHARED_OBJECT_BYTES) {
      json.object = { fileName: state.object.fileName, program: state.object.program, b64: toBase64Url(state.object.bytes) };
    } else {
      notes.push(`${state.object.fileName} is ${state.object.bytes.length} bytes, more than the ${MAX_SHARED_OBJECT_BYTES} a link carries; the link holds the assembly buffer instead`);
    }
  }
  const packed = deflateSync(new TextEncoder().encode(JSON.stringify(json)), { level: 9 });
  const fragment = PREFIX_V2 + toBase64Url(packed);
  if (fragment.length > MAX_LINK_CHARS) {
    return { ok: false, error: `the link would be ${fragment.length} characters; the limit is ${MAX_LINK_CHARS} (remove some packets, or share a smaller object)` };
  }
  return { ok: true, fragment, notes };
}

/** The v1 encoder, kept so tests can make links exactly as the first release did. */
export function encodeShareFragmentV1(source: string): string {
  return PREFIX_V1 + toBase64Url(new TextEncoder().encode(source));
}

export type ShareDecodeResult = { ok: true; state: SharedState } | { ok: false; error: string } | null;

/** null when the fragment is not a share link at all. */
export function decodeShareFragment(hash: string): ShareDecodeResult {
  if (!/^#v\d/.test(hash)) return null;
  if (hash.length > MAX_LINK_CHARS) return { ok: false, error: `the share link is ${hash.length} characters, more than bpfiddle reads (${MAX_LINK_CHARS})` };
  const version = hash.startsWith(PREFIX_V1) ? 1 : hash.startsWith(PREFIX_V2) ? 2 : null;
  if (version === null) return { ok: false, error: 'this share link comes from a newer or unknown version of bpfiddle' };
  const payload = hash.slice(4);
  if (!/^[A-Za-z0-9_-]*$/.test(payload)) return { ok: false, error: 'the share link is damaged (unexpected characters)' };
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(payload);
  } catch {
    return { ok: false, error: 'the share link is damaged (bad base64)' };
  }
  if (version === 1) {
    const source = utf8(bytes);
    return source === null ? { ok: false, error: 'the share link is damaged (not valid text)' } : { ok: true, state: { source } };
  }
  const inflated = inflateLimited(bytes);
  if (typeof inflated === 'string') return { ok: false, error: inflated };
  const text = utf8(inflated);
  if (text === null) return { ok: false, error: 'the share link is damaged (not valid text)' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'the share link is damaged (not valid JSON)' };
  }
  return readStateV2(value);
}

function utf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

function inflateLimited(bytes: Uint8Array): Uint8Array | string {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  try {
    const inflater = new Inflate((chunk) => {
      total += chunk.length;
      if (total > MAX_INFLATED_BYTES) {
        tooBig = true;
        throw new Error('too big');
      }
      chunks.push(chunk);
    });
    inflater.push(bytes, true);
  } catch {
    return tooBig ? `the share link expands to more than ${MAX_INFLATED_BYTES} bytes` : 'the share link is damaged (cannot decompress)';
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function readStateV2(value: unknown): ShareDecodeResult {
  const fail = (what: string): ShareDecodeResult => ({ ok: false, error: `the share link is damaged (${what})` });
  if (typeof value !== 'object' || value === null) return fail('not an object');
  const v = value as Record<string, unknown>;
  if (typeof v.source !== 'string' || v.source.length > MAX_SHARED_SOURCE_BYTES) return fail('source');
  const state: SharedState = { source: v.source };
  if (v.packets !== undefined) {
    const packets = parsePacketList(v.packets);
    if (!packets) return fail('packets');
    state.packets = packets.map(({ label, hex }) => ({ label, hex }));
  }
  if (v.seeds !== undefined) {
    const seeds = parseSeeds(v.seeds);
    if (!seeds) return fail('map seeds');
    state.seeds = seeds;
  }
  if (v.budget !== undefined) {
    if (typeof v.budget !== 'number' || !Number.isSafeInteger(v.budget) || v.budget < 1) return fail('budget');
    state.budget = v.budget;
  }
  if (v.object !== undefined) {
    const o = v.object as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.fileName !== 'string' || typeof o.program !== 'string' || typeof o.b64 !== 'string' || !/^[A-Za-z0-9_-]*$/.test(o.b64)) return fail('object');
    const bytes = fromBase64Url(o.b64);
    if (bytes.length > MAX_SHARED_OBJECT_BYTES) return fail('object too large');
    state.object = { fileName: o.fileName.slice(0, 128), program: o.program.slice(0, 128), bytes };
  }
  return { ok: true, state };
}
