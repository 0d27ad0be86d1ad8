/** The Packets region: for now, a choice of sample frames for runs. */
import { useApp } from '../AppContext.tsx';
import { SAMPLE_PACKETS, samplePacket } from '../examples/index.ts';
import { Panel } from './Panel.tsx';

/** Eight bytes per row, so the dump fits a narrow panel. */
function hexRows(hex: string): string {
  const bytes = hex.match(/../g) ?? [];
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 8) rows.push(`${i.toString(16).padStart(4, '0')}  ${bytes.slice(i, i + 8).join(' ')}`);
  return rows.join('\n');
}

export function PacketsPanel() {
  const packetId = useApp((s) => s.packetId);
  const setPacket = useApp((s) => s.setPacket);
  const packet = samplePacket(packetId);
  return (
    <Panel title="Packets" className="packets-panel">
      <label className="field field-stacked">
        <span className="muted small">Runs use this sample frame</span>
        <select value={packet.id} onChange={(e) => setPacket(e.target.value)}>
          {SAMPLE_PACKETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <pre className="hexdump" aria-label="Packet bytes">
        {hexRows(packet.hex)}
      </pre>
      <p className="muted small">Building your own packets and pcap import arrive with the packets feature.</p>
    </Panel>
  );
}
