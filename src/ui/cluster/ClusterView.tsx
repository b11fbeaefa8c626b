// The cluster view: nodes on a circle, the links between them, messages in flight.
// React owns the SVG DOM; D3 provides the zoom behaviour (attached in an effect, with
// cleanup), shapes (arcs, hulls) and geometry. Per-node and per-message components are
// memo'd and read their own records by id, so a tick that changes one node re-renders
// that node only, and the per-frame motion of messages never re-renders anything.
//
// Nodes sit on a ring. Dragging a node partitions the network (partitionPointer.ts,
// partitionDrag.ts): a node dropped away from the others gets a group of its own, one
// dropped in another group's region joins it; the partition goes through the
// controller, and the groups drawn (GroupRegions) always come from the cluster's cut
// links. A dropped node stays where it was dropped while that partition holds
// (partitionLayout.ts); on heal every node goes back to the ring.

import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState } from 'react';
import {
  clearSelection,
  closeNodeMenu,
  selectClusterStatus,
  selectDownLinks,
  selectNodeIds,
  selectProjector,
  useRaft,
} from '../store';
import { clusterGeometry } from '../theme';
import { GroupRegions } from './GroupRegions';
import { groupedRingPositions, nodePositions, partitionGroups, type NodePlace } from './layout';
import { labelObstacles, placeFreeNode } from './partitionLabels';
import { groupName, regionsClear } from './partitionDrag';
import { syncLayout, usePins } from './partitionLayout';
import { useNodeDrag } from './partitionPointer';
import { LinksLayer } from './LinksLayer';
import { MessagesLayer } from './MessagesLayer';
import { NodeGlyph } from './NodeGlyph';
import { NodeMenu } from './NodeMenu';
import { MessageBar } from './MessageBar';
import { Legend } from './Legend';

