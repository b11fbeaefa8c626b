// Links between every pair of nodes, and the partition groups behind them.
// A link is drawn once per pair: solid when up both ways, dashed red with a scissors
// mark when cut both ways, half red (with an arrow for the direction that still works)
// when only one direction is cut. Clicking a link cuts it (both directions), or
// restores it when it is down both ways.

import { line, polygonHull } from 'd3';
import { memo } from 'react';
import { controller, selectDownLinks, selectNodeIds, useRaft } from '../store';
import { partitionGroups, type Point } from './layout';

const pathOf = line<[number, number]>();

function groupPath(points: [number, number][]): string {
  if (points.length >= 3) {
    const hull = polygonHull(points);
    if (hull !== null) return `${pathOf(hull) ?? ''}Z`;
  }
  if (points.length === 2) return pathOf(points) ?? '';
  const p = points[0]!;
  return `M${p[0]},${p[1]}L${p[0] + 0.01},${p[1]}`;
}

export const LinksLayer = memo(function LinksLayer({ positions }: { positions: ReadonlyMap<number, Point> }) {
  const ids = useRaft(selectNodeIds);
  const down = useRaft(selectDownLinks);
  const groups = partitionGroups(ids, down);
  const pairs: [number, number][] = [];
  for (const a of ids) for (const b of ids) if (a < b) pairs.push([a, b]);
  return (
    <g className="links">
      {groups.length > 1 &&
        groups.map((g, i) => {
          const pts = g.map((id) => positions.get(id)).filter((p): p is Point => p !== undefined).map((p): [number, number] => [p.x, p.y]);
          return <path key={g.join(',')} className={`partition-group partition-group-${i % 4}`} d={groupPath(pts)} data-testid={`partition-group-${i}`} />;
        })}
      {pairs.map(([a, b]) => {
        const pa = positions.get(a);
        const pb = positions.get(b);
        if (pa === undefined || pb === undefined) return null;
        const abDown = down.has(`${a}>${b}`);
        const baDown = down.has(`${b}>${a}`);
        const state = abDown && baDown ? 'down' : abDown || baDown ? 'oneway' : 'up';
        const mx = (pa.x + pb.x) / 2;
        const my = (pa.y + pb.y) / 2;
        const title =
          state === 'up'
            ? `Link ${a}–${b} is up. Click to cut it (both directions).`
            : state === 'down'
              ? `Link ${a}–${b} is cut both ways. Click to restore it.`
              : `Link ${a}–${b}: ${abDown ? `${a}→${b}` : `${b}→${a}`} is cut, the other direction works. Click to cut both ways.`;
        return (
          <g
            key={`${a}-${b}`}
            className={`link link-${state}`}
            data-testid={`link-${a}-${b}`}
            data-state={state}
            role="button"
            tabIndex={-1}
            aria-label={title}
            onClick={(e) => {
              e.stopPropagation();
              void controller.toggleLink(a, b);
            }}
          >
            <title>{title}</title>
            <line className="link-hit" x1={pa.x} y1={pa.y} x2={pb.x} y2={pb.y} />
            {state === 'oneway' ? (
              <>
                {/* The half next to the sender of the cut direction is drawn cut. */}
                <line className={abDown ? 'link-line link-cut' : 'link-line'} x1={pa.x} y1={pa.y} x2={mx} y2={my} />
                <line className={baDown ? 'link-line link-cut' : 'link-line'} x1={mx} y1={my} x2={pb.x} y2={pb.y} />
              </>
            ) : (
              <line className={state === 'down' ? 'link-line link-cut' : 'link-line'} x1={pa.x} y1={pa.y} x2={pb.x} y2={pb.y} />
            )}
            {state !== 'up' && (
              <g transform={`translate(${mx},${my})`} className="link-mark">
                <circle r={10} />
                <text dy="0.35em">✕</text>
              </g>
            )}
          </g>
        );
      })}
    </g>
  );
});
