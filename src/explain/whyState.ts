// Building a WhyState from a live Cluster: its event stream, an observation, and entry
// terms read from the nodes' disks (no copies).

import type { Cluster, ClusterObservation } from '../cluster/cluster';
import type { WhyState } from './types';

/** A WhyState for `cluster` as of `observation` (the UI passes the one it shows). */
export function whyStateOf(cluster: Cluster, observation: ClusterObservation): WhyState {
  return {
    observation,
    events: cluster.clusterEvents(),
    entry: (node, index) => {
      if (!cluster.nodeIds().includes(node)) return undefined;
      const term = cluster.diskEntryTerm(node, index);
      return term === undefined ? undefined : { index, term, persisted: true };
    },
  };
}

/** The same, observing the cluster now. */
export async function observeWhyState(cluster: Cluster): Promise<WhyState> {
  return whyStateOf(cluster, await cluster.observe());
}
