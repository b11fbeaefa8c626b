// The top bar's "Picture" button: it shows a list of the exports (each view of
// views.ts as SVG, or as PNG at twice its size) under it. A disclosure: Enter or a
// click opens it, Tab walks the list, Enter exports, Escape or leaving it closes it.
// Test ids: `export-picture`, `export-picture-<view>-<svg|png>`.

import { useRef, useState } from 'react';
import { pushNotice, selectClusterStatus, useRaft } from '../store';
import { exportPicture, pngScale, type PictureFormat } from './picture';
import { pictureViews } from './views';

const items = pictureViews.flatMap((view) =>
  (['svg', 'png'] as const).map((format: PictureFormat) => ({
    view,
    format,
    key: `${view.id}-${format}`,
    label: `${view.title} as ${format === 'svg' ? 'SVG' : `PNG (${pngScale}×)`}`,
  })),
);

export function PictureMenu() {
  const ready = useRaft(selectClusterStatus) === 'ready';
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <span
      style={{ position: 'relative' }}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget)) setOpen(false);
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          close();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        data-testid="export-picture"
        aria-expanded={open}
        disabled={!ready}
        onClick={() => setOpen(!open)}
        title="Export a picture of a view, with a caption and a legend"
      >
        Picture ▾
      </button>
      {open && (
        <div className="node-menu" style={{ top: '100%', right: 0, zIndex: 25 }} role="group" aria-label="Pictures">
          {items.map((it) => (
            <button
              key={it.key}
              type="button"
              data-testid={`export-picture-${it.key}`}
              onClick={() => {
                close();
                exportPicture(it.view, it.format).then(
                  (name) => pushNotice('info', `Picture saved as ${name}`),
                  (e: unknown) => pushNotice('error', `Export picture failed: ${e instanceof Error ? e.message : e}`),
                );
              }}
            >
              {it.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
