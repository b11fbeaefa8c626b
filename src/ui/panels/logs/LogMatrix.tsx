// The cluster's logs side by side (the Raft paper's figure): one row per node, one
// column per index. A cell is coloured by its term and prints it; committed = solid,
// not committed = pale with a dashed border, unstable = hatched "?", applied = a bar
// under it, conflicting = striped with a "≠" (its term differs from the leader's, or
// it lies past the leader's last index). The compacted prefix is one snapshot block.
// Under each cell, letters mark the node's commit (c), applied (a), persisted (p, when
// behind the last index) and, in a follower's row, the leader's match (m) and next (n).
//
// Only the columns in view (plus a few) are in the DOM, so 9 nodes x 10,000 entries
// cost what a few dozen columns do; rows are cached per node view (useMatrixRows). The
// view follows the tail while it is at the right end, and "go to" scrolls to an index.
//
// Keyboard: the grid is one tab stop; arrow keys move a cursor cell (Home/End: first
// and last index), Enter opens the cell's details below the matrix, Escape closes them.

import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type CSSProperties } from 'react';
import { hoverNode, selectHoveredNode, selectLeader, selectNodeId, selectProjector, useRaft } from '../../store';
import { termColor } from '../../theme';
import { visibleCells } from '../node/logModel';
import { shortState } from '../node/format';
import {
  cellOf,
  cellTitle,
  laneMarks,
  matrixWidth,
  referenceTerms,
  scrollForIndex,
  type MatrixCell,
  type MatrixRow,
} from './matrixModel';
import { useMatrixRows } from './useMatrixRows';
import { CellDetails } from './CellDetails';

export interface CellRef {
  node: number;
  index: number;
}

function cellStyle(c: MatrixCell, left: number, width: number): CSSProperties {
  const style: CSSProperties = { left, width: width - 2 };
  if (c.term === undefined || !c.persisted) return style;
  const col = termColor(c.term);
  if (c.committed) {
    style.background = col.hex;
    style.color = col.ink;
  } else {
    style.background = `color-mix(in srgb, ${col.hex} 30%, var(--surface))`;
    if (c.conflict === undefined) style.borderColor = col.hex;
  }
  return style;
}

interface RowProps {
  row: MatrixRow;
  from: number;
  to: number;
  refs: readonly (number | undefined)[];
  leader: MatrixRow | undefined;
  progress: { match: number; next: number } | undefined;
  cellW: number;
  cursor: number;
  focusIndex: number;
}

const RowView = memo(function RowView({ row, from, to, refs, leader, progress, cellW, cursor, focusIndex }: RowProps) {
  const cells = [];
  for (let i = Math.max(from, row.snapIndex + 1); i < Math.min(to, row.lastIndex + 1); i++) {
    const c = cellOf(row, i, refs[i - from], leader);
    const cls =
      'lm-cell' +
      (c.committed ? ' is-committed' : ' is-uncommitted') +
      (c.persisted ? '' : ' is-unstable') +
      (c.applied ? ' is-applied' : '') +
      (c.conflict !== undefined ? ' is-conflict' : '') +
      (i === cursor ? ' is-cursor' : '') +
      (i === focusIndex ? ' is-focus' : '');
    cells.push(
      <div
        key={i}
        id={`lm-${row.id}-${i}`}
        className={cls}
        style={cellStyle(c, (i - 1) * cellW, cellW)}
        data-testid={`log-cell-${row.id}-${i}`}
        data-index={i}
        data-term={c.term ?? ''}
        data-committed={c.committed ? 'true' : 'false'}
        data-applied={c.applied ? 'true' : 'false'}
        data-persisted={c.persisted ? 'true' : 'false'}
        data-conflict={c.conflict ?? 'false'}
        role="gridcell"
        aria-selected={i === cursor}
      >
        {c.term ?? '?'}
      </div>,
    );
  }
  const snapEnd = Math.min(row.snapIndex, to - 1);
  const snapStart = Math.max(1, from);
  const marks = laneMarks(row, progress).filter((m) => m.index >= from && m.index < to);
  return (
    <div className="lm-row" role="row" data-node={row.id}>
      {row.snapIndex > 0 && snapEnd >= snapStart && (
        <div
          className="lm-snap"
          style={{ left: (snapStart - 1) * cellW, width: (snapEnd - snapStart + 1) * cellW - 2 }}
          data-testid={`log-snap-${row.id}`}
          data-index={row.snapIndex}
          data-term={row.snapTerm}
          role="gridcell"
          title={
            `Entries 1–${row.snapIndex} are compacted into a snapshot (last index ${row.snapIndex}, term ${row.snapTerm})` +
            (row.logFirst <= row.snapIndex ? `; raft's in-memory log still holds them from index ${row.logFirst}` : '')
          }
        >
          <span>
            snapshot ≤{row.snapIndex} · t{row.snapTerm}
          </span>
        </div>
      )}
      {cells}
      {marks.map((m) => (
        <span
          key={m.index}
          className="lm-lane"
          style={{ left: (m.index - 1) * cellW, width: cellW }}
          aria-hidden="true"
        >
          {m.text}
        </span>
      ))}
    </div>
  );
});

