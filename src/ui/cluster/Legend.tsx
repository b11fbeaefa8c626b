// What the shapes, colours and marks of the cluster view mean: a strip under the view
// (it takes its own space, so it never covers a node).

import { useState, type ReactNode } from 'react';
import { termPalette } from '../theme';

function Icon({ children, label }: { children: ReactNode; label: string }) {
  return (
    <span className="legend-item">
      <svg className="legend-icon" viewBox="-12 -14 24 26" aria-hidden="true">
        {children}
      </svg>
      {label}
    </span>
  );
}

export function Legend() {
  const [open, setOpen] = useState(true);
  return (
    <div className={`legend${open ? '' : ' is-closed'}`} data-testid="legend" aria-label="Legend">
      <button
        type="button"
        className="legend-toggle small ghost"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        title="Show or hide the legend"
      >
        Legend {open ? '▾' : '▸'}
      </button>
      {open && (
        <>
          <Icon label="Follower">
            <g className="node role-follower">
              <circle className="node-body" r={8} />
            </g>
          </Icon>
          <Icon label="PreCandidate">
            <g className="node role-precandidate">
              <circle className="node-body" r={8} />
            </g>
          </Icon>
          <Icon label="Candidate">
            <g className="node role-candidate">
              <circle className="node-ring2" r={10} />
              <circle className="node-body" r={7} />
            </g>
          </Icon>
          <Icon label="Leader">
            <g className="node role-leader" transform="translate(0,3)">
              <circle className="node-body" r={7} />
              <path className="node-crown" d="M-6,-8 L-6,-14 L-3,-11 L0,-15 L3,-11 L6,-14 L6,-8 Z" />
            </g>
          </Icon>
          <Icon label="Learner">
            <g className="node role-learner">
              <circle className="node-body" r={6} />
            </g>
          </Icon>
          <Icon label="Crashed">
            <g className="node role-down is-down">
              <circle className="node-body" r={8} />
              <path className="node-cross" d="M-5,-5 L5,5 M5,-5 L-5,5" />
            </g>
          </Icon>
          <Icon label="Election timer">
            <circle
              r={8}
              fill="none"
              stroke="var(--timer)"
              strokeWidth={3}
              strokeDasharray="38 60"
              transform="rotate(-90)"
            />
          </Icon>
          <Icon label="Cut link">
            <line className="link-line link-cut" x1={-11} y1={0} x2={11} y2={0} />
          </Icon>
          <Icon label="Partition group (drag a node to regroup)">
            <rect className="partition-group partition-group-1" x={-11} y={-9} width={22} height={18} rx={8} />
          </Icon>
          <Icon label="Message (✗ rejected)">
            <g className="msg msg-cat-replication">
              <rect x={-11} y={-6} width={22} height={12} rx={6} />
            </g>
          </Icon>
          <span
            className="legend-terms"
            title="Terms cycle through Okabe–Ito's colour-blind-safe palette; the number is always printed"
          >
            Terms
            {termPalette.map((c, i) => (
              <span key={c.name} className="legend-term" style={{ background: c.hex, color: c.ink }}>
                {i + 1}
              </span>
            ))}
            …
          </span>
        </>
      )}
    </div>
  );
}
