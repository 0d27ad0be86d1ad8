/**
 * Loader errors. Inside the loader, failures throw a LoadError; the public
 * entry points catch everything and return `{ ok: false, error }`, so no
 * exception ever reaches the user. `step` prefixes the message with the step
 * that failed ("read section headers: ..."), nesting like cilium/ebpf's
 * wrapped errors.
 */
export class LoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoadError';
  }
}

export function fail(message: string): never {
  throw new LoadError(message);
}

/** Run `fn`; if it throws, rethrow as a LoadError prefixed with `name: `. */
export function step<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new LoadError(`${name}: ${describeError(e)}`);
  }
}

/** The message of anything thrown; unexpected JS errors keep their kind for debugging. */
export function describeError(e: unknown): string {
  if (e instanceof LoadError) return e.message;
  if (e instanceof Error) return `internal error (${e.name}: ${e.message})`;
  return `internal error (${String(e)})`;
}
