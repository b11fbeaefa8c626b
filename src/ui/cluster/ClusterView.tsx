// The cluster view: nodes on a circle, the links between them, messages in flight.
// React owns the SVG DOM; D3 provides the zoom behaviour (attached in an effect, with
// cleanup), shapes (arcs, hulls) and geometry. Per-node and per-message components are
// memo'd and read their own records by id, so a tick that changes one node re-renders
// that node only, and the per-frame motion of messages never re-renders anything.

import { select, zoom, zoomIdentity, type ZoomBehavior } from 'd3';
import { useEffect, useMemo, useRef, useState } from 'react';
import { clearSelection, closeNodeMenu, selectClusterStatus, selectNodeIds, selectProjector, useRaft } from '../store';
import { clusterGeometry } from '../theme';
import { nodePositions } from './layout';
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
  const [size, setSize] = useState<{ width: number; height: number }>({ width: clusterGeometry.width, height: clusterGeometry.height });
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
  const positions = useMemo(() => nodePositions(ids, { width: box.width, height: box.height, scale }), [ids, box.width, box.height, scale]);
  const sceneRef = useRef<SVGGElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);

  useEffect(() => {
    const svg = svgRef.current;
    const scene = sceneRef.current;
    if (svg === null || scene === null) return;
    const z = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.5, 4])
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
        className="cluster-svg"
        viewBox={`0 0 ${box.width} ${box.height}`}
        preserveAspectRatio="xMidYMid meet"
        role="group"
        aria-label={`Cluster of ${ids.length} nodes. Click a node for its actions, a link to cut it.`}
        onClick={() => {
          clearSelection();
          closeNodeMenu();
        }}
      >
        <g ref={sceneRef}>
          <LinksLayer positions={positions} />
          <g className="nodes">
            {ids.map((id) => {
              const p = positions.get(id)!;
              return <NodeGlyph key={id} id={id} x={p.x} y={p.y} angle={p.angle} count={ids.length} />;
            })}
          </g>
          <MessagesLayer positions={positions} />
        </g>
      </svg>
      {status === 'booting' && ids.length === 0 && <div className="cluster-booting">Starting the nodes…</div>}
      <button type="button" className="view-reset small" onClick={resetView} title="Reset zoom and pan (wheel zooms, drag pans)">
        Reset view
      </button>
      <Legend />
      <NodeMenu svgRef={svgRef} />
      <MessageBar />
    </div>
  );
}
