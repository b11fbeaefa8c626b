// The errors of the etcd raft library.
//
// Convention (see src/raft/README.md): where an etcd function returns (value, error),
// ours returns the value and throws the error. These are shared instances, so callers
// test them by identity: `if (e === ErrCompacted)`. Their messages are etcd's.

/** An error raised by the raft library on purpose (as opposed to a bug). */
export class RaftError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftError';
  }
}

/** Raised for what etcd raft treats as a programming error (its log.Panic). */
export class RaftPanic extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RaftPanic';
  }
}

// storage
export const ErrCompacted = new RaftError('requested index is unavailable due to compaction');
export const ErrSnapOutOfDate = new RaftError('requested index is older than the existing snapshot');
export const ErrUnavailable = new RaftError('requested entry at index is unavailable');
export const ErrSnapshotTemporarilyUnavailable = new RaftError('snapshot is temporarily unavailable');

// raft / rawnode / node
export const ErrProposalDropped = new RaftError('raft proposal dropped');
export const ErrStepLocalMsg = new RaftError('raft: cannot step raft local message');
export const ErrStepPeerNotFound = new RaftError('raft: cannot step as peer not found');
export const ErrStopped = new RaftError('raft: stopped');
