// One node of the cluster view. A memo component that reads its own record from the
// store by id: when another node changes, this one does not re-render (the cluster
// slice reuses unchanged NodeView objects).
//
// Encoding (each role has a shape AND a colour AND a text label):
//   follower      plain circle
//   pre-candidate dashed circle
//   candidate     circle inside a second ring
//   leader        thick border and a crown
//   learner       smaller hollow circle
//   crashed       grey, crossed out;  paused: faded with a pause bar
// The term is printed in a badge coloured from the term palette (theme.ts), the
// election timer is an arc that shrinks as electionElapsed nears the randomized timeout.
// A node can be dragged (ClusterView handles the pointer); a click without movement
// still opens its menu.

import { arc } from 'd3-shape';
import { memo } from 'react';
import { closeNodeMenu, hoverNode, openNodeMenu, selectNode, selectNodeId, useRaft, type NodeView } from '../store';
import { selectNodeLit, selectNodeMenu, selectProjector, selectSelectedNode } from '../store';
import { labelBlockHeight, labelPlacement } from './layout';
import { clusterGeometry, roleLabel, termColor } from '../theme';

const timerArc = arc<{ innerRadius: number; outerRadius: number; startAngle: number; endAngle: number }>();

function roleClass(v: NodeView): string {
  if (v.status !== 'alive') return 'role-down';
  if (v.state === 'StateLeader') return 'role-leader';
  if (v.state === 'StateCandidate') return 'role-candidate';
  if (v.state === 'StatePreCandidate') return 'role-precandidate';
  if (v.isLearner) return 'role-learner';
  return 'role-follower';
}

/** Fraction of the election timeout still left (1 = just reset, 0 = about to fire). */
function timerLeft(v: NodeView): number {
  if (!v.alive || v.randomizedElectionTimeout <= 0) return 0;
  return Math.max(0, 1 - v.electionElapsed / v.randomizedElectionTimeout);
}

export interface NodeGlyphProps {
  id: number;
  x: number;
  y: number;
  /** Direction from the ring's centre: the label goes on that side. */
  angle: number;
  /** Number of nodes (the label placement depends on it). */
  count: number;
  /** The node's partition group ('A', 'B'…), undefined while the network is whole. */
  group?: string | undefined;
  /** Being dragged right now. */
  dragging?: boolean;
}

