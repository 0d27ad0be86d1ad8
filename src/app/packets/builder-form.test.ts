import { describe, expect, it } from 'vitest';
import { parsePacket, parseHexBytes } from '../../core/net/index.ts';
import { buildFromForm, DEFAULT_FORM, formToSpec } from './builder-form.ts';

describe('the packet builder form', () => {
  it('builds the default form into Ethernet / IPv4 / UDP 1234 → 53 carrying "hello"', () => {
    const r = buildFromForm(DEFAULT_FORM);
    if (!r.ok) throw new Error(r.error);
    // 14 Ethernet + 20 IPv4 + 8 UDP + 5 payload bytes
    expect(r.hex.length / 2).toBe(47);
    const bytes = parseHexBytes(r.hex);
    if (!bytes.ok) throw new Error(bytes.error);
    const decoded = parsePacket(bytes.value);
    expect(decoded.layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
    // EtherType 0x0800, protocol 17, ports 0x04d2 / 0x0035 at their standard offsets
    expect(r.hex.slice(24, 28)).toBe('0800');
    expect(r.hex.slice(46, 48)).toBe('11');
    expect(r.hex.slice(68, 76)).toBe('04d20035');
    expect(r.label).toBe('IPv4 10.0.0.1 → 10.0.0.2 / UDP 1234 → 53');
  });

  it('adds a VLAN tag and TCP flags', () => {
    const r = buildFromForm({ ...DEFAULT_FORM, vlanId: '100', l4: 'tcp', tcpFlags: ['SYN', 'ACK'] });
    if (!r.ok) throw new Error(r.error);
    expect(r.hex.slice(24, 32)).toBe('81000064'); // TPID 0x8100, VLAN id 100
    const bytes = parseHexBytes(r.hex);
    if (!bytes.ok) throw new Error(bytes.error);
    expect(parsePacket(bytes.value).layers.map((l) => l.kind)).toEqual(['ethernet', 'vlan', 'ipv4', 'tcp', 'payload']);
  });

  it('builds IPv6 with ICMPv6', () => {
    const r = formToSpec({ ...DEFAULT_FORM, ipVersion: '6', ipSrc: '2001:db8::1', ipDst: '2001:db8::2', l4: 'icmp', icmpType: '128' });
    expect(r).toMatchObject({ ok: true, spec: { ip: { version: 6, hopLimit: 64 }, l4: { kind: 'icmpv6', type: 128 } } });
  });

  it('names the field that is wrong', () => {
    expect(buildFromForm({ ...DEFAULT_FORM, dport: '70000' })).toEqual({ ok: false, error: 'Destination port: 70000 is above 65535' });
    expect(buildFromForm({ ...DEFAULT_FORM, ttl: 'x' })).toEqual({ ok: false, error: "TTL: 'x' is not a whole number" });
    const badAddr = buildFromForm({ ...DEFAULT_FORM, ipSrc: '10.0.0.300' });
    expect(badAddr.ok).toBe(false);
  });
});
