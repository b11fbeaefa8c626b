// A top-bar disclosure menu: a button that shows a column of actions under it. Enter or
// a click opens it, Tab walks the actions, Escape or focus leaving the menu closes it
// and gives focus back to the button. Children get `close`, to call when they act.

import { useRef, useState, type ReactNode } from 'react';

export interface DropMenuProps {
  /** The button's text (a ▾ is appended). */
  label: string;
  testId: string;
  title: string;
  /** The accessible name of the list of actions. */
  listLabel: string;
  disabled?: boolean;
  children: (close: () => void) => ReactNode;
}

export function DropMenu({ label, testId, title, listLabel, disabled = false, children }: DropMenuProps) {
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
        data-testid={testId}
        aria-expanded={open}
        disabled={disabled}
        onClick={() => setOpen(!open)}
        title={title}
      >
        {label} ▾
      </button>
      {open && (
        <div className="node-menu" style={{ top: '100%', right: 0, zIndex: 25 }} role="group" aria-label={listLabel}>
          {children(close)}
        </div>
      )}
    </span>
  );
}
