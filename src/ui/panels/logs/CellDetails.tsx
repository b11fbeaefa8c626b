// The details of one log-matrix cell, under the matrix: the entry (etcd's text form),
// whether this node has it persisted, committed and applied, whether it conflicts with
// the leader's log, and the "Why?" questions the explain layer can answer about it.

import { useEffect, useRef } from 'react';
import { entryText } from '../node/format';
import { readDisk } from '../node/useNodeLog';
import { cellTitle, type MatrixCell, type MatrixRow } from './matrixModel';
import { EntryWhy } from '../why/EntryWhy';

export function CellDetails({ row, cell, onClose }: { row: MatrixRow; cell: MatrixCell; onClose: () => void }) {
  // The entry itself (its payload) from the disk, when persisted and not compacted.
  const entries = cell.kind === 'entry' && cell.persisted ? (readDisk(row.id)?.entries ?? []) : [];
  const entry = entries.find((e) => e.index === cell.index);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Braces: Chromium's scrollIntoView returns a promise, which must not become the effect's cleanup.
    ref.current?.scrollIntoView?.({ block: 'nearest' });
  }, [row.id, cell.index]);
  return (
    <div
      ref={ref}
      className="lm-details"
      data-testid="log-cell-details"
      data-node={row.id}
      data-index={cell.index}
      role="group"
      aria-label={`Entry ${cell.index} on node ${row.id}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="lm-details-head">
        <strong>
          Node {row.id}, index {cell.index}
        </strong>
        <button
          type="button"
          className="ghost small"
          onClick={onClose}
          aria-label="Close the details"
          title="Close (Esc)"
        >
          ✕
        </button>
      </div>
      <p className="lm-details-text">{cellTitle(row.id, cell)}</p>
      {entry !== undefined && <code className="lm-entry">{entryText(entry)}</code>}
      {cell.kind === 'entry' && (
        <EntryWhy node={row.id} index={cell.index} committed={cell.committed} applied={cell.applied} />
      )}
    </div>
  );
}
