/** Read-only packet views: decoded headers like an analyzer's tree, and the byte diff of a run. */
import { diffBytes, parsePacket, type DecodedField } from '../../core/net/index.ts';

export function DecodedView({ bytes }: { bytes: Uint8Array }) {
  const decoded = parsePacket(bytes);
  return (
    <section className="decoded" aria-label="Decoded headers">
      {decoded.layers.map((layer, i) => (
        <details key={i} open={layer.kind !== 'payload'}>
          <summary>
            {layer.title}
            {layer.checksum && <span className={`muted small ${layer.checksum.status === 'incorrect' ? 'status-error' : ''}`}> checksum {layer.checksum.status}</span>}
          </summary>
          <FieldList fields={layer.fields} />
        </details>
      ))}
      {decoded.problems.length > 0 && (
        <ul className="status-error small">
          {decoded.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function FieldList({ fields }: { fields: DecodedField[] }) {
  return (
    <ul className="field-list">
      {fields.map((f, i) => (
        <li key={i}>
          <span className="muted">{f.name}:</span> {f.value} <span className="muted small">@{f.offset}</span>
          {f.children && <FieldList fields={f.children} />}
        </li>
      ))}
    </ul>
  );
}

const hex2 = (b: number) => b.toString(16).padStart(2, '0');

/** The packet after the run, with changed and inserted bytes marked; removed bytes are counted. */
export function ByteDiffView({ before, after }: { before: Uint8Array; after: Uint8Array }) {
  const diff = diffBytes(before, after);
  if (diff.identical) return <p className="muted small" data-testid="byte-diff">The program did not change the packet.</p>;
  const marks = new Array<string>(after.length).fill('');
  for (const r of diff.ranges) {
    if (r.kind === 'changed' || r.kind === 'inserted') for (let i = r.afterOffset; i < r.afterOffset + r.afterLength; i++) marks[i] = r.kind;
  }
  const rows: number[] = [];
  for (let i = 0; i < after.length; i += 16) rows.push(i);
  return (
    <div data-testid="byte-diff">
      <p className="small">
        Changed by the program: {diff.changed} bytes changed, {diff.inserted} inserted, {diff.removed} removed ({before.length} → {after.length} bytes).
      </p>
      <pre className="hexdump" aria-label="Packet after the run">
        {rows.map((start) => (
          <div key={start}>
            {start.toString(16).padStart(4, '0')}{' '}
            {Array.from(after.subarray(start, start + 16), (b, j) => (
              <span key={j} className={marks[start + j] ? `diff-${marks[start + j]}` : undefined}>
                {' '}
                {hex2(b)}
              </span>
            ))}
          </div>
        ))}
      </pre>
    </div>
  );
}
