/**
 * Results of the packet library. Bad user input (an address, a hex string,
 * a pcap file) is ordinary data here, so it comes back as a value and never
 * as a thrown exception that could escape to the UI or kill the worker.
 */
export type NetResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function ok<T>(value: T): NetResult<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: string): NetResult<T> {
  return { ok: false, error };
}
