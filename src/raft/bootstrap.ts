// Initialising a brand-new node's log with its first members (etcd's bootstrap.go).

import { RaftError } from './errors';
import { encodeConfChange } from './raftpb/codec';
import { asV2 } from './raftpb/confchange';
import {
  ConfChangeAddNode,
  EntryConfChange,
  emptyBytes,
  newConfChange,
  newHardState,
  type Entry,
} from './raftpb/types';
import type { RawNode } from './rawNode';
import { None } from './types';

/** An initial member: its id and the context of the conf change that adds it. */
export interface Peer {
  id: number;
  context?: Uint8Array;
}

/**
 * Sets up an empty node as if it had committed one ConfChangeAddNode per peer at
 * term 1 (indexes 1..len(peers)) and applied them. The entries stay unstable, so
 * the next Ready persists them (and hands them out as committed for applying,
 * where applyConfChange is harmless because the peers are already added).
 * Throws a RaftError with etcd's text when peers is empty or storage is not empty.
 *
 * differs from etcd: a function here, called by RawNode.bootstrap (etcd's method).
 */
export function bootstrap(rn: RawNode, peers: Peer[]): void {
  if (peers.length === 0) throw new RaftError('must provide at least one peer to Bootstrap');
  const lastIndex = rn.raft.raftLog.storage.lastIndex();
  if (lastIndex !== 0) throw new RaftError("can't bootstrap a nonempty Storage");

  // The HardState will change; make sure the next Ready reports it.
  rn.prevHardSt = newHardState();

  // Term 1 so that the entries below are not at term 0 (which would never commit).
  rn.raft.becomeFollower(1, None);
  const ents: Entry[] = new Array<Entry>(peers.length);
  for (let i = 0; i < peers.length; i++) {
    const peer = peers[i]!;
    const cc = newConfChange({ type: ConfChangeAddNode, nodeId: peer.id, context: peer.context ?? emptyBytes });
    ents[i] = { term: 1, index: i + 1, type: EntryConfChange, data: encodeConfChange(cc) };
  }
  rn.raft.raftLog.append(ents);

  // Committed straight away: every node of the group bootstraps the same entries,
  // so there is nothing to agree on. Applied (below) ahead of the application.
  rn.raft.raftLog.committed = ents.length;
  for (const peer of peers) {
    rn.raft.applyConfChange(asV2(newConfChange({ nodeId: peer.id, type: ConfChangeAddNode })));
  }
}