export const NodeGlyph = memo(function NodeGlyph({ id, x, y, angle, count, group, dragging = false }: NodeGlyphProps) {
  const v = useRaft(selectNode(id));
  const projector = useRaft(selectProjector);
  const selected = useRaft(selectSelectedNode) === id;
  const hovered = useRaft(selectNodeLit(id));
  const menuOpen = useRaft(selectNodeMenu) === id;
  if (v === undefined) return null;
  const learner = v.isLearner && v.state !== 'StateLeader';
  const r = learner ? clusterGeometry.learnerRadius : clusterGeometry.nodeRadius;
  const label = roleLabel(v.state, {
    isLearner: v.isLearner,
    status: v.status,
    paused: v.paused,
    panicked: v.panic !== undefined,
  });
  const left = timerLeft(v);
  const showTimer = v.alive && v.state !== 'StateLeader';
  const cls = [
    'node',
    roleClass(v),
    v.paused ? 'is-paused' : '',
    v.alive ? '' : 'is-down',
    selected ? 'is-selected' : '',
    hovered ? 'is-hovered' : '',
    dragging ? 'is-dragging' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const open = () => {
    selectNodeId(id);
    if (menuOpen) closeNodeMenu();
    else openNodeMenu(id);
  };
  const title =
    `Node ${id}: ${label}` +
    (group === undefined ? '' : ` in group ${group}`) +
    `, term ${v.term}` +
    (v.alive ? `, vote ${v.vote || 'none'}, leader ${v.lead || 'unknown'}` : '') +
    `, commit ${v.commit}, applied ${v.applied}, last index ${v.lastIndex}` +
    (showTimer ? `, election timer ${v.electionElapsed}/${v.randomizedElectionTimeout} ticks` : '') +
    '. Click for actions; drag to another group or away to partition (n: next group).';
  return (
    <g
      className={cls}
      transform={`translate(${x},${y})`}
      data-testid={`node-${id}`}
      data-state={v.state ?? 'none'}
      data-term={v.term}
      data-commit={v.commit}
      data-applied={v.applied}
      data-alive={v.alive ? 'true' : 'false'}
      data-paused={v.paused ? 'true' : 'false'}
      data-group={group}
      role="button"
      tabIndex={0}
      aria-label={title}
      aria-haspopup="menu"
      aria-expanded={menuOpen}
      onClick={(e) => {
        e.stopPropagation();
        open();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          e.stopPropagation();
          open();
        }
      }}
      onPointerEnter={() => hoverNode(id)}
      onPointerLeave={() => hoverNode(0)}
    >
      <title>{title}</title>
      {/* Selection halo. */}
      <circle className="node-halo" r={r + 16} />
      {showTimer && (
        <>
          <circle className="node-timer-track" r={r + 8} />
          <path
            className="node-timer"
            d={timerArc({ innerRadius: r + 5, outerRadius: r + 11, startAngle: 0, endAngle: 2 * Math.PI * left }) ?? ''}
          />
        </>
      )}
      {v.state === 'StateCandidate' && v.alive && <circle className="node-ring2" r={r + 5} />}
      <circle className="node-body" r={r} />
      {v.state === 'StateLeader' && v.alive && (
        <path
          className="node-crown"
          d={`M-16,${-r - 6} L-16,${-r - 22} L-8,${-r - 13} L0,${-r - 26} L8,${-r - 13} L16,${-r - 22} L16,${-r - 6} Z`}
        />
      )}
      <text className="node-id" dy="0.35em">
        {id}
      </text>
      {v.status === 'crashed' && (
        <path
          className="node-cross"
          d={`M${-r * 0.6},${-r * 0.6} L${r * 0.6},${r * 0.6} M${r * 0.6},${-r * 0.6} L${-r * 0.6},${r * 0.6}`}
        />
      )}
      {v.paused && v.alive && (
        <g className="node-pausebars" transform={`translate(${r - 2},${-r + 2})`}>
          <rect x={-7} y={-8} width={14} height={16} rx={3} className="node-pause-bg" />
          <rect x={-4} y={-5} width={3} height={10} />
          <rect x={1} y={-5} width={3} height={10} />
        </g>
      )}
      <NodeLabel
        angle={angle}
        count={count}
        r={r}
        scale={projector ? 1.3 : 1}
        term={v.term}
        label={label}
        indices={`c${v.commit} a${v.applied} · last ${v.lastIndex}`}
      />
    </g>
  );
});

/** The text block beside a node, on the outer side of the ring: term badge, role, indices. */
function NodeLabel({
  angle,
  count,
  r,
  scale,
  term,
  label,
  indices,
}: {
  angle: number;
  count: number;
  r: number;
  scale: number;
  term: number;
  label: string;
  indices: string;
}) {
  const pl = labelPlacement(angle, r, count === 1, count);
  const h = labelBlockHeight * scale;
  const top = pl.grow === 'down' ? pl.dy : pl.grow === 'up' ? pl.dy - h : pl.dy - h / 2;
  const tc = termColor(term);
  const text = `term ${term}`;
  const bw = (text.length * 7.4 + 14) * scale;
  const bh = 22 * scale;
  const bx = pl.anchor === 'start' ? pl.dx : pl.anchor === 'end' ? pl.dx - bw : pl.dx - bw / 2;
  return (
    <g className="node-label" style={{ textAnchor: pl.anchor }}>
      {/* Term badge: colour from the term palette, number always printed. */}
      <g className="node-term">
        <rect x={bx} y={top} width={bw} height={bh} rx={bh / 2} fill={tc.hex} />
        <text x={bx + bw / 2} y={top + bh / 2} dy="0.35em" fill={tc.ink} style={{ textAnchor: 'middle' }}>
          {text}
        </text>
      </g>
      <text className="node-role" x={pl.dx} y={top + 35 * scale} dy="0.35em">
        {label}
      </text>
      <text className="node-indices" x={pl.dx} y={top + 52 * scale} dy="0.35em">
        {indices}
      </text>
    </g>
  );
}
