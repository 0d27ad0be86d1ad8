/** The examples gallery: a menu of small programs, each loaded with its packets. */
import { useEffect, useRef, useState } from 'react';
import { GALLERY, type GalleryExample } from '../../bridge/index.ts';
import { useApp } from '../AppContext.tsx';
import { examplePacket } from '../state/packets.ts';

export function ExamplesMenu() {
  const [open, setOpen] = useState(false);
  const loadExample = useApp((s) => s.loadExample);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  const pick = (example: GalleryExample) => {
    const packets = example.packets.map(examplePacket).flatMap((p) => (p ? [{ label: p.label, hex: p.hex }] : []));
    loadExample(example.source, packets);
    setOpen(false);
  };
  return (
    <div className="examples-menu" ref={ref}>
      <button type="button" aria-expanded={open} aria-haspopup="true" onClick={() => setOpen(!open)}>
        Examples
      </button>
      {open && (
        <ul className="examples-list" aria-label="Examples">
          {GALLERY.map((e) => (
            <li key={e.id}>
              <button type="button" onClick={() => pick(e)}>
                <strong>{e.title}</strong>
                <span className="muted small">{e.summary}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
