// Splits the nodes into groups: links between groups are cut both ways. (Dragging nodes
// in the cluster view does the same; see src/ui/cluster/partitionDrag.ts.)

import { useState } from 'react';
import { controller, getState, selectNodeIds, selectPartitionOpen, setPartitionOpen, useRaft } from '../store';
import { currentGroups } from '../cluster/partitionLayout';
import { groupName } from '../cluster/partitionDrag';
import { Dialog } from './Dialog';

function PartitionForm() {
  const ids = useRaft(selectNodeIds);
  // Default: the partition in force, else the leader (or the first node) isolated from the rest.
  const [initial] = useState(() => {
    const now = currentGroups();
    if (now.length > 1) return now;
    const l = getState().cluster.leader || ids[0] || 0;
    return [ids.filter((id) => id !== l), [l]];
  });
  const groupNames = Array.from({ length: Math.max(3, initial.length) }, (_, i) => groupName(i));
  const [groupOf, setGroupOf] = useState<Record<number, number>>(() =>
    Object.fromEntries(initial.flatMap((g, i) => g.map((id) => [id, i]))),
  );
  const close = () => setPartitionOpen(false);
  const groups = groupNames.map((_, g) => ids.filter((id) => (groupOf[id] ?? 0) === g)).filter((g) => g.length > 0);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        close();
        void controller.partition(groups);
      }}
    >
      <table className="partition-table">
        <thead>
          <tr>
            <th scope="col">Node</th>
            {groupNames.map((n) => (
              <th scope="col" key={n}>
                Group {n}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <tr key={id}>
              <th scope="row">{id}</th>
              {groupNames.map((n, g) => (
                <td key={n}>
                  <input
                    type="radio"
                    name={`group-${id}`}
                    aria-label={`Node ${id} in group ${n}`}
                    title={`Put node ${id} in group ${n}`}
                    data-testid={`partition-${id}-${n}`}
                    checked={(groupOf[id] ?? 0) === g}
                    onChange={() => setGroupOf((m) => ({ ...m, [id]: g }))}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">
        Nodes in different groups cannot exchange messages. Heal all restores every link. You can also drag nodes in the
        cluster view: away from the others, or into another group.
      </p>
      <div className="dialog-actions">
        <button type="button" onClick={close}>
          Cancel
        </button>
        <button
          type="submit"
          className="primary"
          data-testid="partition-apply"
          disabled={groups.length < 2}
          title="Cut every link between groups"
        >
          Partition
        </button>
      </div>
    </form>
  );
}

export function PartitionDialog() {
  const open = useRaft(selectPartitionOpen);
  if (!open) return null;
  return (
    <Dialog title="Partition the network" onClose={() => setPartitionOpen(false)} testId="partition-dialog">
      <PartitionForm />
    </Dialog>
  );
}
