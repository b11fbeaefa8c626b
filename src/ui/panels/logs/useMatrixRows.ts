// The log matrix's rows, one per node, rebuilt only for the nodes whose view changed.
//
// The store reuses a NodeView object while nothing in the node moved, so a row is
// cached per view object. Terms are looked up in the disk on the main thread through
// the controller's cluster (Cluster.diskEntryTerm: no copy, no worker call), only for
// the columns drawn.

import { useMemo } from 'react';
import { controller, selectNodeIds, selectNodesById, useRaft, type NodeView } from '../../store';
import { buildRow, type MatrixRow } from './matrixModel';

const rows = new WeakMap<NodeView, MatrixRow>();

export function rowFor(v: NodeView): MatrixRow {
  let r = rows.get(v);
  if (r === undefined) {
    const c = controller.cluster;
    const id = v.id;
    r = buildRow({
      id: v.id,
      firstIndex: v.firstIndex,
      lastIndex: v.lastIndex,
      persistedLastIndex: v.persistedLastIndex,
      commit: v.commit,
      applied: v.applied,
      diskSnapIndex: v.disk.snapshotIndex,
      diskSnapTerm: v.disk.snapshotTerm,
      diskTerm: (i) => {
        try {
          return c?.diskEntryTerm(id, i);
        } catch {
          return undefined; // the node is gone (the cluster was reset)
        }
      },
    });
    rows.set(v, r);
  }
  return r;
}

/** Every node's row in id order, with its view. */
export function useMatrixRows(): { row: MatrixRow; view: NodeView }[] {
  const ids = useRaft(selectNodeIds);
  const byId = useRaft(selectNodesById);
  return useMemo(
    () =>
      ids.flatMap((id) => {
        const view = byId.get(id);
        return view === undefined ? [] : [{ row: rowFor(view), view }];
      }),
    [ids, byId],
  );
}
