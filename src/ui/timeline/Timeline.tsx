// The timeline: a scrubber over the recorded run, under the cluster view.
//
// Each recorder step is one cell on the x axis (see model.ts), painted with the colour
// of the highest term at that step and the term's number printed inside wide enough
// bands. Marks above the bands show elections, crashes, restarts, partitions, heals
// and fork points; the part of the branch after the cursor (reached by seeking back)
// is dimmed, and a banner says that acting now starts a new branch.
//
// Seeking: click or drag (the seek happens on release; a replay costs time), or the
// keyboard on the focused scrubber: arrows step, Page Up/Down jump ten steps, Home/End
// go to the start and the end. The scrubber is an ARIA slider.

import { scaleLinear } from 'd3-scale';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { selectActions, selectBranches, selectClusterStatus, selectProjector, selectStep, useRaft } from '../store';
import { termColor } from '../theme';
import { InlineIcon, MarkIcon, NavIcon } from './icons';
import {
  TimelineBuilder,
  describeMarkGroup,
  describeStep,
  groupMarks,
  type MarkKind,
  type TimelineMark,
} from './model';
import { runHistory, seekBy, seekTo, useRunHistoryVersion, useSeekTarget } from './runData';
import './timeline.css';

const markNames: Record<MarkKind, string> = {
  election: 'election',
  crash: 'crash',
  restart: 'restart',
  partition: 'partition',
  cut: 'link cut',
  heal: 'heal',
  restore: 'link restored',
  pause: 'pause',
  resume: 'resume',
  fork: 'fork',
};

