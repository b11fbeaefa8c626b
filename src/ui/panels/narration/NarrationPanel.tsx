// The narrated feed: one plain-language line per meaningful protocol event, oldest
// first, written by src/explain (this panel adds only its chrome). A click (or Enter)
// on a line seeks to its step; pointing at it (or focusing it) highlights the nodes and
// messages it names in the cluster view. Lines after the current step (after seeking
// back) are dimmed. Filters: routine work (minor lines) on or off, one node only.
//
// The list is virtualised: rows wrap, their heights are estimated (feedLayout.ts) and
// only those in view are in the DOM. It follows new lines while scrolled to the bottom.

import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { NarrationLine } from '../../../explain/types';
import {
  noHighlight,
  selectNodeIds,
  selectProjector,
  selectStep,
  setActivePanel,
  setHighlight,
  useRaft,
} from '../../store';
import { seekTo } from '../../timeline/runData';
import { WideToggle } from '../logs/LogsPanel';
import { useNarration } from './feed';
import { layoutFeed, windowRows, type FeedLayout } from './feedLayout';
import './narration.css';

const widths = new Map<string, number>();
let ctx2d: CanvasRenderingContext2D | null | undefined;
let family: string | undefined;

/**
 * Word widths in the lines' font (canvas measureText, cached per word and size), 2 % wider
 * to be safe: a row rather gets a little spare room than clips its last line.
 */
function textMeasure(px: number): (t: string) => number {
  return (t) => {
    const key = `${px}|${t}`;
    let w = widths.get(key);
    if (w === undefined) {
      ctx2d ??= typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
      if (ctx2d === null) return t.length * px * 0.6;
      family ??= getComputedStyle(document.body).fontFamily;
      ctx2d.font = `500 ${px}px ${family}`;
      w = ctx2d.measureText(t).width * 1.02;
      if (widths.size > 20_000) widths.clear();
      widths.set(key, w);
    }
    return w;
  };
}

const Line = memo(function Line({
  line,
  top,
  height,
  future,
}: {
  line: NarrationLine;
  top: number;
  height: number;
  future: boolean;
}) {
  const lit = () => setHighlight({ nodes: line.nodes, messages: line.messages });
  return (
    <div role="listitem" className="nl-row" style={{ top, height }}>
      <button
        type="button"
        className={`nl-line nl-${line.level}${future ? ' is-future' : ''}`}
        data-testid="narration-line"
        data-step={line.step}
        data-seq={line.seq}
        data-kind={line.kind}
        data-nodes={line.nodes.join(' ')}
        title={`Step ${line.step}, t=${line.time}. Click to go to this step.`}
        onClick={() => void seekTo(line.step)}
        onPointerEnter={lit}
        onPointerLeave={() => setHighlight(noHighlight)}
        onFocus={lit}
        onBlur={() => setHighlight(noHighlight)}
      >
        <span className="nl-step" aria-label={`step ${line.step}`}>
          {line.step}
        </span>
        <span className="nl-text">{line.text}</span>
      </button>
    </div>
  );
});

export function NarrationPanel() {
  const { lines, version } = useNarration();
  const ids = useRaft(selectNodeIds);
  const step = useRaft(selectStep);
  const projector = useRaft(selectProjector);
  const [routine, setRoutine] = useState(false);
  const [only, setOnly] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [size, setSize] = useState({ width: 400, height: 300 });
  const atBottom = useRef(true);

  const font = projector ? 18.2 : 14;
  // The text column: the row less the step badge (4.2em at 0.82em, a 1px border each
  // side), the 8px gap and the 8px paddings (narration.css).
  const aside = 4.2 * 0.82 * font + 2 + 8 + 16;
  const metrics = useMemo(
    () => ({
      width: Math.max(80, size.width - aside),
      measure: textMeasure(font),
      lineHeight: 1.35 * font,
      pad: 9,
    }),
    [size.width, font, aside],
  );
  const keep = useCallback(
    (l: NarrationLine) => (routine || l.level === 'major') && (only === 0 || l.nodes.includes(only)),
    [routine, only],
  );
  // Extended in place as lines arrive; rebuilt when a filter or the width changes, or lines were dropped.
  const layoutRef = useRef<{ layout: FeedLayout<NarrationLine>; keep: typeof keep; first: NarrationLine | undefined }>(
    undefined,
  );
  const layout = useMemo(() => {
    const prev = layoutRef.current;
    const same = prev !== undefined && prev.keep === keep && prev.first === lines[0];
    const l = layoutFeed(lines, keep, metrics, same ? prev.layout : undefined);
    layoutRef.current = { layout: l, keep, first: lines[0] };
    return l;
    // `version` is a dependency on purpose: the lines array grows in place.
  }, [lines, version, keep, metrics]);

  useEffect(() => {
    const el = scroller.current;
    if (el === null) return;
    const measure = () => setSize({ width: el.clientWidth, height: el.clientHeight });
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const total = layout.offsets[layout.offsets.length - 1]!;
  // Follow new lines while at the bottom. The target comes from the layout, not from the
  // DOM: reading scrollHeight here would force a layout on every update.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el === null || !atBottom.current) return;
    const target = Math.max(0, total - size.height);
    el.scrollTop = target;
    setScrollTop(target);
  }, [total, size.height]);

  // At the bottom: from the layout's height, not the DOM's (no forced layout while scrolling).
  const totalRef = useRef(total);
  totalRef.current = total;
  const onScroll = useCallback(() => {
    const el = scroller.current;
    if (el === null) return;
    atBottom.current = el.scrollTop + size.height >= totalRef.current - 24;
    setScrollTop(el.scrollTop);
  }, [size.height]);

  // Leaving the panel clears a highlight its lines set.
  useEffect(() => () => setHighlight(noHighlight), []);

  const { first, last } = windowRows(layout.offsets, scrollTop, size.height);
  const rows = [];
  for (let i = first; i < last; i++) {
    const l = layout.rows[i]!;
    const top = layout.offsets[i]!;
    rows.push(<Line key={l.seq} line={l} top={top} height={layout.offsets[i + 1]! - top} future={l.step > step} />);
  }

  return (
    <div className="narration" data-testid="narration">
      <div className="panel-head nl-head">
        <label className="nl-check" title="Also show routine work: entries sent and acknowledged, persisted, applied">
          <input
            type="checkbox"
            checked={routine}
            onChange={(e) => setRoutine(e.target.checked)}
            data-testid="narration-routine"
          />
          routine work
        </label>
        <label className="nl-only">
          <span>node</span>
          <select value={only} onChange={(e) => setOnly(Number(e.target.value))} data-testid="narration-node">
            <option value={0}>all</option>
            {ids.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <span className="nl-tools">
          <button
            type="button"
            className="small"
            data-testid="narration-etcd"
            title="etcd's own log lines, as each node's raft library printed them"
            onClick={() => setActivePanel('events')}
          >
            etcd's words
          </button>
          <WideToggle />
        </span>
      </div>
      <p className="nl-count muted" data-testid="narration-count">
        {layout.rows.length} of {lines.length} lines · click a line to go to its step
      </p>
      <div
        className="nl-scroller"
        ref={scroller}
        onScroll={onScroll}
        tabIndex={-1}
        role="region"
        aria-label="What happened, in words, oldest first"
      >
        <div className="nl-inner" role="list" style={{ height: total }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
