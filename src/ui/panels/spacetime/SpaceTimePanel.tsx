// The space-time (Lamport) diagram: one vertical lane per node, time flowing down,
// every message an arrow from its send (on the sender's lane) to its delivery (on the
// receiver's lane). Dropped messages stop half-way with a ×; messages still in flight
// are dashed up to the present. Glyphs on the lanes mark a node becoming leader (★ and
// the term), crashing (✕), restarting (↻) and pausing (❚❚); network faults are
// horizontal rules across all lanes.
//
// The data comes from the cluster's typed event stream (messages.ts), read
// incrementally after each observation. Only the visible time window is drawn, and at most
// `maxDrawn` messages of it, so long runs stay fast.
//
// Zoom and pan: D3's zoom behaviour on the SVG (wheel, drag, pinch), attached in an
// effect and removed in its cleanup. Only its gestures are used: each zoom event is
// turned into a change of the window (its length and its end), so "follow the present"
// and the zoom level stay independent. The buttons do the same from the keyboard.
//
// Selection is shared with every other view: a lane's header selects the node (its
// lane and messages are highlighted, the rest dimmed); clicking an arrow picks the
// message (and selects it in the store while it is in flight, so the inspector shows
// it); the store's selected message is highlighted here when it comes from elsewhere.

import { pointer, select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import {
  controller,
  hoverNode,
  selectClusterTime,
  selectHoveredNode,
  selectNodeIds,
  selectNodeId,
  selectMessageId,
  selectObservation,
  selectProjector,
  selectSelectedMessage,
  selectSelectedNode,
  useRaft,
} from '../../store';
import { messageCategory, termColor } from '../../theme';
import { MarkIcon } from '../../timeline/icons';
import type { MarkKind } from '../../timeline/model';
import { SpaceTimeParser, visibleSpans, type MessageSpan, type NodeMark } from './messages';
import './spacetime.css';

/** At most this many arrows are drawn (the latest of the window). */
const maxDrawn = 1200;
const minSpan = 1;
const maxSpan = 20000;
const defaultSpan = 10;

const parser = new SpaceTimeParser();

interface View {
  /** Ticks shown. */
  span: number;
  /** Time at the bottom edge (when not following). */
  end: number;
  /** Keep the present at the bottom edge. */
  follow: boolean;
}

function useSize(ref: React.RefObject<HTMLElement | null>): { w: number; h: number } {
  const [size, setSize] = useState({ w: 0, h: 0 });
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    const read = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    read();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(read);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return size;
}

function fmt(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(2);
}

function spanTitle(s: MessageSpan): string {
  const end =
    s.fate === 'delivered'
      ? `delivered at t=${fmt(s.endTime!)}`
      : s.fate === 'dropped'
        ? `dropped (${s.dropReason ?? '?'}) at t=${fmt(s.endTime!)}`
        : `in flight, due t=${s.dueTime === undefined ? '?' : fmt(s.dueTime)}`;
  return `#${s.id} ${s.text}\nsent at t=${fmt(s.sendTime)}, ${end}`;
}

const markIcon: Record<NodeMark['kind'], MarkKind> = {
  leader: 'election',
  crash: 'crash',
  restart: 'restart',
  pause: 'pause',
  resume: 'resume',
  removed: 'crash',
  start: 'restart',
};

interface ArrowProps {
  s: MessageSpan;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  state: 'normal' | 'dim' | 'hot' | 'picked';
  onPick: (s: MessageSpan) => void;
}

/** One message; memo'd so that moving the window only re-renders arrows whose geometry changed. */
const Arrow = memo(function Arrow({ s, x1, x2, y1, y2, state, onPick }: ArrowProps) {
  const cat = messageCategory(s.type);
  const dropped = s.fate === 'dropped';
  const xe = dropped ? x1 + (x2 - x1) * 0.5 : x2;
  const ye = dropped ? Math.max(y2, y1 + 6) : y2;
  return (
    <g
      className={`st-msg st-cat-${cat} st-${s.fate} st-${state}`}
      data-testid={`spacetime-msg-${s.id}`}
      onClick={(e) => {
        e.stopPropagation();
        onPick(s);
      }}
    >
      <title>{spanTitle(s)}</title>
      <line className="st-hit" x1={x1} y1={y1} x2={xe} y2={ye} />
      <line
        className="st-line"
        x1={x1}
        y1={y1}
        x2={xe}
        y2={ye}
        markerEnd={dropped ? undefined : `url(#st-arrow-${cat})`}
      />
      {dropped && (
        <text className="st-cross" x={xe} y={ye} textAnchor="middle" dominantBaseline="central">
          ×
        </text>
      )}
      {state === 'picked' && (
        <text className="st-label" x={(x1 + xe) / 2} y={(y1 + ye) / 2 - 4} textAnchor="middle">
          {s.type}
        </text>
      )}
    </g>
  );
});

const categories = ['replication', 'election', 'heartbeat', 'snapshot', 'read', 'control'] as const;

/** The side panel. */
export function SpaceTimePanel() {
  const observation = useRaft(selectObservation);
  const now = useRaft(selectClusterTime);
  const nodeIds = useRaft(selectNodeIds);
  const selNode = useRaft(selectSelectedNode);
  const hovered = useRaft(selectHoveredNode);
  const selMsg = useRaft(selectSelectedMessage);
  const projector = useRaft(selectProjector);
  const body = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const { w, h } = useSize(body);
  const [view, setView] = useState<View>({ span: defaultSpan, end: 0, follow: true });
  const [picked, setPicked] = useState<number>(0);
  const [hideHeartbeats, setHideHeartbeats] = useState(false);

  // Read the cluster's new events up to the step shown, after each observation (a seek
  // rewinds). `observation` is the trigger: the events themselves are not in the store.
  const version = useMemo(() => {
    parser.sync(controller.cluster, observation?.step ?? Infinity);
    return parser.version;
  }, [observation]);

  const top = projector ? 34 : 26;
  const left = projector ? 56 : 44;
  const bottomPad = 10;
  const plotH = Math.max(10, h - top - bottomPad);
  // Following, the present is at the bottom edge; a run shorter than the window is
  // shown whole (from t=0) rather than squeezed into its top part.
  const end = view.follow ? Math.max(now, minSpan) : view.end;
  const t0 = view.follow ? Math.max(0, end - view.span) : end - view.span;
  const shownSpan = end - t0;

  // Zoom/pan gestures -> window changes. The handler reads the latest view through a ref.
  const viewRef = useRef({ view, end, now, plotH, top });
  viewRef.current = { view: { ...view, span: shownSpan }, end, now, plotH, top };
  useEffect(() => {
    const el = svgRef.current;
    if (el === null) return;
    const sel = select(el);
    let last: ZoomTransform = zoomIdentity;
    const behaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1e-6, 1e6])
      .filter((ev: Event) => ev.type === 'wheel' || ((ev as MouseEvent).button === 0 && ev.type !== 'dblclick'))
      .on('zoom', (ev: { transform: ZoomTransform; sourceEvent: Event | null }) => {
        const t = ev.transform;
        const { view: v, end: e, now: n, plotH: ph, top: tp } = viewRef.current;
        const ratio = t.k / last.k;
        const dy = t.y - last.y;
        last = t;
        if (ev.sourceEvent === null) return;
        if (Math.abs(ratio - 1) > 1e-9) {
          const span = Math.min(maxSpan, Math.max(minSpan, v.span / ratio));
          const py = pointer(ev.sourceEvent, el)[1];
          const f = Math.min(1, Math.max(0, (py - tp) / ph));
          const anchor = e - v.span + f * v.span;
          const newEnd = v.follow ? e : anchor + (1 - f) * span;
          setView({ span, end: newEnd, follow: v.follow });
        } else if (dy !== 0) {
          // Dragging down shows earlier times.
          const newEnd = e - (dy / ph) * v.span;
          if (newEnd >= n) setView({ span: v.span, end: n, follow: true });
          else setView({ span: v.span, end: Math.max(v.span * 0.5, newEnd), follow: false });
        }
      });
    sel.call(behaviour).on('dblclick.zoom', null);
    return () => {
      sel.on('.zoom', null);
    };
  }, []);

  const lanes = useMemo(() => {
    const ids = new Set<number>(nodeIds);
    for (const m of parser.marks) ids.add(m.node);
    return [...ids].sort((a, b) => a - b);
  }, [nodeIds, version]);
  const laneX = useMemo(() => {
    const m = new Map<number, number>();
    const n = lanes.length;
    const inner = Math.max(1, w - left - 24);
    lanes.forEach((id, i) => m.set(id, left + 12 + (n <= 1 ? inner / 2 : (i * inner) / (n - 1))));
    return m;
  }, [lanes, w, left]);
  const y = (t: number) => top + ((t - t0) / shownSpan) * plotH;

  const spans = useMemo(() => {
    const all = visibleSpans(parser, t0, end, maxDrawn * 2);
    const f = hideHeartbeats ? all.filter((s) => messageCategory(s.type) !== 'heartbeat') : all;
    return f.length > maxDrawn ? f.slice(f.length - maxDrawn) : f;
  }, [version, t0, end, hideHeartbeats]);

  const marks = useMemo(() => parser.marks.filter((m) => m.time >= t0 && m.time <= end), [version, t0, end]);
  const netMarks = useMemo(() => parser.network.filter((m) => m.time >= t0 && m.time <= end), [version, t0, end]);

  // Crashed intervals per lane (crash .. restart), drawn as a dotted lane.
  const downIntervals = useMemo(() => {
    const out: { node: number; from: number; to: number }[] = [];
    const open = new Map<number, number>();
    for (const m of parser.marks) {
      if (m.kind === 'crash' || m.kind === 'removed') open.set(m.node, m.time);
      else if (m.kind === 'restart' && open.has(m.node)) {
        out.push({ node: m.node, from: open.get(m.node)!, to: m.time });
        open.delete(m.node);
      }
    }
    for (const [node, from] of open) out.push({ node, from, to: Infinity });
    return out;
  }, [version]);

  const pickedSpan = picked !== 0 ? parser.spans.find((s) => s.id === picked) : undefined;
  const onPick = useMemo(
    () => (s: MessageSpan) => {
      setPicked((p) => (p === s.id ? 0 : s.id));
      selectMessageId(s.fate === 'in-flight' ? s.id : 0);
    },
    [],
  );

  const focusNode = selNode !== 0 ? selNode : hovered;
  const ticks = useMemo(() => {
    const step = niceStep(shownSpan / Math.max(2, plotH / 60));
    const out: number[] = [];
    for (let t = Math.ceil(t0 / step) * step; t <= end; t += step) if (t >= 0) out.push(t);
    return out;
  }, [t0, end, shownSpan, plotH]);

  const zoomBy = (k: number) =>
    setView((v) => {
      const span = Math.min(maxSpan, Math.max(minSpan, v.span * k));
      return { span, end: v.follow ? v.end : Math.max(span * 0.5, end), follow: v.follow };
    });
  const pan = (frac: number) => {
    const newEnd = end + frac * shownSpan;
    if (newEnd >= now) setView({ span: shownSpan, end: now, follow: true });
    else setView({ span: shownSpan, end: Math.max(shownSpan * 0.5, newEnd), follow: false });
  };

  return (
    <div className={`spacetime${projector ? ' spacetime-projector' : ''}`} data-testid="spacetime">
      <div className="st-toolbar" role="toolbar" aria-label="Space-time diagram view">
        <button type="button" onClick={() => zoomBy(0.5)} aria-label="Zoom in (shorter time window)" title="Zoom in">
          +
        </button>
        <button type="button" onClick={() => zoomBy(2)} aria-label="Zoom out (longer time window)" title="Zoom out">
          −
        </button>
        <button type="button" onClick={() => pan(-0.5)} aria-label="Show earlier time" title="Earlier">
          ▲
        </button>
        <button
          type="button"
          onClick={() => pan(0.5)}
          aria-label="Show later time"
          title="Later"
          disabled={view.follow}
        >
          ▼
        </button>
        <button
          type="button"
          aria-pressed={view.follow}
          onClick={() => setView((v) => ({ span: v.follow ? shownSpan : v.span, follow: !v.follow, end }))}
          data-testid="spacetime-follow"
          title="Keep the present at the bottom"
        >
          Follow
        </button>
        <label className="st-check">
          <input type="checkbox" checked={hideHeartbeats} onChange={(e) => setHideHeartbeats(e.target.checked)} />
          Hide heartbeats
        </label>
        <span className="st-window" aria-live="off">
          t={fmt(Math.max(0, t0))}…{fmt(end)}
        </span>
      </div>
      <div className="st-lanes-head" aria-label="Nodes">
        {lanes.map((id) => (
          <button
            key={id}
            type="button"
            className={`st-lane-btn${selNode === id ? ' is-on' : ''}`}
            style={{ left: (laneX.get(id) ?? 0) - 18 }}
            aria-pressed={selNode === id}
            aria-label={`Node ${id}: highlight its messages`}
            onClick={() => selectNodeId(id, true)}
            onMouseEnter={() => hoverNode(id)}
            onMouseLeave={() => hoverNode(0)}
            onFocus={() => hoverNode(id)}
            onBlur={() => hoverNode(0)}
          >
            {id}
          </button>
        ))}
      </div>
      <div className="st-body" ref={body}>
        <svg
          ref={svgRef}
          className="st-svg"
          width={w}
          height={Math.max(0, h)}
          role="img"
          aria-label={`Space-time diagram: ${spans.length} messages between ${lanes.length} nodes from t=${fmt(Math.max(0, t0))} to t=${fmt(end)}`}
          onClick={() => setPicked(0)}
        >
          <defs>
            {categories.map((c) => (
              <marker
                key={c}
                id={`st-arrow-${c}`}
                viewBox="0 0 10 10"
                refX="9"
                refY="5"
                markerWidth="6"
                markerHeight="6"
                orient="auto-start-reverse"
                className={`st-marker st-cat-${c}`}
              >
                <path d="M0,0 L10,5 L0,10 z" />
              </marker>
            ))}
          </defs>
          <g className="st-axis" aria-hidden="true">
            {ticks.map((t) => (
              <g key={t} transform={`translate(0,${y(t).toFixed(1)})`}>
                <line x1={left - 4} x2={w} />
                <text x={left - 8} textAnchor="end" dominantBaseline="central">
                  {fmt(t)}
                </text>
              </g>
            ))}
          </g>
          <g className="st-lanes" aria-hidden="true">
            {lanes.map((id) => {
              const x = laneX.get(id) ?? 0;
              return (
                <line
                  key={id}
                  className={`st-lane${focusNode === id ? ' st-lane-on' : ''}`}
                  x1={x}
                  x2={x}
                  y1={top - 4}
                  y2={top + plotH}
                />
              );
            })}
            {downIntervals
              .filter((d) => d.to >= t0 && d.from <= end)
              .map((d) => {
                const x = laneX.get(d.node) ?? 0;
                return (
                  <line
                    key={`${d.node}-${d.from}`}
                    className="st-lane-down"
                    x1={x}
                    x2={x}
                    y1={y(Math.max(d.from, t0))}
                    y2={y(Math.min(d.to, end))}
                  />
                );
              })}
          </g>
          <g className="st-net">
            {netMarks.map((m, i) => (
              <g key={`${m.time}-${i}`} transform={`translate(0,${y(m.time).toFixed(1)})`}>
                <title>{`t=${fmt(m.time)}: ${m.text}`}</title>
                <line x1={left} x2={w - 4} />
                <text x={w - 6} y={-4} textAnchor="end">
                  {m.text}
                </text>
              </g>
            ))}
          </g>
          <g className="st-msgs">
            {spans.map((s) => {
              const x1 = laneX.get(s.from);
              const x2 = laneX.get(s.to);
              if (x1 === undefined || x2 === undefined) return null;
              const endT = s.endTime ?? Math.min(now, s.dueTime ?? now);
              const related = focusNode !== 0 && (s.from === focusNode || s.to === focusNode);
              const state =
                s.id === picked || s.id === selMsg ? 'picked' : focusNode === 0 ? 'normal' : related ? 'hot' : 'dim';
              // In-flight arrows end part-way between the lanes, at the present.
              const frac =
                s.fate === 'in-flight' && s.dueTime !== undefined && s.dueTime > s.sendTime
                  ? Math.min(1, Math.max(0.05, (now - s.sendTime) / (s.dueTime - s.sendTime)))
                  : 1;
              const y1 = y(s.sendTime);
              const y2 = s.fate === 'in-flight' ? y1 + (y(s.dueTime ?? endT) - y1) * frac : y(endT);
              return (
                <Arrow
                  key={s.id}
                  s={s}
                  x1={x1}
                  x2={x1 + (x2 - x1) * frac}
                  y1={y1}
                  y2={y2}
                  state={state}
                  onPick={onPick}
                />
              );
            })}
          </g>
          <g className="st-marks">
            {marks.map((m, i) => {
              const x = laneX.get(m.node) ?? 0;
              const c = m.kind === 'leader' ? termColor(m.term) : undefined;
              return (
                <g
                  key={`${m.node}-${m.time}-${m.kind}-${i}`}
                  transform={`translate(${x.toFixed(1)},${y(m.time).toFixed(1)})`}
                  className={`st-mark st-mark-${m.kind}`}
                >
                  <title>{`t=${fmt(m.time)}: ${m.kind === 'leader' ? `${m.node} became leader in term ${m.term}` : m.text}`}</title>
                  {c !== undefined ? (
                    <>
                      <circle r={projector ? 11 : 8} fill={c.hex} className="st-leader-dot" />
                      <g className="st-leader-star" style={{ fill: c.ink }}>
                        <MarkIcon kind="election" size={projector ? 14 : 10} />
                      </g>
                      <text x={projector ? 14 : 11} dominantBaseline="central" className="st-mark-label">
                        {`T${m.term}`}
                      </text>
                    </>
                  ) : (
                    <>
                      <circle r={projector ? 11 : 8} className="st-mark-bg" />
                      <g className="st-mark-glyph">
                        <MarkIcon kind={markIcon[m.kind]} size={projector ? 12 : 9} />
                      </g>
                    </>
                  )}
                </g>
              );
            })}
          </g>
          {view.follow && <line className="st-now" x1={left} x2={w} y1={y(now)} y2={y(now)} aria-hidden="true" />}
        </svg>
      </div>
      <p className="st-detail" data-testid="spacetime-detail" aria-live="polite">
        {pickedSpan !== undefined
          ? spanTitle(pickedSpan).replace('\n', ' · ')
          : `${spans.length} message${spans.length === 1 ? '' : 's'} shown. Click an arrow for its details; wheel to zoom, drag to scroll in time.`}
      </p>
      <ul className="st-legend" aria-label="Message colours">
        {categories.map((c) => (
          <li key={c}>
            <svg width="22" height="10" aria-hidden="true" className={`st-cat-${c}`}>
              <line className="st-line" x1="1" y1="5" x2="21" y2="5" />
            </svg>
            {c}
          </li>
        ))}
        <li>× dropped</li>
        <li>- - in flight</li>
      </ul>
    </div>
  );
}

/** A round tick step (1, 2, 5 x 10^k) close to `raw`. */
function niceStep(raw: number): number {
  const p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-6))));
  const f = raw / p;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}
