/** The packet builder: Ethernet, VLAN, IPv4/IPv6, TCP/UDP/ICMP fields and a payload. */
import { useState, type FormEvent } from 'react';
import { TCP_FLAGS, type TcpFlag } from '../../core/net/index.ts';
import { buildFromForm, DEFAULT_FORM, type BuilderForm } from '../packets/builder-form.ts';

export function PacketBuilder({ onBuilt }: { onBuilt(p: { label: string; hex: string }): void }) {
  const [form, setForm] = useState<BuilderForm>(DEFAULT_FORM);
  const [error, setError] = useState<string | null>(null);
  const set = (patch: Partial<BuilderForm>) => setForm({ ...form, ...patch });
  const text = (key: keyof BuilderForm, label: string) => (
    <label className="field">
      <span>{label}</span>
      <input value={String(form[key])} onChange={(e) => set({ [key]: e.target.value } as Partial<BuilderForm>)} />
    </label>
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const r = buildFromForm(form);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    setError(null);
    onBuilt({ label: r.label, hex: r.hex });
  };
  const toggleFlag = (f: TcpFlag) => set({ tcpFlags: form.tcpFlags.includes(f) ? form.tcpFlags.filter((x) => x !== f) : [...form.tcpFlags, f] });
  return (
    <form className="packet-builder" aria-label="Packet builder" onSubmit={submit}>
      <fieldset>
        <legend>Ethernet</legend>
        {text('ethSrc', 'Source MAC')}
        {text('ethDst', 'Destination MAC')}
        {text('vlanId', 'VLAN id (empty: none)')}
      </fieldset>
      <fieldset>
        <legend>IP</legend>
        <label className="field">
          <span>Version</span>
          <select value={form.ipVersion} onChange={(e) => set({ ipVersion: e.target.value === '6' ? '6' : '4' })}>
            <option value="4">IPv4</option>
            <option value="6">IPv6</option>
          </select>
        </label>
        {text('ipSrc', 'Source address')}
        {text('ipDst', 'Destination address')}
        {text('ttl', form.ipVersion === '4' ? 'TTL' : 'Hop limit')}
      </fieldset>
      <fieldset>
        <legend>Transport</legend>
        <label className="field">
          <span>Protocol</span>
          <select value={form.l4} onChange={(e) => set({ l4: e.target.value as BuilderForm['l4'] })}>
            <option value="udp">UDP</option>
            <option value="tcp">TCP</option>
            <option value="icmp">ICMP</option>
            <option value="none">none</option>
          </select>
        </label>
        {(form.l4 === 'tcp' || form.l4 === 'udp') && (
          <>
            {text('sport', 'Source port')}
            {text('dport', 'Destination port')}
          </>
        )}
        {form.l4 === 'tcp' && (
          <div className="flags" role="group" aria-label="TCP flags">
            {TCP_FLAGS.map((f) => (
              <label key={f}>
                <input type="checkbox" checked={form.tcpFlags.includes(f)} onChange={() => toggleFlag(f)} /> {f}
              </label>
            ))}
          </div>
        )}
        {form.l4 === 'icmp' && (
          <>
            {text('icmpType', 'Type')}
            {text('icmpCode', 'Code')}
          </>
        )}
        {text('payload', 'Payload (text)')}
      </fieldset>
      <button type="submit">Add packet</button>
      {error && (
        <span className="status-error small" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
