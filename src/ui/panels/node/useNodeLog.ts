// The log strip's model for one node, rebuilt when the node's view changes.
//
// The entries and their terms come from the node's disk, which the scheduler keeps on
// the main thread (it survives crashes): a synchronous, read-only look through the
// controller's cluster, made only when the node's view changed (the store reuses the
// view object while nothing in it moved).

import { useMemo } from 'react';
import type { DiskState } from '../../../cluster/protocol';
import { controller, type NodeView } from '../../store';
import { indexEntries, type LogModel } from './logModel';

/** The node's durable state (a script's storage in script mode), or undefined if there is none. */
export function readDisk(id: number): DiskState | undefined {
  return controller.disk(id);
}

export function useNodeLog(view: NodeView | undefined): { model: LogModel; disk: DiskState | undefined } | undefined {
  return useMemo(() => {
    if (view === undefined) return undefined;
    const disk = readDisk(view.id);
    const snap = disk?.snapshot.metadata;
    const model: LogModel = {
      snapshotIndex: snap?.index ?? view.disk.snapshotIndex,
      snapshotTerm: snap?.term ?? view.disk.snapshotTerm,
      firstIndex: view.firstIndex,
      lastIndex: view.lastIndex,
      persistedLastIndex: view.persistedLastIndex,
      commit: view.commit,
      applied: view.applied,
      entries: indexEntries(disk?.entries ?? []),
    };
    return { model, disk };
  }, [view]);
}