/** Width of the element, followed with a ResizeObserver. */
function useWidth(ref: React.RefObject<HTMLElement | null>): number {
  const [w, setW] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (el === null) return;
    setW(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setW(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

interface Geometry {
  bandY: number;
  bandH: number;
  markY: number;
  axisY: number;
  height: number;
  font: number;
}

// One object per mode, so that the memoised layers (Marks) see the same props from one
// render to the next: a fresh object each render made every seek redraw every mark.
const projectorGeometry: Geometry = { markY: 16, bandY: 32, bandH: 40, axisY: 90, height: 100, font: 18 };
const screenGeometry: Geometry = { markY: 12, bandY: 24, bandH: 28, axisY: 68, height: 76, font: 13 };

function geometry(projector: boolean): Geometry {
  return projector ? projectorGeometry : screenGeometry;
}

const Marks = memo(function Marks({
  marks,
  x,
  g,
}: {
  marks: readonly TimelineMark[];
  x: (s: number) => number;
  g: Geometry;
}) {
  // Marks closer than an icon's width share one marker (groupMarks): marks of one kind
  // show its icon with their count, mixed ones a badge with the count; the tooltip lists
  // them. A group spanning several pixels gets a bracket over the band from its first
  // to its last step.
  const groups = groupMarks(marks, x, g.font * 1.15);
  return (
    <g className="tl-marks" aria-hidden="true">
      {groups.map((grp) => {
        const n = grp.marks.length;
        const first = grp.marks[0]!;
        const w = grp.lastX - grp.x;
        const mixed = grp.marks.some((m) => m.kind !== first.kind);
        const badgeW = g.font * (0.45 + 0.42 * String(n).length);
        return (
          <g
            key={`${first.kind}-${first.step}`}
            className={`tl-mark tl-mark-${mixed ? 'mixed' : grp.kind}${n > 1 ? ' tl-mark-group' : ''}`}
            data-count={n}
            transform={`translate(${grp.x.toFixed(1)},0)`}
          >
            <title>{describeMarkGroup(grp)}</title>
            <line x1={0} x2={0} y1={g.markY + g.font * 0.6} y2={g.bandY + g.bandH} />
            {w >= 2 && <line className="tl-mark-span" x1={0} x2={w.toFixed(1)} y1={g.bandY} y2={g.bandY} />}
            {mixed ? (
              <g transform={`translate(0,${g.markY})`}>
                <rect
                  className="tl-mark-badge"
                  x={-badgeW / 2}
                  y={-g.font * 0.5}
                  width={badgeW}
                  height={g.font}
                  rx={g.font * 0.3}
                />
                <text textAnchor="middle" dominantBaseline="central" fontSize={g.font * 0.72}>
                  {n}
                </text>
              </g>
            ) : (
              <>
                <g transform={`translate(0,${g.markY})`}>
                  <MarkIcon kind={grp.kind} size={g.font} />
                </g>
                {n > 1 && (
                  <text className="tl-mark-count" x={g.font * 0.45} y={g.markY - g.font * 0.2} fontSize={g.font * 0.62}>
                    {n}
                  </text>
                )}
              </>
            )}
          </g>
        );
      })}
    </g>
  );
});

/** The bottom panel: header with the position and branch, the scrubber, and a legend. */
export function Timeline() {
  const status = useRaft(selectClusterStatus);
  const actions = useRaft(selectActions);
  const step = useRaft(selectStep);
  const branches = useRaft(selectBranches);
  const projector = useRaft(selectProjector);
  const version = useRunHistoryVersion();
  const pendingTarget = useSeekTarget();
  const wrap = useRef<HTMLDivElement>(null);
  const width = useWidth(wrap);
  const [preview, setPreview] = useState<number | undefined>(undefined);
  const dragging = useRef(false);

  // `version` changes when a step summary arrives (runHistory is mutable, read inside).
  // The builder redoes only the steps that changed since its last build.
  const builder = useRef<TimelineBuilder | null>(null);
  builder.current ??= new TimelineBuilder();
  const model = useMemo(() => builder.current!.build(actions, runHistory), [actions, version]);
  const g = geometry(projector);
  const pad = 12;
  const x = useMemo(
    () =>
      scaleLinear()
        .domain([0, model.total + 1])
        .range([pad, Math.max(pad + 1, width - pad)]),
    [model.total, width],
  );
  const xf = useCallback((s: number) => x(s), [x]);

  const stepAt = useCallback(
    (clientX: number, el: Element): number => {
      const r = el.getBoundingClientRect();
      const s = Math.floor(x.invert(clientX - r.left));
      return Math.max(0, Math.min(model.total, s));
    },
    [x, model.total],
  );

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
    e.currentTarget.focus();
    setPreview(stepAt(e.clientX, e.currentTarget));
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    if (!dragging.current) return;
    setPreview(stepAt(e.clientX, e.currentTarget));
  };
  const onPointerUp = (e: PointerEvent<SVGSVGElement>) => {
    if (!dragging.current) return;
    dragging.current = false;
    const s = stepAt(e.clientX, e.currentTarget);
    setPreview(undefined);
    if (s !== step) void seekTo(s);
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const moves: Record<string, () => void> = {
      ArrowLeft: () => void seekBy(-1),
      ArrowDown: () => void seekBy(-1),
      ArrowRight: () => void seekBy(1),
      ArrowUp: () => void seekBy(1),
      PageDown: () => void seekBy(-10),
      PageUp: () => void seekBy(10),
      Home: () => void seekTo(0),
      End: () => void seekTo(model.total),
    };
    const f = moves[e.key];
    if (f === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    f();
  };

  const shown = preview ?? pendingTarget ?? step;
  const inPast = step < model.total;
  const sum = runHistory.get(shown, actions);
  const valueText = describeStep(shown, actions, sum);
  const ticks =
    width > 0
      ? x.ticks(Math.max(2, Math.floor(width / 110))).filter((t) => Number.isInteger(t) && t <= model.total)
      : [];
  const curTime = step > 0 ? actions[step - 1]?.time : 0;

  return (
    <section
      className={`timeline${projector ? ' timeline-projector' : ''}`}
      aria-label="Timeline of the run"
      data-testid="timeline-panel"
    >
      <div className="tl-header">
        <h2 className="tl-title">Timeline</h2>
        <span className="tl-position" data-testid="timeline-position" aria-live="polite">
          step {step} / {model.total}
          {curTime !== undefined ? ` · t=${Number.isInteger(curTime) ? curTime : curTime.toFixed(2)}` : ''}
        </span>
        <span
          className="tl-branch"
          data-testid="timeline-branch"
          data-branches={branches}
          title="Each action taken after seeking back starts a new branch"
        >
          {branches === 0 ? 'main branch' : `branch ${branches + 1}`}
          {model.forks.length > 0 ? ` · forked at step ${model.forks[model.forks.length - 1]!.step}` : ''}
        </span>
        {inPast && (
          <span className="tl-past" data-testid="timeline-past" role="status">
            Viewing the past: acting now forks a new branch
          </span>
        )}
        <div className="tl-buttons">
          <button
            type="button"
            onClick={() => void seekTo(0)}
            disabled={status !== 'ready' || step === 0}
            aria-label="Go to the start of the run"
            title="Start (Home)"
          >
            <NavIcon kind="first" size={g.font} />
          </button>
          <button
            type="button"
            onClick={() => void seekBy(-1)}
            disabled={status !== 'ready' || step === 0}
            aria-label="Step back"
            data-testid="timeline-back"
            title="Step back (←)"
          >
            <NavIcon kind="back" size={g.font} />
          </button>
          <button
            type="button"
            onClick={() => void seekBy(1)}
            disabled={status !== 'ready' || !inPast}
            aria-label="Step forward"
            data-testid="timeline-forward"
            title="Step forward (→)"
          >
            <NavIcon kind="forward" size={g.font} />
          </button>
          <button
            type="button"
            onClick={() => void seekTo(model.total)}
            disabled={status !== 'ready' || !inPast}
            aria-label="Go to the latest step"
            data-testid="timeline-latest"
            title="Latest (End)"
          >
            <NavIcon kind="last" size={g.font} />
          </button>
        </div>
      </div>
      <div className="tl-track" ref={wrap}>
        <svg
          data-testid="timeline"
          className="tl-svg"
          width={Math.max(0, width)}
          height={g.height}
          role="slider"
          tabIndex={0}
          aria-label="Run position (recorder step)"
          aria-keyshortcuts="ArrowLeft ArrowRight ArrowUp ArrowDown PageUp PageDown Home End"
          aria-valuemin={0}
          aria-valuemax={model.total}
          aria-valuenow={shown}
          aria-valuetext={valueText}
          aria-disabled={status !== 'ready'}
          data-step={step}
          data-total={model.total}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            dragging.current = false;
            setPreview(undefined);
          }}
          onKeyDown={onKeyDown}
        >
          <defs>
            <pattern id="tl-unknown" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
              <rect width="6" height="6" className="tl-unknown-bg" />
              <line x1="0" y1="0" x2="0" y2="6" className="tl-unknown-line" />
            </pattern>
          </defs>
          {width > 0 && (
            <>
              <g className="tl-bands">
                {model.bands.map((b) => {
                  const x0 = x(b.from);
                  const w = Math.max(1, x(b.to) - x0);
                  const c = b.term === undefined ? undefined : termColor(b.term);
                  return (
                    <g key={b.from} data-testid="timeline-band" data-term={b.term ?? ''}>
                      <rect
                        x={x0}
                        y={g.bandY}
                        width={w}
                        height={g.bandH}
                        fill={c === undefined ? 'url(#tl-unknown)' : c.hex}
                        className="tl-band"
                      >
                        <title>
                          {b.term === undefined
                            ? `Steps ${b.from}–${b.to - 1}: not observed`
                            : `Steps ${b.from}–${b.to - 1}: term ${b.term}`}
                        </title>
                      </rect>
                      {c !== undefined && w > g.font * 2.6 && (
                        <text
                          x={x0 + w / 2}
                          y={g.bandY + g.bandH / 2}
                          fill={c.ink}
                          fontSize={g.font}
                          textAnchor="middle"
                          dominantBaseline="central"
                          className="tl-band-label"
                          aria-hidden="true"
                        >
                          {w > g.font * 5 ? `term ${b.term}` : `t${b.term}`}
                        </text>
                      )}
                    </g>
                  );
                })}
              </g>
              {inPast && (
                <rect
                  className="tl-future"
                  x={x(step + 1)}
                  y={g.bandY - 2}
                  width={Math.max(0, x(model.total + 1) - x(step + 1))}
                  height={g.bandH + 4}
                  data-testid="timeline-future"
                />
              )}
              <Marks marks={model.marks} x={xf} g={g} />
              <g className="tl-axis" aria-hidden="true">
                {ticks.map((t) => (
                  <g key={t} transform={`translate(${x(t + 0.5).toFixed(1)},${g.bandY + g.bandH})`}>
                    <line y2={5} />
                    <text y={g.font + 6} textAnchor="middle" fontSize={g.font * 0.9}>
                      {t}
                    </text>
                  </g>
                ))}
              </g>
              <g className="tl-cursor" transform={`translate(${x(step + 0.5).toFixed(1)},0)`} aria-hidden="true">
                <line y1={g.bandY - 6} y2={g.bandY + g.bandH + 6} />
                <path d={`M-7,${g.bandY - 12} L7,${g.bandY - 12} L0,${g.bandY - 3} Z`} />
              </g>
              {shown !== step && (
                <g className="tl-preview" transform={`translate(${x(shown + 0.5).toFixed(1)},0)`} aria-hidden="true">
                  <line y1={g.bandY - 6} y2={g.bandY + g.bandH + 6} />
                  <text y={g.axisY + 2} textAnchor="middle" fontSize={g.font}>
                    {`step ${shown}`}
                  </text>
                </g>
              )}
            </>
          )}
        </svg>
      </div>
      <ul className="tl-legend" aria-label="Timeline marks">
        {(['election', 'crash', 'restart', 'partition', 'heal', 'fork'] as const).map((k) => (
          <li key={k}>
            <InlineIcon kind={k} size={13} className={`tl-mark-${k}`} />
            {markNames[k]}
          </li>
        ))}
        <li title="Marks too close to draw apart share one marker; hover it for the list">
          <svg className="inline-icon tl-marks" width={20} height={14} viewBox="-10 -7 20 14" aria-hidden="true">
            <g className="tl-mark-mixed">
              <rect className="tl-mark-badge" x={-9} y={-6} width={18} height={12} rx={3.6} />
              <text textAnchor="middle" dominantBaseline="central" fontSize={9}>
                n
              </text>
            </g>
          </svg>
          several
        </li>
        <li className="tl-legend-hint">Click or drag to seek · ←/→ step · Home/End</li>
      </ul>
    </section>
  );
}
