/**
 * Versioned localStorage keys. A future format change bumps the version in the
 * key (bpfiddle:v2:...) and migrates, instead of misreading old data.
 */
export const STORAGE_VERSION = 'v1';

export type PersistedKey = 'source' | 'theme' | 'layout' | 'packets' | 'seeds';

export function storageKey(key: PersistedKey): string {
  return `bpfiddle:${STORAGE_VERSION}:${key}`;
}

/** The subset of Storage we use, so tests can pass a Map-backed fake. */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** localStorage, or nothing when the browser refuses it (private mode, disabled storage). */
export function browserStore(): KeyValueStore | null {
  try {
    const s = globalThis.localStorage;
    return s ?? null;
  } catch {
    return null;
  }
}

export function readPersisted(store: KeyValueStore | null, key: PersistedKey): string | null {
  try {
    return store?.getItem(storageKey(key)) ?? null;
  } catch {
    return null;
  }
}

/** Writes are best effort: a full or disabled storage must not break editing. */
export function writePersisted(store: KeyValueStore | null, key: PersistedKey, value: string): void {
  try {
    store?.setItem(storageKey(key), value);
  } catch {
    // quota exceeded or storage disabled: the buffer just won't survive a reload
  }
}
