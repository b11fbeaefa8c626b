// A minimal modal dialog: focus moves in on open and back out on close; Escape closes
// the topmost open dialog wherever focus is (something behind a modal may take focus
// while it is open, e.g. a lesson step settling), and nothing else sees that Escape.

import { useLayoutEffect, useRef, type ReactNode } from 'react';

/** The open dialogs' close functions, the topmost last. */
const openDialogs: (() => void)[] = [];

export function Dialog({
  title,
  onClose,
  children,
  testId,
  wide = false,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;
  // A layout effect: in place as soon as the dialog is on screen (a passive effect may
  // wait for the next frame, and an Escape pressed before it would be lost).
  useLayoutEffect(() => {
    const prev = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, button, [tabindex]');
    first?.focus();
    const close = () => closeRef.current();
    openDialogs.push(close);
    // Capture phase on the document: before any element's or shortcut's handler.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || openDialogs[openDialogs.length - 1] !== close) return;
      e.stopPropagation();
      e.preventDefault();
      close();
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      openDialogs.splice(openDialogs.indexOf(close), 1);
      prev?.focus?.();
    };
  }, []);
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`dialog${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${testId}-title`}
        data-testid={testId}
      >
        <div className="dialog-head">
          <h2 id={`${testId}-title`}>{title}</h2>
          <button type="button" className="ghost small" onClick={onClose} aria-label="Close" title="Close (Esc)">
            ✕
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
