/**
 * The packet builder's form: flat text fields as the user types them, turned
 * into the packet library's PacketSpec. Numbers are checked here so the form
 * can say which field is wrong; addresses are checked by the builder.
 */
import { buildPacket, toHex, type L4Spec, type PacketSpec, type TcpFlag } from '../../core/net/index.ts';

export interface BuilderForm {
  ethSrc: string;
  ethDst: string;
  /** '' for no VLAN tag */
  vlanId: string;
  ipVersion: '4' | '6';
  ipSrc: string;
  ipDst: string;
  ttl: string;
  l4: 'tcp' | 'udp' | 'icmp' | 'none';
  sport: string;
  dport: string;
  tcpFlags: TcpFlag[];
  icmpType: string;
  icmpCode: string;
  /** payload as text (UTF-8) */
  payload: string;
}

export const DEFAULT_FORM: BuilderForm = {
  ethSrc: '02:00:00:00:00:01',
  ethDst: '02:00:00:00:00:02',
  vlanId: '',
  ipVersion: '4',
  ipSrc: '10.0.0.1',
  ipDst: '10.0.0.2',
  ttl: '64',
  l4: 'udp',
  sport: '1234',
  dport: '53',
  tcpFlags: ['SYN'],
  icmpType: '8',
  icmpCode: '0',
  payload: 'hello',
};

function int(text: string, name: string, max: number): number | string {
  const t = text.trim();
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) return `${name}: '${text}' is not a whole number`;
  const n = Number(t);
  if (n > max) return `${name}: ${n} is above ${max}`;
  return n;
}

export function formToSpec(f: BuilderForm): { ok: true; spec: PacketSpec } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  const ttl = int(f.ttl, f.ipVersion === '4' ? 'TTL' : 'Hop limit', 255);
  if (typeof ttl === 'string') return fail(ttl);
  let vlan: PacketSpec['vlan'];
  if (f.vlanId.trim() !== '') {
    const id = int(f.vlanId, 'VLAN id', 4095);
    if (typeof id === 'string') return fail(id);
    vlan = [{ id }];
  }
  let l4: L4Spec | undefined;
  if (f.l4 === 'tcp' || f.l4 === 'udp') {
    const sport = int(f.sport, 'Source port', 65535);
    if (typeof sport === 'string') return fail(sport);
    const dport = int(f.dport, 'Destination port', 65535);
    if (typeof dport === 'string') return fail(dport);
    l4 = f.l4 === 'tcp' ? { kind: 'tcp', sport, dport, flags: f.tcpFlags } : { kind: 'udp', sport, dport };
  } else if (f.l4 === 'icmp') {
    const type = int(f.icmpType, 'ICMP type', 255);
    if (typeof type === 'string') return fail(type);
    const code = int(f.icmpCode, 'ICMP code', 255);
    if (typeof code === 'string') return fail(code);
    l4 = f.ipVersion === '4' ? { kind: 'icmp', type, code, id: 1, seq: 1 } : { kind: 'icmpv6', type, code, id: 1, seq: 1 };
  }
  const ip: PacketSpec['ip'] = f.ipVersion === '4' ? { version: 4, src: f.ipSrc.trim(), dst: f.ipDst.trim(), ttl } : { version: 6, src: f.ipSrc.trim(), dst: f.ipDst.trim(), hopLimit: ttl };
  return {
    ok: true,
    spec: { eth: { src: f.ethSrc.trim(), dst: f.ethDst.trim() }, ...(vlan && { vlan }), ip, ...(l4 && { l4 }), ...(f.payload !== '' && { payload: f.payload }) },
  };
}

/** The frame as hex, with a label in the style of a packet list. */
export function buildFromForm(f: BuilderForm): { ok: true; hex: string; label: string } | { ok: false; error: string } {
  const spec = formToSpec(f);
  if (!spec.ok) return spec;
  const built = buildPacket(spec.spec);
  if (!built.ok) return built;
  const l4 = f.l4 === 'none' ? '' : f.l4 === 'icmp' ? ` / ICMP ${f.icmpType}` : ` / ${f.l4.toUpperCase()} ${f.sport.trim()} → ${f.dport.trim()}`;
  const vlan = f.vlanId.trim() !== '' ? `VLAN ${f.vlanId.trim()} / ` : '';
  return { ok: true, hex: toHex(built.value), label: `${vlan}IPv${f.ipVersion} ${f.ipSrc.trim()} → ${f.ipDst.trim()}${l4}` };
}
