import { describe, expect, it } from 'vitest';
import { DEFAULT_EXAMPLE_ID, EXAMPLE_PACKETS, buildExample } from './defaults.ts';
import { parsePacket } from './parse.ts';

describe('example packets', () => {
  it.each(EXAMPLE_PACKETS.map((e) => [e.id] as const))('%s builds and decodes without problems', (id) => {
    const r = buildExample(id);
    if (!r.ok) throw new Error(r.error);
    const p = parsePacket(r.value);
    expect(p.problems).toEqual([]);
    for (const l of p.layers) if (l.checksum) expect(l.checksum.status).toBe('correct');
  });

  it('the default is a 64-byte Ethernet/IPv4/UDP frame', () => {
    const r = buildExample(DEFAULT_EXAMPLE_ID);
    expect(r.ok && r.value.length).toBe(64);
    expect(r.ok && parsePacket(r.value).layers.map((l) => l.kind)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
  });

  it('covers the layer mixes the panel offers', () => {
    const kinds = EXAMPLE_PACKETS.map((e) => {
      const r = buildExample(e.id);
      return r.ok ? parsePacket(r.value).layers.map((l) => l.kind).join('/') : r.error;
    });
    expect(kinds).toEqual([
      'ethernet/ipv4/udp/payload',
      'ethernet/ipv4/udp/payload',
      'ethernet/ipv4/tcp',
      'ethernet/ipv6/udp/payload',
      'ethernet/arp',
      'ethernet/vlan/ipv4/icmp/payload',
    ]);
  });

  it('names an unknown example', () => {
    expect(buildExample('nope')).toEqual({ ok: false, error: "no example packet named 'nope'" });
  });
});
