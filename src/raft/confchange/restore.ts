// Rebuilds a tracker configuration from a ConfState (as found in a snapshot or
// at bootstrap) by replaying conf changes that lead to it.

import {
  ConfChangeAddLearnerNode,
  ConfChangeAddNode,
  ConfChangeRemoveNode,
  type ConfChangeSingle,
  type ConfState,
} from '../raftpb/types';
import type { ProgressMap } from '../tracker/progress';
import type { Config } from '../tracker/tracker';
import { Changer } from './confchange';

/**
 * Splits a ConfState into two lists of changes: `out` builds the outgoing
 * voters as a plain configuration; `inc`, applied on top of it while entering
 * the joint state, removes them again and adds the incoming voters, learners
 * and staged learners (learnersNext). For a non-joint ConfState, `out` is empty
 * and `inc` (its leading removals being no-ops) builds the configuration.
 *
 * Example: voters=(1 2 3) learners=(5) outgoing=(1 2 4 6) learners_next=(4)
 * gives out = v1 v2 v4 v6 and inc = r1 r2 r4 r6 v1 v2 v3 l5 l4, which lead to
 * (1 2 3)&&(1 2 4 6) learners=(5) learners_next=(4).
 */
export function toConfChangeSingle(cs: ConfState): [out: ConfChangeSingle[], inc: ConfChangeSingle[]] {
  const out: ConfChangeSingle[] = [];
  const inc: ConfChangeSingle[] = [];
  for (const id of cs.votersOutgoing) out.push({ type: ConfChangeAddNode, nodeId: id });
  for (const id of cs.votersOutgoing) inc.push({ type: ConfChangeRemoveNode, nodeId: id });
  for (const id of cs.voters) inc.push({ type: ConfChangeAddNode, nodeId: id });
  for (const id of cs.learners) inc.push({ type: ConfChangeAddLearnerNode, nodeId: id });
  for (const id of cs.learnersNext) inc.push({ type: ConfChangeAddLearnerNode, nodeId: id });
  return [out, inc];
}

/**
 * Computes the configuration and progress map described by cs, starting from
 * chg's tracker (normally empty). Throws a RaftError if cs is not a legal
 * configuration. chg's tracker is not modified.
 */
export function restore(chg: Changer, cs: ConfState): [Config, ProgressMap] {
  const [outgoing, incoming] = toConfChangeSingle(cs);
  const ops: Array<(c: Changer) => [Config, ProgressMap]> = [];
  if (outgoing.length === 0) {
    // Not joint: add everything one change at a time.
    for (const cc of incoming) ops.push((c) => c.simple(cc));
  } else {
    // Joint: first build the outgoing voters as the only config, then enter the
    // joint state, which moves them to the outgoing half and applies the rest.
    for (const cc of outgoing) ops.push((c) => c.simple(cc));
    ops.push((c) => c.enterJoint(cs.autoLeave, ...incoming));
  }
  // Work on a copy of the tracker, as etcd does by passing the Changer by value.
  const c = new Changer(chg.tracker.shallowCopy(), chg.lastIndex);
  for (const op of ops) {
    const [cfg, trk] = op(c);
    c.tracker.config = cfg;
    c.tracker.progress = trk;
  }
  return [c.tracker.config, c.tracker.progress];
}
