// The top bar's "Picture" menu: export the cluster view, the space-time diagram or the
// timeline (views.ts) as SVG or PNG. A menu button (ARIA pattern): Enter, Space or ↓
// opens it on the first item, ↑/↓/Home/End move, Enter picks, Escape or Tab closes and
// focus returns to the button. Test ids: `export-picture`, `export-picture-<view>-<svg|png>`.

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { pushNotice, selectClusterStatus, useRaft } from '../store';
import './picture.css';
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
  const menu = useRef<HTMLDivElement>(null);

  const focusItem = (i: number) => {
    const els = menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]');
    if (els === undefined || els.length === 0) return;
    els[(i + els.length) % els.length]?.focus();
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  useEffect(() => {
    if (!open) return;
    focusItem(0);
    const onDown = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) setOpen(false);
    };
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const pick = async (it: (typeof items)[number]) => {
    close(true);
    try {
      const name = await exportPicture(it.view, it.format);
      pushNotice('info', `Picture saved as ${name}`);
    } catch (e) {
      pushNotice('error', `Export picture failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const onMenuKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const els = [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? [])];
    const at = els.indexOf(document.activeElement as HTMLButtonElement);
    const moves: Record<string, () => void> = {
      ArrowDown: () => focusItem(at + 1),
      ArrowUp: () => focusItem(at - 1),
      Home: () => focusItem(0),
      End: () => focusItem(els.length - 1),
      Escape: () => close(true),
      Tab: () => close(false),
    };
    const f = moves[e.key];
    if (f === undefined) return;
    if (e.key !== 'Tab') e.preventDefault();
    // The app's single-key shortcuts must not see keys meant for the menu.
    e.stopPropagation();
    f();
  };

  return (
    <span className="picture-menu">
      <button
        ref={button}
        type="button"
        data-testid="export-picture"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls="picture-menu"
        disabled={!ready}
        onClick={() => setOpen(!open)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault();
            setOpen(true);
          }
        }}
        title="Export a picture of a view (SVG, or PNG at twice its size for slides), with a caption and a legend"
      >
        Picture ▾
      </button>
      {open && (
        <div
          ref={menu}
          id="picture-menu"
          className="picture-menu-list"
          role="menu"
          aria-label="Export a picture"
          onKeyDown={onMenuKey}
        >
          {items.map((it) => (
            <button
              key={it.key}
              type="button"
              role="menuitem"
              tabIndex={-1}
              data-testid={`export-picture-${it.key}`}
              onClick={() => void pick(it)}
            >
              {it.label}
            </button>
          ))}
        </div>
      )}
    </span>
  );
}
