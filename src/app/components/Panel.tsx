import { useId, type ReactNode } from 'react';

/** A main panel: a landmark region named by its visible heading. */
export function Panel({ title, actions, children, className }: { title: string; actions?: ReactNode; children: ReactNode; className?: string }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className={`panel ${className ?? ''}`}>
      <header className="panel-header">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}

/** What a panel shows before the feature behind it exists: honest, not a mock-up. */
export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty-state">{children}</p>;
}