function RowHead({
  row,
  role,
  progress,
  leader,
}: {
  row: MatrixRow;
  role: string;
  progress: { match: number; next: number } | undefined;
  leader: boolean;
}) {
  const hovered = useRaft(selectHoveredNode) === row.id;
  return (
    <button
      type="button"
      className={`lm-head${leader ? ' is-leader' : ''}${hovered ? ' is-hovered' : ''}`}
      onClick={() => selectNodeId(row.id)}
      onPointerEnter={() => hoverNode(row.id)}
      onPointerLeave={() => hoverNode(0)}
      data-testid={`log-row-${row.id}`}
      title={`Node ${row.id} (${role}): commit ${row.commit}, applied ${row.applied}, last ${row.lastIndex}${progress === undefined ? '' : `; the leader's match ${progress.match}, next ${progress.next}`}. Click to select the node.`}
    >
      <span>
        <b>{row.id}</b> <span className="lm-role">{role}</span>
      </span>
      <span className="lm-nums">
        c{row.commit} a{row.applied}
      </span>
    </button>
  );
}

export function LogMatrix() {
  const items = useMatrixRows();
  const leaderId = useRaft(selectLeader);
  const projector = useRaft(selectProjector);
  const cellW = projector ? 40 : 30;
  const rows = items.map((x) => x.row);
  const leaderItem = items.find((x) => x.row.id === leaderId);
  const leader = leaderItem?.row;
  const progress = new Map((leaderItem?.view.observation?.progress ?? []).map((p) => [p.id, p]));
  const columns = Math.max(1, matrixWidth(rows));
  const width = columns * cellW;

  const scroller = useRef<HTMLDivElement>(null);
  const [scrollLeft, setScrollLeft] = useState(0);
  const [viewport, setViewport] = useState(300);
  const atEnd = useRef(true);
  const [cursor, setCursor] = useState<CellRef | undefined>(undefined);
  const [open, setOpen] = useState<CellRef | undefined>(undefined);
  const [focusIndex, setFocusIndex] = useState(0);
  const [goto, setGoto] = useState('');

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    setViewport(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow the tail while at the right end (the target from the model, not from the DOM:
  // reading scrollWidth would force a layout on every observation).
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || !atEnd.current) return;
    const target = Math.max(0, width - viewport);
    el.scrollLeft = target;
    setScrollLeft(target);
  }, [width, viewport]);

  // Whether a scroll position is at the right end (from the model's width, not the DOM's).
  const widthRef = useRef(width);
  widthRef.current = width;
  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el === null) return;
    atEnd.current = el.scrollLeft + viewport >= widthRef.current - cellW;
    setScrollLeft(el.scrollLeft);
  }, [cellW, viewport]);

  const scrollTo = useCallback(
    (index: number) => {
      const el = scroller.current;
      if (el === null) return;
      const x = scrollForIndex(index, cellW, viewport, columns);
      el.scrollLeft = x;
      atEnd.current = x + viewport >= width - cellW;
      setScrollLeft(x);
    },
    [cellW, columns, viewport, width],
  );

  const { from: p0, to: p1 } = visibleCells(columns, cellW, scrollLeft, viewport, 4);
  const from = p0 + 1;
  const to = p1 + 1;
  const refs = referenceTerms(rows, leader, from, to);

  const ensureVisible = (index: number) => {
    const x = (index - 1) * cellW;
    if (x < scrollLeft || x + cellW > scrollLeft + viewport) scrollTo(index);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
    const ids = rows.map((r) => r.id);
    if (ids.length === 0) return;
    if (e.key === 'Escape') {
      if (open !== undefined) {
        setOpen(undefined);
        e.preventDefault();
      }
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      if (cursor !== undefined) setOpen(cursor);
      e.preventDefault();
      return;
    }
    const cur = cursor ?? { node: ids[0]!, index: Math.max(1, Math.min(columns, to - 5)) };
    let { node, index } = cur;
    const k = ids.indexOf(node);
    if (e.key === 'ArrowLeft') index = Math.max(1, index - 1);
    else if (e.key === 'ArrowRight') index = Math.min(columns, index + 1);
    else if (e.key === 'ArrowUp') node = ids[Math.max(0, k - 1)]!;
    else if (e.key === 'ArrowDown') node = ids[Math.min(ids.length - 1, k + 1)]!;
    else if (e.key === 'Home') index = 1;
    else if (e.key === 'End') index = columns;
    else return;
    e.preventDefault();
    setCursor({ node, index });
    ensureVisible(index);
  };

  const onClick = (e: React.MouseEvent<HTMLDivElement>) => {
    const el = (e.target as Element).closest<HTMLElement>('.lm-cell');
    const node = Number(el?.parentElement?.dataset.node);
    const index = Number(el?.dataset.index);
    if (el === null || !Number.isFinite(node) || !Number.isFinite(index)) return;
    const c = { node, index };
    setCursor(c);
    setOpen(c);
    selectNodeId(node);
  };

  // One shared tooltip: the hovered cell gets its title when the pointer reaches it.
  const onPointerOver = (e: React.PointerEvent<HTMLDivElement>) => {
    const el = (e.target as Element).closest<HTMLElement>('.lm-cell');
    const row = rows.find((r) => String(r.id) === el?.parentElement?.dataset.node);
    const index = Number(el?.dataset.index);
    if (el === null || row === undefined) return;
    const c = cellOf(row, index, referenceTerms(rows, leader, index, index + 1)[0], leader);
    el.title = cellTitle(row.id, c);
  };

  const step = 5;
  const ticks = [];
  for (let i = Math.ceil(from / step) * step; i < to; i += step) ticks.push(i === 0 ? 1 : i);
  if (from <= 1) ticks.unshift(1);

  const activeId =
    cursor !== undefined && cursor.index >= from && cursor.index < to ? `lm-${cursor.node}-${cursor.index}` : undefined;
  const openRow = open === undefined ? undefined : rows.find((r) => r.id === open.node);

  return (
    <div
      className="lm"
      data-testid="log-matrix"
      data-columns={columns}
      data-leader={leaderId}
      style={{ ['--lm-cell-w' as string]: `${cellW}px` }}
    >
      <form
        className="lm-tools"
        onSubmit={(e) => {
          e.preventDefault();
          const i = Math.round(Number(goto));
          if (!Number.isFinite(i) || i < 1) return;
          const index = Math.min(columns, i);
          setFocusIndex(index);
          scrollTo(index);
        }}
      >
        <label>
          <span>go to index</span>
          <input
            type="number"
            min={1}
            max={columns}
            value={goto}
            onChange={(e) => setGoto(e.target.value)}
            placeholder={String(columns)}
            data-testid="log-matrix-goto"
          />
        </label>
        <button type="submit" className="small" data-testid="log-matrix-go">
          Go
        </button>
        <button
          type="button"
          className="small"
          data-testid="log-matrix-tail"
          title="Scroll to the last index and follow new entries"
          onClick={() => {
            atEnd.current = true;
            scrollTo(columns);
          }}
        >
          Tail ⇥
        </button>
        <span className="muted lm-range" aria-live="polite">
          indices {from}–{Math.min(to - 1, columns)} of {columns}
        </span>
      </form>
      <div className="lm-body">
        <div className="lm-heads">
          <div className="lm-ruler-gap" aria-hidden="true">
            node
          </div>
          {items.map(({ row, view }) => (
            <RowHead
              key={row.id}
              row={row}
              role={view.status !== 'alive' ? view.status : shortState(view.state)}
              progress={row.id === leaderId ? undefined : progress.get(row.id)}
              leader={row.id === leaderId}
            />
          ))}
        </div>
        <div
          className="lm-scroller"
          ref={scroller}
          onScroll={onScroll}
          onKeyDown={onKeyDown}
          onClick={onClick}
          onPointerOver={onPointerOver}
          tabIndex={0}
          role="grid"
          aria-label={`Logs of every node, one row per node, indices 1 to ${columns}. Arrow keys move between cells, Enter shows a cell's details.`}
          aria-activedescendant={activeId}
          aria-rowcount={rows.length}
          aria-colcount={columns}
        >
          <div className="lm-track" style={{ width }}>
            <div className="lm-ruler" aria-hidden="true">
              {ticks.map((i) => (
                <span key={i} style={{ left: (i - 1) * cellW }}>
                  {i}
                </span>
              ))}
            </div>
            {focusIndex >= from && focusIndex < to && (
              <div
                className="lm-focus-col"
                style={{ left: (focusIndex - 1) * cellW, width: cellW }}
                aria-hidden="true"
              />
            )}
            {rows.map((row) => (
              <RowView
                key={row.id}
                row={row}
                from={from}
                to={to}
                refs={refs}
                leader={leader}
                progress={row.id === leaderId ? undefined : progress.get(row.id)}
                cellW={cellW}
                cursor={cursor?.node === row.id ? cursor.index : 0}
                focusIndex={focusIndex}
              />
            ))}
          </div>
        </div>
      </div>
      {open !== undefined && openRow !== undefined && (
        <CellDetails
          row={openRow}
          cell={cellOf(openRow, open.index, referenceTerms(rows, leader, open.index, open.index + 1)[0], leader)}
          onClose={() => {
            setOpen(undefined);
            scroller.current?.focus();
          }}
        />
      )}
      <div className="log-legend lm-legend" aria-label="Log matrix legend">
        <span>
          <i className="lg lg-committed" aria-hidden="true" /> committed
        </span>
        <span>
          <i className="lg lg-uncommitted" aria-hidden="true" /> not committed
        </span>
        <span>
          <i className="lg lg-unstable" aria-hidden="true" /> unstable (?)
        </span>
        <span>
          <i className="lg lg-applied" aria-hidden="true" /> applied
        </span>
        <span>
          <i className="lg lg-conflict" aria-hidden="true" /> ≠ conflicts with the leader
        </span>
        <span>
          <i className="lg lg-snap" aria-hidden="true" /> snapshot
        </span>
        <span title="Letters under the cells">c commit · a applied · p persisted · m/n leader's match/next</span>
      </div>
    </div>
  );
}
