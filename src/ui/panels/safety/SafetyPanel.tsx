// The safety panel: Raft's safety properties, live, and the client history.
//
// Each property is a row: green "holds" or red "violated at step N" (a button that
// seeks there), with a sentence saying what the property means. Below, the key-value
// client history: one lane per client, each operation a bar from invocation to
// completion; a diamond marks where the linearizability checker placed it, or a red
// rule where no order works. Local reads that may be stale are labelled "stale?".
//
// The checks run in engine.ts, off the render path; this component only draws.

import { useEffect, useMemo, useRef, useState } from 'react';
import { selectClusterTime, selectHistory, selectProjector, useRaft } from '../../store';
import { seekTo } from '../../timeline/runData';
import { useSafetyReport } from './engine';
import type { CheckStatus, InvariantRow } from './report';
import { layoutHistory, opLabel, type OpBar } from './lanes';
import './safety.css';

const statusText: Record<CheckStatus, string> = {
  ok: 'holds',
  violated: 'violated',
  waiting: 'waiting',
  unavailable: 'not checked',
};

function fmt(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(2);
}

function Row({ row }: { row: InvariantRow }) {
  return (
    <li className={`sf-row sf-${row.status}`} data-testid={`safety-${row.id}`} data-status={row.status}>
      <span className="sf-badge" aria-hidden="true">
        {row.status === 'ok' ? '✓' : row.status === 'violated' ? '✕' : row.status === 'waiting' ? '…' : '–'}
      </span>
      <div className="sf-text">
        <div className="sf-title">
          <strong>{row.title}</strong> <span className="sf-status">{statusText[row.status]}</span>
          {row.status === 'violated' && row.step !== undefined && (
            <button
              type="button"
              className="sf-seek"
              onClick={() => void seekTo(row.step!)}
              data-testid={`safety-seek-${row.id}`}
            >
              go to step {row.step}
              {row.time !== undefined ? ` (t=${fmt(row.time)})` : ''}
            </button>
          )}
        </div>
        <div className="sf-explain">{row.detail !== undefined && row.status !== 'ok' ? row.detail : row.explain}</div>
      </div>
    </li>
  );
}

