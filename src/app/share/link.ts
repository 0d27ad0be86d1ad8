/**
 * Share links carry the source in the URL fragment (never sent to a server):
 * `#v1,<base64url of the UTF-8 source>`. The version prefix lets later link
 * formats (compressed, with packets and maps) stay backward compatible.
 */
const PREFIX_V1 = '#v1,';

/** Sources above this size would make links that browsers and chat apps cut off. */
export const MAX_SHARED_SOURCE_BYTES = 64 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export type ShareEncodeResult = { ok: true; fragment: string } | { ok: false; error: string };

export function encodeShareFragment(source: string): ShareEncodeResult {
  const bytes = new TextEncoder().encode(source);
  if (bytes.length > MAX_SHARED_SOURCE_BYTES) {
    return { ok: false, error: `the program is ${bytes.length} bytes; share links hold at most ${MAX_SHARED_SOURCE_BYTES}` };
  }
  return { ok: true, fragment: PREFIX_V1 + toBase64Url(bytes) };
}

export type ShareDecodeResult = { ok: true; source: string } | { ok: false; error: string } | null;

/** null when the fragment is not a share link at all. */
export function decodeShareFragment(hash: string): ShareDecodeResult {
  if (!hash.startsWith('#v')) return null;
  if (!hash.startsWith(PREFIX_V1)) return { ok: false, error: 'this share link comes from a newer or unknown version of bpfiddle' };
  const payload = hash.slice(PREFIX_V1.length);
  if (!/^[A-Za-z0-9_-]*$/.test(payload)) return { ok: false, error: 'the share link is damaged (unexpected characters)' };
  try {
    const source = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(payload));
    return { ok: true, source };
  } catch {
    return { ok: false, error: 'the share link is damaged (not valid text)' };
  }
}
