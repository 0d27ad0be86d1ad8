/**
 * The Packets region: the list a Run executes on (one run per packet, in
 * order), with a builder, example frames, hex editing, pcap import/export,
 * decoded headers and — after a Run — each packet's verdict and byte diff.
 */
import { useEffect, useState, type ChangeEvent } from 'react';
import type { PacketRunReport } from '../../bridge/index.ts';
import { EXAMPLE_PACKETS, parseHexBytes, parsePacket } from '../../core/net/index.ts';
import { useApp } from '../AppContext.tsx';
import { exportPcap, importCapture } from '../packets/pcap-io.ts';
import { examplePacket } from '../state/packets.ts';
import { PacketBuilder } from './PacketBuilder.tsx';
import { ByteDiffView, DecodedView } from './PacketViews.tsx';
import { Panel } from './Panel.tsx';

export function PacketsPanel() {
  const packets = useApp((s) => s.packets);
  const selectedId = useApp((s) => s.selectedPacketId);
  const selectPacket = useApp((s) => s.selectPacket);
  const removePacket = useApp((s) => s.removePacket);
  const addPacket = useApp((s) => s.addPacket);
  const setPackets = useApp((s) => s.setPackets);
  const setNotice = useApp((s) => s.setNotice);
  const runView = useApp((s) => s.runView);
  const [building, setBuilding] = useState(false);
  const reports = runView.state === 'done' && runView.reply.run ? runView.reply.run.packets : [];
  const selectedIndex = packets.findIndex((p) => p.id === selectedId);
  const selected = selectedIndex >= 0 ? packets[selectedIndex] : undefined;

  const addExample = (e: ChangeEvent<HTMLSelectElement>) => {
    const p = examplePacket(e.target.value);
    e.target.value = '';
    if (p) addPacket({ label: p.label, hex: p.hex });
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const r = importCapture(new Uint8Array(await file.arrayBuffer()), file.name);
    if (!r.ok) {
      setNotice({ tone: 'warning', text: `Could not import: ${r.error}.` });
      return;
    }
    setPackets(r.packets);
    setNotice({ tone: 'info', text: `Imported ${r.packets.length} packets from ${file.name}.${r.notes.length ? ' ' + r.notes.join('; ') + '.' : ''}` });
  };

  const exportFile = () => {
    const r = exportPcap(packets);
    if (!r.ok) {
      setNotice({ tone: 'warning', text: `Could not export: ${r.error}.` });
      return;
    }
    const url = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: 'application/vnd.tcpdump.pcap' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'bpfiddle-packets.pcap';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  return (
    <Panel title="Packets" className="packets-panel">
      <div className="packet-actions">
        <select aria-label="Add an example packet" defaultValue="" onChange={addExample}>
          <option value="" disabled>
            Add example…
          </option>
          {EXAMPLE_PACKETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
        <button type="button" aria-expanded={building} onClick={() => setBuilding(!building)}>
          Build…
        </button>
        <label className="file-button">
          Import pcap
          <input type="file" accept=".pcap,.pcapng,.cap" onChange={(e) => void importFile(e)} />
        </label>
        <button type="button" onClick={exportFile} disabled={packets.length === 0}>
          Export pcap
        </button>
      </div>
      {building && (
        <PacketBuilder
          onBuilt={(p) => {
            addPacket(p);
            setBuilding(false);
          }}
        />
      )}
      {packets.length === 0 ? (
        <p className="muted small">No packets: Run uses a default 64-byte Ethernet/IPv4/UDP frame.</p>
      ) : (
        <ol className="packet-list" aria-label="Packet list">
          {packets.map((p, i) => (
            <li key={p.id} className={p.id === selectedId ? 'selected' : ''}>
              <button type="button" className="packet-pick" aria-current={p.id === selectedId} onClick={() => selectPacket(p.id)}>
                #{i + 1} {p.label} <span className="muted">({p.hex.length / 2} B)</span>
              </button>
              <VerdictBadge report={reports[i]} />
              <button type="button" className="link-button" aria-label={`Remove packet ${i + 1}`} onClick={() => removePacket(p.id)}>
                ×
              </button>
            </li>
          ))}
        </ol>
      )}
      {selected && <PacketDetail key={selected.id} id={selected.id} index={selectedIndex} report={reports[selectedIndex]} />}
    </Panel>
  );
}

function VerdictBadge({ report }: { report: PacketRunReport | undefined }) {
  if (!report) return null;
  const text = report.refused ? 'refused' : report.fault ? 'fault' : (report.verdict ?? report.retval ?? '');
  return <span className={`verdict-badge ${report.fault || report.refused ? 'bad' : ''}`}>{text}</span>;
}

function PacketDetail({ id, index, report }: { id: string; index: number; report: PacketRunReport | undefined }) {
  const packet = useApp((s) => s.packets.find((p) => p.id === id));
  const updatePacket = useApp((s) => s.updatePacket);
  const [text, setText] = useState(packet?.hex ?? '');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setText(packet?.hex ?? ''), [packet?.hex]);
  if (!packet) return null;
  const bytes = parseHexBytes(packet.hex);

  const apply = () => {
    const parsed = parseHexBytes(text);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    const hex = Array.from(parsed.value, (b) => b.toString(16).padStart(2, '0')).join('');
    updatePacket(id, { hex, label: parsePacket(parsed.value).summary });
  };

  return (
    <div className="packet-detail">
      <h3 className="subheading">
        Packet #{index + 1}: {packet.label}
      </h3>
      <label className="field field-stacked">
        <span className="muted small">Bytes (hex; edit and Apply)</span>
        <textarea aria-label="Packet hex" className="hex-edit" spellCheck={false} rows={4} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <div className="packet-actions">
        <button type="button" onClick={apply} disabled={text === packet.hex}>
          Apply
        </button>
        {error && (
          <span className="status-error small" role="alert">
            {error}
          </span>
        )}
      </div>
      {bytes.ok && <DecodedView bytes={bytes.value} />}
      {report && bytes.ok && <RunOnPacket report={report} before={bytes.value} />}
    </div>
  );
}

function RunOnPacket({ report, before }: { report: PacketRunReport; before: Uint8Array }) {
  if (report.refused) return <p className="status status-error">Not run on this packet: {report.refused}</p>;
  if (report.fault) return <p className="status status-error">Fault at instruction {report.fault.pc}: {report.fault.message}</p>;
  const after = report.dataOutHex !== null ? parseHexBytes(report.dataOutHex) : null;
  return (
    <section aria-label="Last run on this packet" className="packet-run">
      <p>
        Last run: <strong data-testid="packet-verdict">{report.verdict ?? report.retval}</strong> <span className="muted">(r0 = {report.retval})</span>
      </p>
      {after?.ok && <ByteDiffView before={before} after={after.value} />}
    </section>
  );
}
