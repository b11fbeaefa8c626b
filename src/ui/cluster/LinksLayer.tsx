// Links between every pair of nodes (the partition groups behind them are GroupRegions).
// A link is drawn once per pair: solid when up both ways, dashed red with a scissors
// mark when cut both ways, half red (with an arrow for the direction that still works)
// when only one direction is cut. Clicking a link cuts it (both directions), or
// restores it when it is down both ways.

import { memo } from 'react';
import { controller, selectDownLinks, selectNodeIds, useRaft } from '../store';
import type { Point } from './layout';

export const LinksLayer = memo(function LinksLayer({ positions }: { positions: ReadonlyMap<number, Point> }) {
  const ids = useRaft(selectNodeIds);
  const down = useRaft(selectDownLinks);
  const pairs: [number, number][] = [];
  for (const a of ids) for (const b of ids) if (a < b) pairs.push([a, b]);
  return (
    <g className="links">
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
              <line
                className={state === 'down' ? 'link-line link-cut' : 'link-line'}
                x1={pa.x}
                y1={pa.y}
                x2={pb.x}
                y2={pb.y}
              />
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
