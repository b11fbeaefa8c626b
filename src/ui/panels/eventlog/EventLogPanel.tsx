// The event log: etcd's own log lines ("2 became leader at term 3"), as the raft
// library in each node printed them, oldest first. Filters by node, by level and by
// text. The list is virtualized: rows have a fixed height, and only those in (or near)
// the viewport are in the DOM, so thousands of lines scroll as fast as ten. While the
// view is at the bottom it follows new lines; scrolling up holds it still.
//
// Selection is shared: a click on a line selects its node everywhere, and the lines
// of the selected node are highlighted here.

import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import {
  selectLogLines,
  selectNodeId,
  selectProjector,
  selectSelectedNode,
  setActivePanel,
  useRaft,
} from '../../store';
import { facets, filterLines, visibleRange, type LogFilter } from './filter';
import './eventlog.css';

function toggled<T>(s: ReadonlySet<T>, v: T): Set<T> {
  const n = new Set(s);
  if (n.has(v)) n.delete(v);
  else n.add(v);
  return n;
}

export function EventLogPanel() {
  const lines = useRaft(selectLogLines);
  const selNode = useRaft(selectSelectedNode);
  const projector = useRaft(selectProjector);
  const [filter, setFilter] = useState<LogFilter>({
    hiddenNodes: new Set(),
    hiddenLevels: new Set(['DEBUG']),
    text: '',
  });
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(300);
  const atBottom = useRef(true);
  const rowH = projector ? 30 : 23;

  const rows = useMemo(() => filterLines(lines, filter), [lines, filter]);
  const { nodes, levels } = useMemo(() => facets(lines), [lines]);
  const { first, last } = visibleRange(rows.length, rowH, scrollTop, viewport);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    setViewport(el.clientHeight);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setViewport(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Follow new lines while the view is at the bottom.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || !atBottom.current) return;
    el.scrollTop = el.scrollHeight;
    setScrollTop(el.scrollTop);
  }, [rows.length, rowH]);

  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el === null) return;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - rowH;
    setScrollTop(el.scrollTop);
  }, [rowH]);

  return (
    <div className="eventlog" data-testid="eventlog">
      <div className="el-filters">
        <fieldset className="el-group">
          <legend>Nodes</legend>
          {nodes.map((n) => (
            <label key={n} className="el-chip">
              <input
                type="checkbox"
                checked={!filter.hiddenNodes.has(n)}
                onChange={() => setFilter((f) => ({ ...f, hiddenNodes: toggled(f.hiddenNodes, n) }))}
                data-testid={`eventlog-node-${n}`}
              />
              {n}
            </label>
          ))}
        </fieldset>
        <fieldset className="el-group">
          <legend>Levels</legend>
          {levels.map((l) => (
            <label key={l} className="el-chip">
              <input
                type="checkbox"
                checked={!filter.hiddenLevels.has(l)}
                onChange={() => setFilter((f) => ({ ...f, hiddenLevels: toggled(f.hiddenLevels, l) }))}
                data-testid={`eventlog-level-${l}`}
              />
              {l}
            </label>
          ))}
        </fieldset>
        <label className="el-search">
          <span>Find</span>
          <input
            type="search"
            value={filter.text}
            placeholder="e.g. became leader"
            onChange={(e) => setFilter((f) => ({ ...f, text: e.target.value }))}
            data-testid="eventlog-search"
          />
        </label>
        <button
          type="button"
          className="small"
          onClick={() => setActivePanel('narration')}
          data-testid="eventlog-narration"
          title="The same run told in plain words"
        >
          Narration
        </button>
      </div>
      <p className="el-count" aria-live="polite" data-testid="eventlog-count">
        {rows.length} of {lines.length} lines
        {lines.length >= 500 ? ' (the most recent 500)' : ''}
      </p>
      <div
        className="el-scroller"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Raft log lines, oldest first"
      >
        <div className="el-inner" role="list" style={{ height: rows.length * rowH }}>
          {rows.slice(first, last).map((lineIndex, k) => {
            const i = first + k;
            const l = lines[lineIndex]!;
            return (
              <div
                key={lineIndex}
                role="listitem"
                aria-setsize={rows.length}
                aria-posinset={i + 1}
                className={`el-row el-level-${l.level}${selNode === l.node ? ' el-row-on' : ''}`}
                style={{ top: i * rowH, height: rowH }}
                title={l.text}
                onClick={() => selectNodeId(l.node, true)}
                data-testid="eventlog-row"
              >
                <span className="el-node">{l.node}</span>
                <span className="el-level">{l.level}</span>
                <span className="el-text">{l.text}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
