// The log matrix's rows, one per node, rebuilt only for the nodes whose view changed.
//
// The store reuses a NodeView object while nothing in the node moved, so a row is
// cached per view object: an observation that changed one node reads one disk. The
// disk is read on the main thread through the controller's cluster (a copy of the
// entry array, no worker call).

import { useMemo } from 'react';
import { selectNodeIds, selectNodesById, useRaft, type NodeView } from '../../store';
import { readDisk } from '../node/useNodeLog';
import { buildRow, type MatrixRow } from './matrixModel';

const rows = new WeakMap<NodeView, MatrixRow>();

export function rowFor(v: NodeView): MatrixRow {
  let r = rows.get(v);
  if (r === undefined) {
    const disk = readDisk(v.id);
    r = buildRow({
      id: v.id,
      firstIndex: v.firstIndex,
      lastIndex: v.lastIndex,
      persistedLastIndex: v.persistedLastIndex,
      commit: v.commit,
      applied: v.applied,
      diskSnapIndex: disk?.snapshot.metadata.index ?? v.disk.snapshotIndex,
      diskSnapTerm: disk?.snapshot.metadata.term ?? v.disk.snapshotTerm,
      diskEntries: disk?.entries ?? [],
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
