// Telling the user that a node's code threw (a raft panic, or its worker died). The
// cluster marks such a node crashed and reports the error in its observation; the rest
// of the run goes on. Pure: the controller shows what these return as notices.

import type { ClusterNodeObservation } from '../../cluster/cluster';

/** Which node, the error, that the rest of the run is intact, and how to recover. */
export function panicNotice(node: number, error: string): string {
  return (
    `Node ${node} stopped: its code threw an error (${error}). It is shown as crashed; ` +
    'the other nodes run on, and its disk is kept. Restart it to rebuild it from the disk, ' +
    'or export the run to report the error.'
  );
}

/**
 * The notices for panics not announced yet, recording them in `announced`. A panic is
 * one (node, incarnation, error): observations repeat it until the node restarts, and a
 * seek that replays it to the same point does not announce it again.
 */
export function newPanics(
  nodes: readonly Pick<ClusterNodeObservation, 'id' | 'incarnation' | 'panic'>[],
  announced: Set<string>,
): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    if (n.panic === undefined) continue;
    const key = `${n.id}/${n.incarnation}/${n.panic}`;
    if (announced.has(key)) continue;
    announced.add(key);
    out.push(panicNotice(n.id, n.panic));
  }
  return out;
}
