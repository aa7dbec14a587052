import { useState } from 'react';
import Icon from './Icon.jsx';

export const DRAG_TYPE = 'application/x-studio-widget';

/** The widget library, grouped as the catalogue's groups; only palette widgets. */
export default function Library({ catalogue, onAdd }) {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const visible = catalogue.widgets.filter(
    (w) => w.palette && (!q || w.label.toLowerCase().includes(q) || w.type.includes(q) || (w.description || '').toLowerCase().includes(q)),
  );
  return (
    <aside className="cv-library" data-testid="library" aria-labelledby="library-heading">
      {/* The page's outline: the flow's name (h1), then this (h2), then the groups (h3). */}
      <h2 id="library-heading" className="visually-hidden">
        Widget library
      </h2>
      <input
        className="cv-search"
        type="search"
        placeholder="Search widgets"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        data-testid="library-search"
        aria-label="Search widgets"
      />
      {/* A click only focuses an item (it may start a drag): say how a widget gets on the canvas. */}
      <p id="library-hint" className="cv-library-hint" data-testid="library-hint">
        Drag a widget onto the canvas, or double-click it to add it.
      </p>
      <div className="cv-library-groups">
        {catalogue.groups.map((group) => {
          const widgets = visible.filter((w) => w.group === group.id);
          if (!widgets.length) return null;
          return (
            <section key={group.id} className="cv-library-group">
              <h3>{group.label}</h3>
              {widgets.map((w) => (
                <button
                  type="button"
                  key={w.type}
                  className={`cv-library-item w-group-${w.group}`}
                  draggable
                  title={w.description}
                  aria-describedby="library-hint"
                  data-testid={`library-${w.type}`}
                  data-widget-type={w.type}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(DRAG_TYPE, w.type);
                    e.dataTransfer.effectAllowed = 'move';
                  }}
                  onDoubleClick={() => onAdd(w.type, null)}
                  // Enter or Space on the focused item adds it too (a keyboard's click has no
                  // mouse clicks to count); a single mouse click only focuses it.
                  onClick={(e) => e.detail === 0 && onAdd(w.type, null)}
                >
                  <Icon group={w.group} type={w.type} />
                  <span>{w.label}</span>
                </button>
              ))}
            </section>
          );
        })}
        {visible.length ? null : <p className="cv-muted">No widget matches “{query}”.</p>}
      </div>
    </aside>
  );
}