function HistoryLanes() {
  const history = useRaft(selectHistory);
  const now = useRaft(selectClusterTime);
  const projector = useRaft(selectProjector);
  const report = useSafetyReport();
  const lin = report?.linearizability;
  const points = lin?.points;
  const layout = useMemo(() => layoutHistory(history, now, points ?? new Map()), [history, now, points]);
  const laneH = projector ? 34 : 26;
  const left = projector ? 56 : 44;
  // Drawn at the container's pixel width, so text keeps its CSS size (projector too).
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(440);
  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    setWidth(Math.max(240, el.clientWidth));
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setWidth(Math.max(240, el.clientWidth)));
    ro.observe(el);
    return () => ro.disconnect();
  }, [layout.bars.length === 0]);
  const rowsTotal = layout.rows.reduce((a, b) => a + b, 0);
  const height = Math.max(1, rowsTotal) * laneH + 26;
  const x = (t: number) => left + ((t - layout.t0) / Math.max(1e-9, layout.t1 - layout.t0)) * (width - left - 10);
  const laneTop: number[] = [];
  let acc = 0;
  for (const r of layout.rows) {
    laneTop.push(acc);
    acc += r * laneH;
  }
  if (layout.bars.length === 0)
    return (
      <p className="sf-empty" data-testid="safety-history-empty">
        No client operations yet. Put or get a key from the Client panel to see the history here.
      </p>
    );
  const failBar = lin?.failOp !== undefined ? layout.bars.find((b) => b.op.id === lin.failOp) : undefined;
  const barClass = (b: OpBar) =>
    `sf-op sf-op-${b.op.kind}${b.pending ? ' sf-pending' : ''}${b.op.status === 'failed' ? ' sf-failed' : ''}${b.stale ? ' sf-stale' : ''}${failBar === b ? ' sf-nolin' : ''}`;
  return (
    <div ref={box} className="sf-history-box">
      <svg
        className="sf-history"
        viewBox={`0 0 ${width} ${height}`}
        width={width}
        height={height}
        role="img"
        aria-label={`Client history: ${layout.bars.length} operations by ${layout.clients.length} client${layout.clients.length === 1 ? '' : 's'}`}
        data-testid="safety-history"
      >
        {layout.clients.map((c, i) => (
          <g key={c} transform={`translate(0,${laneTop[i]!})`}>
            <rect className="sf-lane-bg" x={0} y={0} width={width} height={layout.rows[i]! * laneH} />
            <text className="sf-lane-label" x={6} y={laneH / 2} dominantBaseline="central">
              {c}
            </text>
          </g>
        ))}
        {layout.bars.map((b) => {
          const y0 = laneTop[b.lane]! + b.row * laneH + 4;
          const x0 = x(b.start);
          const w = Math.max(10, x(b.end) - x0);
          return (
            <g key={b.op.id} className={barClass(b)} data-testid={`safety-op-${b.op.id}`}>
              <title>
                {`${b.op.client} #${b.op.id} ${opLabel(b.op)} at node ${b.op.node}: invoked t=${fmt(b.start)}, ` +
                  (b.pending ? 'pending' : `${b.op.status} at t=${fmt(b.end)}`) +
                  (b.stale ? ' — local read, may be stale' : '') +
                  (b.point !== undefined ? `; linearized at t=${fmt(b.point)}` : '')}
              </title>
              <rect x={x0} y={y0} width={w} height={laneH - 8} rx={3} />
              <text x={x0 + 4} y={y0 + (laneH - 8) / 2} dominantBaseline="central" className="sf-op-label">
                {opLabel(b.op)}
                {b.stale ? ' · stale?' : ''}
              </text>
              {b.point !== undefined && (
                <path
                  className="sf-point"
                  d={`M${x(b.point)},${y0 - 3} l5,${(laneH - 8) / 2 + 3} l-5,${(laneH - 8) / 2 + 3} l-5,${-((laneH - 8) / 2 + 3)} Z`}
                />
              )}
            </g>
          );
        })}
        {lin?.failTime !== undefined && (
          <g className="sf-fail" data-testid="safety-lin-fail">
            <line x1={x(lin.failTime)} x2={x(lin.failTime)} y1={0} y2={height - 22} />
            <text x={x(lin.failTime) + 4} y={height - 8}>
              cannot be linearized here
            </text>
          </g>
        )}
        <g className="sf-axis" aria-hidden="true">
          <text x={left} y={height - 6}>
            t={fmt(layout.t0)}
          </text>
          <text x={width - 10} y={height - 6} textAnchor="end">
            t={fmt(layout.t1)}
          </text>
        </g>
      </svg>
    </div>
  );
}

export function SafetyPanel() {
  const report = useSafetyReport();
  const lin = report?.linearizability;
  const violated = report?.invariants.filter((r) => r.status === 'violated').length ?? 0;
  return (
    <div className="safety" data-testid="safety" data-violations={violated} data-step={report?.step ?? -1}>
      <h2 className="sf-h">Safety properties</h2>
      <p className="sf-summary" aria-live="polite" data-testid="safety-summary">
        {report === undefined
          ? 'Checking…'
          : violated === 0
            ? `No violation up to step ${report.step}.`
            : `${violated} propert${violated === 1 ? 'y is' : 'ies are'} violated.`}
      </p>
      <ul className="sf-list">
        {(report?.invariants ?? []).map((r) => (
          <Row key={r.id} row={r} />
        ))}
      </ul>
      <h2 className="sf-h">Client history</h2>
      <p
        className={`sf-lin sf-lin-${lin?.status ?? 'none'}`}
        data-testid="safety-linearizability"
        data-status={lin?.status ?? ''}
      >
        <strong>Linearizability:</strong>{' '}
        {lin === undefined
          ? 'checking…'
          : lin.status === 'ok'
            ? 'the history is linearizable (◆ marks where each operation took effect).'
            : lin.status === 'violated'
              ? `not linearizable${lin.detail !== undefined ? `: ${lin.detail}` : ''}.`
              : lin.status === 'undecided'
                ? 'undecided within the search budget.'
                : (lin.detail ?? 'not checked.')}
      </p>
      <HistoryLanes />
      {report !== undefined && (
        <p className="sf-foot">
          Checked at step {report.step} in {report.elapsedMs < 1 ? '<1' : Math.round(report.elapsedMs)} ms.
        </p>
      )}
    </div>
  );
}
