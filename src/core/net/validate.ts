/**
 * Field checks for the builder. Each returns an error message naming the
 * field as the user sees it ("tcp sport 70000 is out of range 0..65535"),
 * or null when the value is fine. Specs may come from share links or old
 * saved state, so values are checked at run time, not trusted from types.
 */
import { parseIpv4, parseIpv6, parseMac } from './addr.ts';

export function checkInt(name: string, value: unknown, min: number, max: number): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return `${name} ${describe(value)} is not an integer`;
  }
  if (value < min || value > max) return `${name} ${value} is out of range ${min}..${max}`;
  return null;
}

/** Checks an optional integer field, returning [value or fallback, error]. */
export function intOr(name: string, value: unknown, fallback: number, min: number, max: number): [number, string | null] {
  if (value === undefined) return [fallback, null];
  const err = checkInt(name, value, min, max);
  return [err ? fallback : (value as number), err];
}

export function checkBytes(name: string, value: unknown): string | null {
  return value instanceof Uint8Array ? null : `${name} must be bytes (Uint8Array)`;
}

export function macField(name: string, value: unknown): [Uint8Array, string | null] {
  const mac = typeof value === 'string' ? parseMac(value) : null;
  return mac ? [mac, null] : [new Uint8Array(6), `${name} ${describe(value)} is not a MAC address (expected aa:bb:cc:dd:ee:ff)`];
}

export function ipv4Field(name: string, value: unknown): [Uint8Array, string | null] {
  const ip = typeof value === 'string' ? parseIpv4(value) : null;
  return ip ? [ip, null] : [new Uint8Array(4), `${name} ${describe(value)} is not an IPv4 address`];
}

export function ipv6Field(name: string, value: unknown): [Uint8Array, string | null] {
  const ip = typeof value === 'string' ? parseIpv6(value) : null;
  return ip ? [ip, null] : [new Uint8Array(16), `${name} ${describe(value)} is not an IPv6 address`];
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return '(missing)';
  if (typeof value === 'number') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Collects the first error of a sequence of checks. */
export class Checks {
  error: string | null = null;

  add(err: string | null): void {
    if (err && !this.error) this.error = err;
  }

  /** Records the error of a [value, error] pair and returns the value. */
  take<T>(pair: [T, string | null]): T {
    this.add(pair[1]);
    return pair[0];
  }
}
