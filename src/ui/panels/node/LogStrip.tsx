// The log as a horizontal strip of term-coloured cells, one per index from the first
// index still in the log to the last one; each cell prints its term, so colour is never
// the only cue. Only the cells in the scrolled window (plus a few) are in the DOM, so a
// 10,000-entry log costs what a 30-entry one does. While the view is at the right end
// it follows new entries; scrolling back holds it still.
//
// Styles: committed = solid term colour; not committed = pale with a dashed border;
// unstable (not persisted yet) = hatched, term "?" until the persist stage writes it;
// applied = a bar under the cell. Markers under the strip point at first, persisted,
// commit and applied.

import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { selectProjector, useRaft } from '../../store';
import { termColor } from '../../theme';
import { entryText } from './format';
import { cellAt, cellCount, cellTitle, visibleCells, type LogCell, type LogModel } from './logModel';
import { EntryWhy } from '../why/EntryWhy';

const LogCellView = memo(function LogCellView({
  cell,
  left,
  width,
  picked,
}: {
  cell: LogCell;
  left: number;
  width: number;
  picked: boolean;
}) {
  const term = cell.entry?.term;
  const c = term === undefined ? undefined : termColor(term);
  const cls = [
    'log-cell',
    cell.committed ? 'is-committed' : 'is-uncommitted',
    cell.persisted ? 'is-persisted' : 'is-unstable',
    cell.applied ? 'is-applied' : '',
    picked ? 'is-picked' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const style: CSSProperties = { left, width: width - 2 };
  if (c !== undefined && cell.persisted) {
    if (cell.committed) {
      style.background = c.hex;
      style.color = c.ink;
    } else {
      style.background = `color-mix(in srgb, ${c.hex} 30%, var(--surface))`;
      style.borderColor = c.hex;
    }
  }
  return (
    <div
      className={cls}
      style={style}
      title={cellTitle(cell, cell.entry === undefined ? undefined : entryText(cell.entry))}
      data-testid={`log-cell-${cell.index}`}
      data-index={cell.index}
      data-term={term ?? ''}
    >
      {term ?? '?'}
    </div>
  );
});

interface Marker {
  key: string;
  label: string;
  index: number;
  hint: string;
}

/** Markers at the same index share one label (one row each distinct index, in index order). */
function markerGroups(markers: readonly Marker[]): { key: string; index: number; labels: string[]; hints: string[] }[] {
  const byIndex = new Map<number, { key: string; index: number; labels: string[]; hints: string[] }>();
  for (const m of markers) {
    const g = byIndex.get(m.index);
    if (g === undefined) byIndex.set(m.index, { key: m.key, index: m.index, labels: [m.label], hints: [m.hint] });
    else {
      g.labels.push(m.label);
      g.hints.push(m.hint);
      // The commit marker's colour wins: it is the index that matters most.
      if (m.key === 'commit') g.key = 'commit';
    }
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

export function LogStrip({ model, nodeId }: { model: LogModel; nodeId: number }) {
  const projector = useRaft(selectProjector);
  const cellW = projector ? 40 : 30;
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [viewport, setViewport] = useState(400);
  const atEnd = useRef(true);
  const count = cellCount(model);
  // The cell picked (click, or arrow keys): its details and "Why?" show under the strip.
  const [picked, setPicked] = useState(0);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    setViewport(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // A new node starts at its tail.
  useLayoutEffect(() => {
    atEnd.current = true;
    setPicked(0);
  }, [nodeId]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || !atEnd.current) return;
    el.scrollLeft = el.scrollWidth;
    setScrollLeft(el.scrollLeft);
  }, [count, cellW, nodeId, model.firstIndex]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el === null) return;
    atEnd.current = el.scrollLeft + el.clientWidth >= el.scrollWidth - cellW;
    setScrollLeft(el.scrollLeft);
  }, [cellW]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const el = scroller.current;
    if (el === null) return;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const from = picked === 0 ? model.lastIndex + (e.key === 'ArrowLeft' ? 1 : 0) : picked;
      const next = Math.min(model.lastIndex, Math.max(model.firstIndex, from + (e.key === 'ArrowLeft' ? -1 : 1)));
      setPicked(next);
      const x = (next - model.firstIndex) * cellW;
      if (x < el.scrollLeft || x + cellW > el.scrollLeft + el.clientWidth) el.scrollLeft = x - el.clientWidth / 2;
      e.preventDefault();
    } else if (e.key === 'Escape' && picked !== 0) {
      setPicked(0);
      e.preventDefault();
    } else if (e.key === 'Home') {
      el.scrollLeft = 0;
      e.preventDefault();
    } else if (e.key === 'End') {
      el.scrollLeft = el.scrollWidth;
      e.preventDefault();
    }
  };
  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const i = Number((e.target as Element).closest<HTMLElement>('.log-cell')?.dataset.index);
    if (Number.isFinite(i) && i > 0) setPicked(picked === i ? 0 : i);
  };
  const pick = picked >= model.firstIndex && picked <= model.lastIndex ? cellAt(model, picked) : undefined;

  const { from, to } = visibleCells(count, cellW, scrollLeft, viewport);
  const cells: LogCell[] = [];
  for (let i = from; i < to; i++) cells.push(cellAt(model, model.firstIndex + i));

  const markers: Marker[] = [
    {
      key: 'first',
      label: 'first',
      index: model.firstIndex,
      hint: 'First index still in the log (entries before it are compacted into the snapshot)',
    },
    {
      key: 'persisted',
      label: 'persisted',
      index: model.persistedLastIndex,
      hint: 'Last index in stable storage; entries after it are unstable (in memory only)',
    },
    {
      key: 'commit',
      label: 'commit',
      index: model.commit,
      hint: 'Commit index: entries up to here are stored on a quorum and will never be lost',
    },
    {
      key: 'applied',
      label: 'applied',
      index: model.applied,
      hint: 'Applied index: entries up to here were applied to the state machine',
    },
  ];
  const charW = projector ? 9 : 7;
  const width = Math.max(count * cellW, 1);
  const groups = markerGroups(markers);

  return (
    <div
      className="log-strip"
      data-testid="log-strip"
      data-first={model.firstIndex}
      data-last={model.lastIndex}
      data-commit={model.commit}
      data-applied={model.applied}
    >
      <div className="log-summary">
        <span
          className="log-snap"
          title="The snapshot: every entry up to this index is compacted into it (index/term)"
          data-testid="log-snapshot"
        >
          snapshot {model.snapshotIndex > 0 ? `≤${model.snapshotIndex} (term ${model.snapshotTerm})` : 'none'}
        </span>
        {markers.map((m) => (
          <span key={m.key} className={`log-sum log-sum-${m.key}`} title={m.hint}>
            {m.label} <b>{m.index}</b>
          </span>
        ))}
        <span className="log-sum" title="Last index, including unstable entries">
          last <b>{model.lastIndex}</b>
        </span>
      </div>
      {count === 0 ? (
        <p className="muted log-empty">The log is empty{model.snapshotIndex > 0 ? ' after the snapshot' : ''}.</p>
      ) : (
        <div
          className="log-scroller"
          ref={scroller}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          onClick={onClick}
          tabIndex={0}
          role="region"
          aria-label={`Log of node ${nodeId}, indices ${model.firstIndex} to ${model.lastIndex}; the arrow keys pick an entry (its details show below), Home and End scroll`}
        >
          <div className="log-track" style={{ width, ['--log-marker-rows' as string]: groups.length }}>
            {cells.map((c) => (
              <LogCellView
                key={c.index}
                cell={c}
                left={(c.index - model.firstIndex) * cellW}
                width={cellW}
                picked={c.index === picked}
              />
            ))}
            {cells
              .filter((c) => c.index % 5 === 0 || c.index === model.firstIndex)
              .map((c) => (
                <span
                  key={`i${c.index}`}
                  className="log-index"
                  style={{ left: (c.index - model.firstIndex) * cellW, width: cellW }}
                  aria-hidden="true"
                >
                  {c.index}
                </span>
              ))}
            {groups.map((g, row) => {
              const pos = g.index - model.firstIndex;
              if (pos < 0 || pos >= count || pos < from - 1 || pos > to) return null;
              // Labels extend right of their caret, or left when they would run past the end
              // of the log and there is room on the left (a rough width: 0.6em per character).
              const x = pos * cellW + cellW / 2;
              const label = `${g.labels.join(', ')} ${g.index}`;
              const est = (label.length + 2) * charW;
              const flip = x + est > width && x - est >= 0;
              return (
                <span
                  key={g.key}
                  className={`log-marker log-marker-${g.key}${flip ? ' is-flipped' : ''}`}
                  style={{ left: x, top: `calc(${row} * 1.35em + var(--log-cell-h) + 1.3em)` }}
                  title={g.hints.join('\n')}
                  aria-hidden="true"
                >
                  {flip ? `${label} ▲` : `▲ ${label}`}
                </span>
              );
            })}
          </div>
        </div>
      )}
      {pick !== undefined && (
        <div className="log-pick" data-testid="log-pick" data-index={pick.index} aria-live="polite">
          <span>{cellTitle(pick, pick.entry === undefined ? undefined : entryText(pick.entry))}</span>
          <EntryWhy node={nodeId} index={pick.index} committed={pick.committed} applied={pick.applied} />
        </div>
      )}
      <div className="log-legend" aria-label="Log strip legend">
        <span>
          <i className="lg lg-committed" aria-hidden="true" /> committed
        </span>
        <span>
          <i className="lg lg-uncommitted" aria-hidden="true" /> not committed
        </span>
        <span>
          <i className="lg lg-unstable" aria-hidden="true" /> unstable (term ? until persisted)
        </span>
        <span>
          <i className="lg lg-applied" aria-hidden="true" /> applied
        </span>
      </div>
    </div>
  );
}
