// A snapshot of a node's state for observers (etcd's status.go). Everything in a
// Status is a copy: holding on to it never sees (or causes) later changes.

import type { Raft } from './raft';
import type { HardState } from './raftpb/types';
import type { Progress } from './tracker/progress';
import type { Config as TrackerConfig } from './tracker/tracker';
import { StateLeader, stateTypeNames, type SoftState } from './types';
import { stateTypeNames as progressStateNames } from './tracker/state';
import { hex } from './util';

/**
 * The cheap part of a Status.
 *
 * differs from etcd: etcd embeds HardState and SoftState (s.Term, s.Lead); here
 * they are the fields hardState and softState.
 */
export interface BasicStatus {
  id: number;
  hardState: HardState;
  softState: SoftState;
  applied: number;
  leadTransferee: number;
}

/** A BasicStatus plus the configuration and, on a leader, every peer's progress. */
export interface Status extends BasicStatus {
  /** The embedded BasicStatus (etcd's s.BasicStatus); its fields are also on the Status itself. */
  basicStatus: BasicStatus;
  /** A copy of the membership configuration. */
  config: TrackerConfig;
  /** Copies of the peers' progress (with their own Inflights); empty unless leader. */
  progress: Map<number, Progress>;
}

/** Copies of every tracked peer's progress, in id order. */
export function getProgressCopy(r: Raft): Map<number, Progress> {
  const m = new Map<number, Progress>();
  r.trk.visit((id, pr) => {
    m.set(id, pr.clone());
  });
  return m;
}

export function getBasicStatus(r: Raft): BasicStatus {
  return {
    id: r.id,
    hardState: r.hardState(),
    softState: r.softState(),
    applied: r.raftLog.applied,
    leadTransferee: r.leadTransferee,
  };
}

export function getStatus(r: Raft): Status {
  const b = getBasicStatus(r);
  const progress = b.softState.raftState === StateLeader ? getProgressCopy(r) : new Map<number, Progress>();
  const config = r.trk.config.clone();
  // differs from etcd: Config.clone drops autoLeave (as etcd's Clone does); etcd's
  // Status shows the cloned value too, so it is kept dropped here.
  return { ...b, basicStatus: b, config, progress };
}

/**
 * etcd's Status.MarshalJSON text:
 * {"id":"1","term":2,"vote":"1","commit":3,"lead":"1","raftState":"StateLeader","applied":3,"progress":{...},"leadtransferee":"0"}
 * Progress entries are printed in id order (etcd: map order).
 */
export function statusToJSON(s: Status): string {
  const hs = s.hardState;
  let j =
    `{"id":"${hex(s.id)}","term":${hs.term},"vote":"${hex(hs.vote)}","commit":${hs.commit},` +
    `"lead":"${hex(s.softState.lead)}","raftState":${JSON.stringify(stateTypeNames[s.softState.raftState] ?? '')},` +
    `"applied":${s.applied},"progress":{`;
  const ids = Array.from(s.progress.keys()).sort((a, b) => a - b);
  if (ids.length === 0) {
    j += '},';
  } else {
    const parts: string[] = [];
    for (const id of ids) {
      const v = s.progress.get(id)!;
      parts.push(
        `"${hex(id)}":{"match":${v.match},"next":${v.next},"state":${JSON.stringify(progressStateNames[v.state] ?? '')}}`,
      );
    }
    j += parts.join(',') + '},';
  }
  j += `"leadtransferee":"${hex(s.leadTransferee)}"}`;
  return j;
}
