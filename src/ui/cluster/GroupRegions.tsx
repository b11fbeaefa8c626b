// The partition groups, drawn behind the links and nodes: a soft region around each
// group's nodes (their convex hull grown by regionPad) labelled "group A: 1 2" (more than
// five nodes are counted, "group A: 7 nodes"; a node's title names its group). Nothing
// is drawn while the network is whole.
//
// While a node is dragged the regions become drop targets: each group's region without
// the dragged node, the one it would join (or stay in) highlighted, a dashed ring where
// the node was picked up ("no change"), and a dashed ring around the node when releasing
// it would give it a group of its own. The same functions (partitionDrag.ts) decide what
// a drop does, so what is drawn is what happens.

import { memo } from 'react';
import type { NodePlace, Point } from './layout';
import { dropRegions, groupIndexOf, groupName, regionPad, regionPath, type Groups } from './partitionDrag';
import { labelObstacles, placeRegionLabels } from './partitionLabels';
import type { NodeDrag } from './partitionPointer';

interface Props {
  groups: Groups;
  /** Where the nodes are when nothing is dragged: the regions are drawn around these. */
  positions: ReadonlyMap<number, Point>;
  /** Where the nodes are drawn now (the dragged one under the pointer): labels avoid them. */
  shown: ReadonlyMap<number, NodePlace>;
  view: { width: number; height: number };
  /** Text scale (1, or 1.3 in projector mode). */
  scale: number;
  drag: NodeDrag | undefined;
}

interface Shape {
  key: string;
  kind: 'region' | 'ring';
  /** Colour index (the group's index), for regions. */
  i: number;
  points: Point[];
  label: string;
  testId: string;
  target: boolean;
}

/** A group's nodes for its label: listed up to five, else counted. */
function members(ids: readonly number[]): string {
  return ids.length <= 5 ? ids.join(' ') : `${ids.length} nodes`;
}

/** What to draw: the groups' regions, or while dragging the drop targets. */
function shapes(groups: Groups, positions: ReadonlyMap<number, Point>, drag: NodeDrag | undefined): Shape[] {
  const at = (ids: readonly number[]) => ids.flatMap((id) => positions.get(id) ?? []);
  if (drag === undefined) {
    if (groups.length <= 1) return [];
    return groups.map((g, i) => ({
      key: g.join(','),
      kind: 'region',
      i,
      points: at(g),
      label: `group ${groupName(i)}: ${members(g)}`,
      testId: `partition-group-${i}`,
      target: false,
    }));
  }
  const t = drag.target;
  const joining =
    t.kind === 'join' ? t.group : t.kind === 'stay' && t.near === 'group' ? groupIndexOf(groups, drag.id) : -1;
  const out: Shape[] = dropRegions(groups, drag.id, positions).map(({ group, points }) => {
    const rest = members(groups[group]!.filter((m) => m !== drag.id));
    const target = group === joining;
    const label = target
      ? `drop: ${t.kind === 'join' ? 'join' : 'stay with'} ${rest}`
      : `group ${groupName(group)}: ${rest}`;
    return { key: `g${group}`, kind: 'region', i: group, points, label, testId: `drop-group-${group}`, target };
  });
  const home = t.kind === 'stay' && t.near === 'origin';
  out.push({
    key: 'origin',
    kind: 'ring',
    i: 0,
    points: [drag.origin],
    label: home ? 'drop: no change' : '',
    testId: 'drop-origin',
    target: home,
  });
  if (t.kind === 'alone')
    out.push({
      key: 'new',
      kind: 'ring',
      i: 0,
      points: [drag.point],
      label: 'drop: a group of its own',
      testId: 'drop-new',
      target: true,
    });
  return out;
}

export const GroupRegions = memo(function GroupRegions({ groups, positions, shown, view, scale, drag }: Props) {
  const list = shapes(groups, positions, drag);
  if (list.length === 0) return null;
  const labelled = list.filter((s) => s.label !== '');
  const spots = placeRegionLabels(
    labelled.map((s) => ({ text: s.label, points: s.points })),
    labelObstacles(shown.values(), shown.size, scale),
    view,
    regionPad,
    scale,
  );
  const spotOf = new Map(labelled.map((s, k) => [s.key, spots[k]!]));
  return (
    <g className={`partition-groups${drag === undefined ? '' : ' is-dragging'}`} aria-hidden="true">
      {list.map((s) => {
        const p = s.points[0]!;
        const spot = spotOf.get(s.key);
        const cls = s.target ? ' is-target' : '';
        return (
          <g
            key={s.key}
            className={
              s.kind === 'region' ? `partition-region partition-region-${s.i % 4}${cls}` : `partition-ring${cls}`
            }
            data-testid={s.kind === 'ring' ? s.testId : undefined}
          >
            {s.kind === 'region' ? (
              <path
                className={`partition-group partition-group-${s.i % 4}`}
                d={regionPath(s.points, regionPad)}
                data-testid={s.testId}
              />
            ) : (
              <circle cx={p.x} cy={p.y} r={regionPad} />
            )}
            {spot !== undefined && (
              <text className="partition-label" x={spot.x} y={spot.y} dy="0.35em">
                {s.label}
              </text>
            )}
          </g>
        );
      })}
    </g>
  );
});