export function ClusterView() {
  const ids = useRaft(selectNodeIds);
  const status = useRaft(selectClusterStatus);
  const projector = useRaft(selectProjector);
  const svgRef = useRef<SVGSVGElement>(null);
  // The SVG is drawn 1:1 in CSS pixels (text keeps its size); the ring fits the view.
  const [size, setSize] = useState<{ width: number; height: number }>({
    width: clusterGeometry.width,
    height: clusterGeometry.height,
  });
  useEffect(() => {
    const svg = svgRef.current;
    if (svg === null || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(([entry]) => {
      if (entry === undefined) return;
      const { width, height } = entry.contentRect;
      if (width > 0 && height > 0) setSize({ width: Math.round(width), height: Math.round(height) });
    });
    ro.observe(svg);
    return () => ro.disconnect();
  }, []);
  const scale = projector ? 1.3 : 1;
  // Below a minimum size the layout stops shrinking and the browser scales the drawing
  // down instead (smaller text rather than overlapping nodes).
  const box = { width: Math.max(size.width, 560 * scale), height: Math.max(size.height, 400 * scale) };
  const down = useRaft(selectDownLinks);
  const groups = useMemo(() => partitionGroups(ids, down), [ids, down]);
  // The down-link set keeps its identity until a link changes, and so does `groups`.
  useEffect(() => syncLayout(groups), [groups]);
  const pins = usePins();
  const frame = useMemo(() => ({ width: box.width, height: box.height, scale }), [box.width, box.height, scale]);
  // Where the nodes are drawn: on the ring; when the ring would draw a node inside
  // another group's region, each group on an arc of its own (partitions made by the
  // keyboard, the dialog or link clicks); after a drag, where the drag left them (pins).
  const placed = useMemo(() => {
    let out = nodePositions(ids, frame);
    if (groups.length > 1 && pins.size === 0 && !regionsClear(groups, out)) out = groupedRingPositions(groups, frame);
    // Nodes frozen by a drag keep their place and text side; the dropped node's text goes
    // where it covers nothing.
    const free: number[] = [];
    for (const id of ids) {
      const pin = pins.get(id);
      if (pin === undefined) continue;
      if (pin.angle === undefined) free.push(id);
      else out.set(id, { x: pin.fx * frame.width, y: pin.fy * frame.height, angle: pin.angle });
    }
    if (free.length === 0) return out;
    const obstacles = labelObstacles(
      ids.filter((id) => !free.includes(id)).map((id) => out.get(id)!),
      ids.length,
      scale,
    );
    for (const id of free) {
      const pin = pins.get(id)!;
      const place = placeFreeNode({ x: pin.fx * frame.width, y: pin.fy * frame.height }, ids.length, frame, obstacles);
      out.set(id, place);
      obstacles.push(...labelObstacles([place], ids.length, scale));
    }
    return out;
  }, [ids, groups, frame, scale, pins]);
  const sceneRef = useRef<SVGGElement>(null);
  const { drag, onPointerDown } = useNodeDrag({ sceneRef, positions: placed, groups, box, scale });
  // The dragged node follows the pointer; links and messages follow it.
  const positions = useMemo(() => {
    if (drag === undefined) return placed;
    const out = new Map<number, NodePlace>(placed);
    const others = labelObstacles(
      ids.filter((id) => id !== drag.id).map((id) => placed.get(id)!),
      ids.length,
      scale,
    );
    out.set(drag.id, placeFreeNode(drag.point, ids.length, frame, others));
    return out;
  }, [placed, drag, ids, frame, scale]);
  const groupOf = useMemo(() => {
    const m = new Map<number, string>();
    if (groups.length > 1) groups.forEach((g, i) => g.forEach((id) => m.set(id, groupName(i))));
    return m;
  }, [groups]);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);

  useEffect(() => {
    const svg = svgRef.current;
    const scene = sceneRef.current;
    if (svg === null || scene === null) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.5, 4])
      // A press on a node drags the node, not the view; the wheel zooms everywhere.
      .filter((e: MouseEvent) => {
        if (e.type !== 'wheel' && e.target instanceof Element && e.target.closest('[data-testid^="node-"]') !== null)
          return false;
        return (!e.ctrlKey || e.type === 'wheel') && !e.button;
      })
      .on('zoom', (e: { transform: { toString(): string } }) => {
        scene.setAttribute('transform', e.transform.toString());
        closeNodeMenu();
      });
    zoomRef.current = z;
    const sel = select(svg);
    sel.call(z).on('dblclick.zoom', null);
    return () => {
      sel.on('.zoom', null);
      zoomRef.current = null;
    };
  }, []);

  const resetView = () => {
    const svg = svgRef.current;
    if (svg !== null && zoomRef.current !== null) select(svg).call(zoomRef.current.transform, zoomIdentity);
  };

  return (
    <div className="cluster-view" data-testid="cluster-view">
      <svg
        ref={svgRef}
        className={`cluster-svg${drag === undefined ? '' : ' is-dragging'}`}
        viewBox={`0 0 ${box.width} ${box.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`Cluster of ${ids.length} nodes${groups.length > 1 ? `, partitioned into ${groups.length} groups` : ''}. Click a node for its actions, drag it out to partition the network (or press n), click a link to cut it.`}
        onPointerDown={onPointerDown}
        onClick={() => {
          clearSelection();
          closeNodeMenu();
        }}
      >
        <g ref={sceneRef}>
          <GroupRegions groups={groups} positions={placed} shown={positions} view={box} scale={scale} drag={drag} />
          <LinksLayer positions={positions} />
          <g className="nodes">
            {/* The dragged node is drawn last, above the others. */}
            {(drag === undefined ? ids : [...ids.filter((id) => id !== drag.id), drag.id]).map((id) => {
              const p = positions.get(id)!;
              return (
                <NodeGlyph
                  key={id}
                  id={id}
                  x={p.x}
                  y={p.y}
                  angle={p.angle}
                  count={ids.length}
                  group={groupOf.get(id)}
                  dragging={drag?.id === id}
                />
              );
            })}
          </g>
          <MessagesLayer positions={positions} />
        </g>
      </svg>
      {status === 'booting' && ids.length === 0 && <div className="cluster-booting">Starting the nodes…</div>}
      <button
        type="button"
        className="view-reset small"
        onClick={resetView}
        title="Reset zoom and pan (wheel zooms, drag pans)"
      >
        Reset view
      </button>
      <Legend />
      <NodeMenu svgRef={svgRef} />
      <MessageBar />
    </div>
  );
}
