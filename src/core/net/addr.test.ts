import { describe, expect, it } from 'vitest';
import { formatIpv4, formatIpv6, formatMac, parseIpv4, parseIpv6, parseMac } from './addr.ts';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('MAC addresses', () => {
  it('parses colon and dash forms, rejects malformed ones', () => {
    expect(parseMac('02:00:5E:10:00:0a')).toEqual(bytes(2, 0, 0x5e, 0x10, 0, 10));
    expect(parseMac('02-00-5e-10-00-0a')).toEqual(bytes(2, 0, 0x5e, 0x10, 0, 10));
    for (const bad of ['', '02:00:5e:10:00', '02:00:5e:10:00:0a:0b', '02:00:5e:10:00:xg', '020:00:5e:10:00:0a']) expect(parseMac(bad)).toBeNull();
  });
  it('formats lower case with leading zeros', () => {
    expect(formatMac(bytes(0xaa, 1, 2, 3, 4, 0xff))).toBe('aa:01:02:03:04:ff');
  });
});

describe('IPv4 addresses', () => {
  it('parses dotted quads only', () => {
    expect(parseIpv4('192.168.0.1')).toEqual(bytes(192, 168, 0, 1));
    for (const bad of ['10.0.0.300', '10.0.0', '10.0.0.1.2', '10.0.0.-1', 'a.b.c.d', '1e1.0.0.1', '']) expect(parseIpv4(bad)).toBeNull();
    expect(formatIpv4(bytes(10, 0, 0, 255))).toBe('10.0.0.255');
  });
});

describe('IPv6 addresses', () => {
  it('parses compressed, full and dotted-tail forms (RFC 4291 section 2.2 examples)', () => {
    const full = parseIpv6('2001:DB8:0:0:8:800:200C:417A');
    expect(full).toEqual(parseIpv6('2001:db8::8:800:200c:417a'));
    expect(parseIpv6('::')).toEqual(new Uint8Array(16));
    expect(parseIpv6('::1')?.[15]).toBe(1);
    expect(parseIpv6('::ffff:129.144.52.38')).toEqual(bytes(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 129, 144, 52, 38));
    expect(parseIpv6('[fe80::1]')?.[0]).toBe(0xfe);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '::1.2.3', ':', '']) expect(parseIpv6(bad)).toBeNull();
  });
  it('formats per RFC 5952', () => {
    const fmt = (s: string): string => formatIpv6(parseIpv6(s) as Uint8Array);
    expect(fmt('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    // Longest run wins; a single zero group is not compressed (RFC 5952 4.2.2, 4.2.3).
    expect(fmt('2001:db8:0:0:1:0:0:0')).toBe('2001:db8:0:0:1::');
    expect(fmt('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    // First of equal runs (RFC 5952 4.2.3).
    expect(fmt('2001:0:0:1:0:0:1:1')).toBe('2001::1:0:0:1:1');
    expect(fmt('::')).toBe('::');
    expect(fmt('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
  });
});
