// The leader's view of each peer (etcd's tracker.Progress): how far the peer's log is
// known to match, what to send next, the flow-control state and the inflight window.
// The bar shows match against the leader's last index (the text beside it is the number).

import { memo } from 'react';
import type { ProgressObservation } from '../../../cluster/protocol';
import { shortState } from './format';
import { questionsForNode } from '../../../explain';
import { WhyButton } from '../why/WhyButton';
import { useWhyQuestions } from '../why/whyStore';

const headers: [string, string][] = [
  ['Peer', 'Peer node id (L = learner)'],
  [
    'State',
    "Probe: one append at a time until the follower's log position is found; Replicate: appends streamed optimistically; Snapshot: a snapshot is being sent",
  ],
  ['Match', 'Highest index known to be replicated on the peer'],
  ['Next', 'Index of the next entry to send to the peer'],
  ['Replicated', "Match as a share of the leader's last index"],
  [
    'Inflight',
    'MsgApp messages sent and not yet acknowledged (Replicate state); "full" means the window (MaxInflightMsgs) is exhausted and sending pauses',
  ],
  [
    'Flags',
    'paused: no append will be sent now (probe sent, or inflight window full); active: heard from the peer recently (CheckQuorum); snap: index of a pending snapshot',
  ],
];

const ProgressRow = memo(function ProgressRow({
  p,
  lastIndex,
  self,
}: {
  p: ProgressObservation;
  lastIndex: number;
  self: boolean;
}) {
  const share = lastIndex <= 0 ? 1 : Math.min(1, p.match / lastIndex);
  // A follower not streaming entries (Probe, Snapshot, paused by full Inflights): why?
  const stalled = !self && (p.state !== 'StateReplicate' || p.paused || p.inflightFull);
  const whys = useWhyQuestions((s) => questionsForNode(p.id, s), stalled, String(p.id));
  return (
    <tr
      data-testid={`progress-${p.id}`}
      data-state={p.state}
      data-match={p.match}
      data-next={p.next}
      className={self ? 'is-self' : undefined}
    >
      <th
        scope="row"
        title={self ? 'The leader itself' : p.isLearner ? 'A learner: receives the log but does not vote' : 'A voter'}
      >
        {p.id}
        {p.isLearner ? ' L' : ''}
        {self ? ' (self)' : ''}
      </th>
      <td title={headers[1]![1]}>
        <span className={`prog-state prog-${shortState(p.state).toLowerCase()}`}>{shortState(p.state)}</span>
      </td>
      <td className="num">{p.match}</td>
      <td className="num">{p.next}</td>
      <td>
        <span
          className="prog-bar"
          role="img"
          aria-label={`match ${p.match} of ${lastIndex}`}
          title={`match ${p.match} of last index ${lastIndex}`}
        >
          <span className="prog-bar-fill" style={{ width: `${Math.round(share * 100)}%` }} />
        </span>
      </td>
      <td
        className="num"
        title={
          p.inflightFull ? 'The inflight window is full: no more appends until acks arrive' : 'Unacknowledged appends'
        }
      >
        {p.inflight}
        {p.inflightFull ? ' full' : ''}
      </td>
      <td className="prog-flags">
        {p.paused && (
          <span className="flag flag-warn" title="Paused: the leader will not send appends to this peer now">
            paused
          </span>
        )}
        {p.recentActive ? (
          <span className="flag" title="Recently active: the peer answered within the last election timeout">
            active
          </span>
        ) : (
          <span className="flag flag-warn" title="Not recently active: no answer within the last election timeout">
            inactive
          </span>
        )}
        {p.pendingSnapshot > 0 && (
          <span className="flag" title="Index of the snapshot being sent to this peer">
            snap {p.pendingSnapshot}
          </span>
        )}
        {whys
          .filter((q) => q.about === 'follower')
          .map((q) => (
            <WhyButton key={q.about} question={q} title={`Why does the leader not stream entries to node ${p.id}?`} />
          ))}
      </td>
    </tr>
  );
});

export function ProgressTable({
  progress,
  lastIndex,
  self,
}: {
  progress: readonly ProgressObservation[];
  lastIndex: number;
  self: number;
}) {
  return (
    <table className="prog-table" data-testid="progress-table">
      <caption className="rl-visually-hidden">Replication progress of each peer, as the leader tracks it</caption>
      <thead>
        <tr>
          {headers.map(([h, hint]) => (
            <th key={h} scope="col" title={hint}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {progress.map((p) => (
          <ProgressRow key={p.id} p={p} lastIndex={lastIndex} self={p.id === self} />
        ))}
      </tbody>
    </table>
  );
}
