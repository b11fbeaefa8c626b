// "Why?" on demand: explain(question, state) answers from the event stream and the
// current observation, naming the exact fields each answer rests on. It returns
// undefined when it has no answer (the UI then shows no "Why?" button: see
// canExplain and the questionsFor* helpers).
//
//   message   a vote or pre-vote request or its answer: granted, rejected or ignored,
//             and why (the voter's term, vote, leader, lease, log, at that moment);
//             an append or its rejection (log mismatch at (index, term), the hint, and
//             how the leader backs up); a message lost on the way;
//   event     the same, by event seq (vote, append, append-resp, proposal, drop);
//   entry     not committed yet (who has it, who is missing, the quorum per half of
//             a joint configuration, or Figure 8: an older term's entry waits for one
//             of the current term), or committed but not applied at that node;
//   op        a pending or failed client request: where it went and where it stopped;
//   campaign  why a node does not campaign;
//   follower  why the leader does not send a follower entries (Probe, Snapshot, full
//             Inflights).

import type { ClusterObservation } from '../cluster/cluster';
import type {
  AppendEvent,
  AppendRespEvent,
  ClusterEvent,
  DropEvent,
  ProposalEvent,
  SendEvent,
  VoteEvent,
} from '../cluster/events';
import { roleName } from '../cluster/eventFacts';
import type { NodeObservation } from '../cluster/protocol';
import { StateLeader } from '../raft/types';
import { entriesWord } from './narrate';
import { appendReason, idList, voteReason, type Reasoned } from './reasons';
import type { WhyAnswer, WhyField, WhyQuestion, WhyState } from './types';
import { proposalReason } from './whyProposal';

function answer(r: Reasoned, ev: ClusterEvent | undefined, nodes: number[], messages: number[]): WhyAnswer {
  const a: WhyAnswer = {
    reason: r.reason,
    text: r.text,
    fields: r.fields,
    nodes: [...new Set(nodes)].filter((x) => x !== 0).sort((x, y) => x - y),
    messages,
  };
  if (ev !== undefined) {
    a.seq = ev.seq;
    a.step = ev.step;
  }
  return a;
}

/** The answer to a question, or undefined when there is none to give. */
export function explain(q: WhyQuestion, state: WhyState): WhyAnswer | undefined {
  switch (q.about) {
    case 'event': {
      const ev = state.events.find((e) => e.seq === q.seq);
      return ev === undefined ? undefined : explainEvent(ev, state);
    }
    case 'message':
      return explainMessage(q.envelope, state);
    case 'entry':
      return explainEntry(q.node, q.index, state);
    case 'op':
      return explainOp(q.op, state);
    case 'campaign':
      return explainCampaign(q.node, state);
    case 'follower':
      return explainFollower(q.node, state);
    default:
      return undefined;
  }
}

/** Whether explain has an answer (show a "Why?" button only then). */
export function canExplain(q: WhyQuestion, state: WhyState): boolean {
  return explain(q, state) !== undefined;
}

// ---- events and messages ----

function explainEvent(ev: ClusterEvent, state: WhyState): WhyAnswer | undefined {
  switch (ev.kind) {
    case 'vote':
      return answer(voteReason(ev), ev, [ev.node, ev.candidate], [ev.envelope]);
    case 'append':
      return appendAnswer(ev, state);
    case 'append-resp': {
      const req = findAppendFor(ev, state);
      return req === undefined ? undefined : appendAnswer(req, state);
    }
    case 'proposal':
      return ev.outcome === 'dropped'
        ? answer(proposalReason(ev.node, ev.facts, ev.request), ev, [ev.node], [])
        : undefined;
    case 'drop':
      return dropAnswer(ev);
    case 'deliver':
      if (ev.facts?.error !== undefined && ev.msg.type === 'MsgProp')
        return answer(proposalReason(ev.node, ev.facts.before, 'propose'), ev, [ev.node, ev.from], [ev.envelope]);
      return explainMessage(ev.envelope, state);
    default:
      return undefined;
  }
}

/** A follower's append decision, with the leader's back-up when the rejection reached it. */
function appendAnswer(ev: AppendEvent, state: WhyState): WhyAnswer {
  const r = appendReason(ev);
  const messages = [ev.envelope];
  if (ev.outcome === 'rejected') {
    // The rejection is the follower's next MsgAppResp to the leader for this index.
    const send = state.events.find(
      (e): e is SendEvent =>
        e.kind === 'send' &&
        e.seq > ev.seq &&
        e.node === ev.node &&
        e.to === ev.leader &&
        e.msg.type === 'MsgAppResp' &&
        e.msg.reject &&
        e.msg.index === ev.prevIndex,
    );
    if (send !== undefined) {
      messages.push(send.envelope);
      const back = state.events.find(
        (e): e is AppendRespEvent => e.kind === 'append-resp' && e.envelope === send.envelope,
      );
      if (back?.progress !== undefined) {
        const p = back.progress;
        r.fields.push(
          { name: 'leader next before', value: p.before.next, source: `leader ${ev.leader} Progress[${ev.node}].Next` },
          { name: 'leader next after', value: p.after.next, source: `leader ${ev.leader} Progress[${ev.node}].Next` },
        );
        r.text += ` Leader ${ev.leader} moved node ${ev.node}'s next index from ${p.before.next} to ${p.after.next}${p.after.state !== p.before.state ? ` (${p.after.state})` : ''}.`;
      }
    }
  }
  return answer(r, ev, [ev.node, ev.leader], messages);
}

/** The follower's append event a leader's append-resp answers. */
function findAppendFor(ev: AppendRespEvent, state: WhyState): AppendEvent | undefined {
  const send = state.events.find((e): e is SendEvent => e.kind === 'send' && e.envelope === ev.envelope);
  if (send === undefined) return undefined;
  return lastBefore(
    state.events,
    send.seq,
    (e): e is AppendEvent =>
      e.kind === 'append' &&
      e.node === send.node &&
      e.leader === send.to &&
      (ev.reject ? e.outcome === 'rejected' && e.prevIndex === ev.index : e.outcome !== 'rejected'),
  );
}

function lastBefore<T extends ClusterEvent>(
  events: readonly ClusterEvent[],
  seq: number,
  pred: (e: ClusterEvent) => e is T,
): T | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.seq >= seq) continue;
    if (pred(e)) return e;
  }
  return undefined;
}

const dropWhy: Record<string, string> = {
  loss: 'the network lost it (loss rate)',
  'link-down': 'the link was cut (a partition or a cut link)',
  crashed: 'its addressee was down when it arrived',
  'unknown-node': 'its addressee does not exist',
  manual: 'you dropped it',
  removed: 'its addressee had been removed',
};

function dropAnswer(ev: DropEvent): WhyAnswer {
  const m = ev.msg;
  return answer(
    {
      reason: 'message-dropped',
      short: dropWhy[ev.reason] ?? ev.reason,
      text: `Message #${ev.envelope} (${m.type} from node ${m.from} to node ${m.to}, term ${m.term}) never arrived: ${dropWhy[ev.reason] ?? ev.reason}. Raft does not resend it as such; ${m.type === 'MsgApp' || m.type === 'MsgSnap' ? 'the leader sends the entries again when it learns the follower lacks them.' : m.type === 'MsgVote' || m.type === 'MsgPreVote' ? 'the candidate campaigns again when its timer runs out.' : 'the protocol repairs itself with later messages.'}`,
      fields: [
        { name: 'drop reason', value: ev.reason, source: 'bus DropReason' },
        { name: 'message', value: `${m.type} ${m.from}→${m.to}`, source: `envelope #${ev.envelope}` },
      ],
    },
    ev,
    [m.from, m.to],
    [ev.envelope],
  );
}

function explainMessage(envelope: number, state: WhyState): WhyAnswer | undefined {
  const evs = state.events;
  // The request itself: what its receiver decided.
  for (let i = evs.length - 1; i >= 0; i--) {
    const e = evs[i]!;
    if (e.kind === 'vote' && e.envelope === envelope)
      return answer(voteReason(e), e, [e.node, e.candidate], [envelope]);
    if (e.kind === 'append' && e.envelope === envelope) return appendAnswer(e, state);
    if (e.kind === 'drop' && e.envelope === envelope) return dropAnswer(e);
    if (e.kind === 'deliver' && e.envelope === envelope && e.facts?.error !== undefined && e.msg.type === 'MsgProp')
      return answer(proposalReason(e.node, e.facts.before, 'propose'), e, [e.node, e.from], [envelope]);
  }
  // An answer: find the request it answers.
  const send = evs.find((e): e is SendEvent => e.kind === 'send' && e.envelope === envelope);
  if (send === undefined) return undefined;
  const m = send.msg;
  if (m.type === 'MsgVoteResp' || m.type === 'MsgPreVoteResp') {
    const vote = lastBefore(
      evs,
      send.seq,
      (e): e is VoteEvent =>
        e.kind === 'vote' &&
        e.node === m.from &&
        e.candidate === m.to &&
        e.preVote === (m.type === 'MsgPreVoteResp') &&
        e.outcome === (m.reject ? 'rejected' : 'granted'),
    );
    if (vote === undefined) return undefined;
    return answer(voteReason(vote), vote, [vote.node, vote.candidate], [vote.envelope, envelope]);
  }
  if (m.type === 'MsgAppResp') {
    const app = lastBefore(
      evs,
      send.seq,
      (e): e is AppendEvent =>
        e.kind === 'append' &&
        e.node === m.from &&
        e.leader === m.to &&
        (m.reject ? e.outcome === 'rejected' && e.prevIndex === m.index : e.outcome !== 'rejected'),
    );
    return app === undefined ? undefined : appendAnswer(app, state);
  }
  return undefined;
}

// ---- entries ----

function running(o: ClusterObservation, id: number): NodeObservation | undefined {
  const n = o.nodes.find((x) => x.id === id);
  return n?.status === 'alive' ? n.observation : undefined;
}

/** The running leader with the highest term, if any. */
export function currentLeader(o: ClusterObservation): NodeObservation | undefined {
  let best: NodeObservation | undefined;
  for (const n of o.nodes) {
    const ob = n.observation;
    if (n.status !== 'alive' || ob === undefined || ob.role !== StateLeader) continue;
    if (best === undefined || ob.term > best.term) best = ob;
  }
  return best;
}

function explainEntry(node: number, index: number, state: WhyState): WhyAnswer | undefined {
  const o = state.observation;
  const nd = o.nodes.find((x) => x.id === node);
  if (nd === undefined || index < 1) return undefined;
  const ob = nd.observation;
  const commit = ob?.commit ?? nd.disk.commit;
  const applied = ob?.applied;
  const lastIndex = ob?.lastIndex ?? nd.disk.lastIndex;
  const fields: WhyField[] = [
    {
      name: 'commit index',
      value: commit,
      source: ob ? `node ${node} raftLog.committed` : `node ${node} disk HardState.Commit`,
    },
  ];
  if (applied !== undefined)
    fields.push({ name: 'applied index', value: applied, source: `node ${node} applied index (state machine)` });
  fields.push({
    name: 'last index',
    value: lastIndex,
    source: ob ? `node ${node} raftLog.lastIndex()` : `node ${node} disk`,
  });
  if (index > lastIndex)
    return answer(
      {
        reason: 'not-committed-not-in-log',
        short: `node ${node}'s log ends at index ${lastIndex}`,
        text: `Node ${node} has no entry ${index}: its log ends at index ${lastIndex}.`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  if (applied !== undefined && index <= applied)
    return answer(
      {
        reason: 'committed-and-applied',
        short: `committed (commit ${commit}) and applied (applied ${applied})`,
        text: `Entry ${index} is committed on node ${node} (commit index ${commit}) and applied to its state machine (applied index ${applied}).`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  if (index <= commit) {
    if (nd.status !== 'alive' || ob === undefined)
      return answer(
        {
          reason: 'committed-not-applied',
          short: `node ${node} is ${nd.status}`,
          text: `Entry ${index} is committed on node ${node} (its disk says commit ${commit}), but node ${node} is ${nd.status}: nothing is applied until it runs again, and then it replays its committed entries.`,
          fields,
        },
        undefined,
        [node],
        [],
      );
    const stages = ob.pendingStages;
    fields.push(
      { name: 'Ready waiting', value: ob.hasReady, source: `node ${node} RawNode.HasReady()` },
      {
        name: 'stages left',
        value: stages.length === 0 ? 'none' : stages.join(', '),
        source: `node ${node} current Ready`,
      },
    );
    const how =
      stages.length > 0
        ? `its current Ready still has to run ${stages.join(', ')} (manual mode: run the apply stage)`
        : ob.hasReady
          ? 'the committed entries wait in its next Ready, whose apply stage has not run yet'
          : `it has not run the apply stage of a Ready holding entry ${index} yet`;
    return answer(
      {
        reason: 'committed-not-applied',
        short: `node ${node} has not applied it yet (applied ${ob.applied})`,
        text: `Entry ${index} is committed on node ${node} (commit index ${commit}) but not applied yet (applied index ${ob.applied}): ${how}. Applying is the application's work, after raft hands out committed entries in a Ready (CommittedEntries); it can lag behind committing.`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  }
  // Not committed at this node.
  const leader = currentLeader(o);
  if (leader === undefined)
    return answer(
      {
        reason: 'not-committed-no-leader',
        short: 'there is no leader',
        text: `Entry ${index} is not committed on node ${node} (commit index ${commit}), and no node is leader now: only a leader commits entries (once a majority stores them), so it waits for an election. If the new leader does not have it, it will be replaced.`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  const L = leader.id;
  if (L !== node && leader.commit >= index) {
    fields.push({ name: 'leader commit index', value: leader.commit, source: `leader ${L} raftLog.committed` });
    const myTerm = state.entry?.(node, index)?.term;
    const theirs = state.entry?.(L, index)?.term;
    const differs = myTerm !== undefined && theirs !== undefined && myTerm !== theirs;
    return answer(
      {
        reason: 'not-committed-not-learned',
        short: `leader ${L} committed it; node ${node} has not heard yet`,
        text: differs
          ? `Leader ${L} has committed index ${index}, but node ${node}'s entry there is from term ${myTerm}, the leader's from term ${theirs}: node ${node}'s entry will be replaced by the leader's, and only then committed.`
          : `Leader ${L} has committed entry ${index} (its commit index is ${leader.commit}); node ${node} learns the new commit index with the leader's next append or heartbeat.`,
        fields,
      },
      undefined,
      [node, L],
      [],
    );
  }
  return quorumAnswer(node, index, leader, state, fields);
}

/** Why the leader has not committed index yet: who has it, per half, and the term rule. */
function quorumAnswer(
  node: number,
  index: number,
  leader: NodeObservation,
  state: WhyState,
  fields: WhyField[],
): WhyAnswer {
  const L = leader.id;
  const cs = leader.confState;
  const match = (id: number) =>
    id === L ? leader.persistedLastIndex : (leader.progress.find((p) => p.id === id)?.match ?? 0);
  const half = (voters: number[]) => {
    const have = voters.filter((v) => match(v) >= index);
    const missing = voters.filter((v) => match(v) < index);
    const need = Math.floor(voters.length / 2) + 1;
    return { voters, have, missing, need, ok: have.length >= need };
  };
  const inc = half(cs.voters);
  const out = cs.votersOutgoing.length > 0 ? half(cs.votersOutgoing) : undefined;
  for (const id of [...new Set([...cs.voters, ...cs.votersOutgoing])].sort((a, b) => a - b))
    fields.push({
      name: `match of node ${id}`,
      value: match(id),
      source:
        id === L
          ? `leader ${L} MemoryStorage.LastIndex() (its own persisted log)`
          : `leader ${L} Progress[${id}].Match`,
    });
  fields.push({ name: 'leader commit index', value: leader.commit, source: `leader ${L} raftLog.committed` });
  const halves = out === undefined ? [inc] : [inc, out];
  const quorumHas = halves.every((h) => h.ok);
  const entryTerm = state.entry?.(L, index)?.term;
  const nodes = [node, L, ...cs.voters, ...cs.votersOutgoing];
  if (quorumHas && entryTerm !== undefined && entryTerm < leader.term) {
    fields.push(
      { name: 'entry term', value: entryTerm, source: `leader ${L} log term at ${index}` },
      { name: 'leader term', value: leader.term, source: `leader ${L} HardState.Term` },
    );
    return answer(
      {
        reason: 'not-committed-old-term',
        short: `entry ${index} is from term ${entryTerm}; leader ${L} (term ${leader.term}) commits it only with an entry of its own term`,
        text: `Entry ${index} is stored on a majority (${idList(inc.have)}), yet leader ${L} does not commit it: it is from term ${entryTerm}, and a leader counts replicas only for entries of its own term ${leader.term} (Raft §5.4.2, Figure 8). An older entry on a majority can still be overwritten by a leader that lacks it; it becomes committed when an entry of term ${leader.term} after it is stored on a majority.`,
        fields,
      },
      undefined,
      nodes,
      [],
    );
  }
  const describeHalf = (h: ReturnType<typeof half>, label: string) =>
    `${label}(${idList(h.voters)}): stored on ${idList(h.have)}, missing on ${idList(h.missing)}, needs ${h.need} of ${h.voters.length}`;
  const text =
    out === undefined
      ? `Entry ${index} is not committed yet: leader ${L} knows it is stored on ${idList(inc.have)} and missing on ${idList(inc.missing)}; committing needs a majority, ${inc.need} of the ${inc.voters.length} voters.`
      : `Entry ${index} is not committed yet. The configuration is joint, so it needs a majority of each half: ${describeHalf(inc, 'new voters ')}; ${describeHalf(out, 'old voters ')}.`;
  const lagging = [...new Set(halves.flatMap((h) => h.missing))].filter((x) => x !== L).sort((a, b) => a - b);
  return answer(
    {
      reason: 'not-committed-no-quorum',
      short: `stored on ${idList(inc.have)}, needs ${inc.need} of ${inc.voters.length}`,
      text: `${text}${lagging.length > 0 ? ` The leader's progress (Match) for ${idList(lagging)} is below ${index}: their acknowledgements have not arrived (lost, slow, or the nodes are down or cut off).` : ''}${quorumHas && entryTerm === undefined ? ' (The leader no longer has the entry on disk to check its term.)' : ''}`,
      fields,
    },
    undefined,
    nodes,
    [],
  );
}

// ---- client operations ----

function explainOp(opId: number, state: WhyState): WhyAnswer | undefined {
  const o = state.observation;
  const op = o.history.find((h) => h.id === opId);
  if (op === undefined || op.status === 'ok') return undefined;
  const evs = state.events;
  const prop = evs.find((e): e is ProposalEvent => e.kind === 'proposal' && e.op === opId);
  const fields: WhyField[] = [
    { name: 'operation', value: `op ${op.id} ${op.kind}`, source: 'client history' },
    { name: 'status', value: op.status, source: 'client history' },
    { name: 'sent to', value: op.node, source: 'client history' },
  ];
  if (op.status === 'failed') {
    if (prop?.outcome === 'dropped')
      return answer(proposalReason(prop.node, prop.facts, prop.request), prop, [prop.node], []);
    return answer(
      {
        reason: 'proposal-failed',
        short: op.result ?? 'failed',
        text: `Op ${op.id} failed at node ${op.node}: ${op.result ?? 'no reason given'}.`,
        fields,
      },
      undefined,
      [op.node],
      [],
    );
  }
  // Pending.
  const at = o.nodes.find((n) => n.id === op.node);
  if (at !== undefined && at.status !== 'alive')
    return answer(
      {
        reason: 'proposal-node-down',
        short: `node ${op.node} is ${at.status}`,
        text: `Op ${op.id} went to node ${op.node}, which is ${at.status}. The client was cut off: it cannot know whether the request took effect (it may still be committed by the others), so the operation stays pending.`,
        fields,
      },
      undefined,
      [op.node],
      [],
    );
  if (prop === undefined)
    return answer(
      {
        reason: 'proposal-waiting',
        short: `node ${op.node} has not taken it yet`,
        text: `Op ${op.id} waits for node ${op.node} to run it${at?.paused === true ? ' (the node is paused)' : ''}.`,
        fields,
      },
      undefined,
      [op.node],
      [],
    );
  fields.push(...proposalFields(prop));
  if (prop.request === 'readIndex') {
    if (prop.outcome === 'pending' && prop.facts.role !== 'leader')
      return answer(proposalReason(prop.node, prop.facts, 'readIndex'), prop, [prop.node], []);
    return answer(
      {
        reason: 'read-waiting',
        short:
          op.readIndex === undefined
            ? 'the read index is not confirmed yet'
            : `node ${op.node} has not applied index ${op.readIndex} yet`,
        text:
          op.readIndex === undefined
            ? `Op ${op.id} (a linearizable read) waits for the leader to confirm with a majority that it is still leader (a heartbeat round), and for its read index.`
            : `Op ${op.id} has its read index ${op.readIndex}; node ${op.node} serves it once it has applied up to there (applied ${running(o, op.node)?.applied ?? '?'}).`,
        fields,
      },
      prop,
      [op.node],
      [],
    );
  }
  // A proposal: where are its entries?
  let appendedAt: { node: number; first: number; last: number; term: number; seq: number } | undefined;
  if (prop.outcome === 'appended' && prop.appended !== undefined)
    appendedAt = { node: prop.node, ...prop.appended, seq: prop.seq };
  else if (prop.outcome === 'forwarded') {
    const fwd = evs.find(
      (e): e is SendEvent =>
        e.kind === 'send' &&
        e.seq > prop.seq &&
        e.node === prop.node &&
        e.msg.type === 'MsgProp' &&
        e.to === prop.forwardedTo,
    );
    if (fwd === undefined)
      return answer(
        {
          reason: 'proposal-waiting',
          short: `node ${prop.node} has not sent it to leader ${prop.forwardedTo} yet`,
          text: `Node ${prop.node} forwards op ${op.id} to leader ${prop.forwardedTo}; the message has not left yet (its Ready has not been sent).`,
          fields,
        },
        prop,
        [prop.node, prop.forwardedTo ?? 0],
        [],
      );
    const fate = evs.find(
      (e) => (e.kind === 'deliver' || e.kind === 'drop') && (e as { envelope: number }).envelope === fwd.envelope,
    );
    if (fate === undefined)
      return answer(
        {
          reason: 'proposal-waiting',
          short: `the forwarded proposal #${fwd.envelope} is still on its way`,
          text: `Op ${op.id} was forwarded to leader ${fwd.to} as message #${fwd.envelope}, which has not arrived yet.`,
          fields,
        },
        prop,
        [prop.node, fwd.to],
        [fwd.envelope],
      );
    if (fate.kind === 'drop')
      return answer(
        {
          reason: 'proposal-message-lost',
          short: `the forwarded proposal #${fwd.envelope} was lost (${fate.reason})`,
          text: `Op ${op.id} was forwarded from node ${prop.node} to leader ${fwd.to} as message #${fwd.envelope}, and that message was lost: ${dropWhy[fate.reason] ?? fate.reason}. Raft does not resend proposals; the client would have to retry.`,
          fields: [...fields, { name: 'drop reason', value: fate.reason, source: `envelope #${fwd.envelope}` }],
        },
        fate,
        [prop.node, fwd.to],
        [fwd.envelope],
      );
    if (fate.kind === 'deliver') {
      const f = fate.facts;
      if (f?.error !== undefined) {
        const r = proposalReason(fate.node, f.before, 'propose');
        if (f.before.role !== 'leader') {
          r.reason = 'proposal-leader-lost';
          r.text = `Op ${op.id} was forwarded to node ${fate.node} as message #${fwd.envelope}, but node ${fate.node} was no longer leader when it arrived (a ${f.before.role} in term ${f.before.term}${f.before.lead !== 0 ? `, following node ${f.before.lead}` : ', with no leader'}), and it dropped it. Raft does not resend proposals: the operation stays pending (the client cannot know), and a retry would go to the new leader.`;
        } else r.text = `Op ${op.id} was forwarded to leader ${fate.node}, which dropped it. ${r.text}`;
        r.fields.unshift(...fields);
        return answer(r, fate, [prop.node, fate.node], [fwd.envelope]);
      }
      const app = f?.replies.find((r) => r.type === 'MsgApp' && r.entries !== undefined)?.entries;
      if (f !== undefined && f.before.role !== 'leader') {
        // A follower forwards it again, or drops it silently: either way it is not where it was sent.
        return answer(
          {
            reason: 'proposal-leader-lost',
            short: `node ${fate.node} was no longer leader when it arrived`,
            text: `Op ${op.id} was forwarded to node ${fate.node}, which was no longer leader (it was a ${f.before.role} in term ${f.before.term}) when the proposal arrived.`,
            fields,
          },
          fate,
          [prop.node, fate.node],
          [fwd.envelope],
        );
      }
      if (app !== undefined)
        appendedAt = { node: fate.node, first: app.first, last: app.last, term: app.lastTerm, seq: fate.seq };
      else if (f !== undefined)
        appendedAt = {
          node: fate.node,
          first: f.before.lastIndex + 1,
          last: f.before.lastIndex + 1,
          term: f.before.term,
          seq: fate.seq,
        };
    }
  }
  if (appendedAt === undefined)
    return answer(
      {
        reason: 'proposal-waiting',
        short: 'raft has taken it',
        text: `Op ${op.id} was taken by node ${prop.node}.`,
        fields,
      },
      prop,
      [prop.node],
      [],
    );
  const idx = appendedAt.last;
  fields.push({
    name: 'appended as',
    value: `${entriesWord(appendedAt.first, appendedAt.last)} (term ${appendedAt.term}) at node ${appendedAt.node}`,
    source: 'proposal / MsgApp entries',
  });
  // A conf change refused by the leader is appended as an empty entry: it will never apply.
  if (prop.request === 'confchange' && prop.facts.role === 'leader' && prop.facts.pendingConfIndex > prop.facts.applied)
    return answer(
      {
        reason: 'proposal-conf-change-ignored',
        short: `leader ${prop.node} had an unapplied conf change at index ${prop.facts.pendingConfIndex}`,
        text: `Leader ${prop.node} took op ${op.id} but replaced the conf change with an empty entry: its previous conf change (index ${prop.facts.pendingConfIndex}) was not applied yet (applied ${prop.facts.applied}), and raft allows one at a time. The operation will never complete; retry once the earlier change is applied.`,
        fields: [
          ...fields,
          ...[
            {
              name: 'pendingConfIndex',
              value: prop.facts.pendingConfIndex,
              source: `leader ${prop.node} raft.pendingConfIndex`,
            },
          ],
        ],
      },
      prop,
      [prop.node],
      [],
    );
  const leader = currentLeader(o);
  const nowTerm = state.entry?.(leader?.id ?? appendedAt.node, idx)?.term;
  if (
    leader !== undefined &&
    (leader.id !== appendedAt.node || leader.term !== appendedAt.term) &&
    nowTerm !== undefined &&
    nowTerm !== appendedAt.term
  )
    return answer(
      {
        reason: 'proposal-leader-lost',
        short: `its entry ${idx} (term ${appendedAt.term}) was replaced by a term ${nowTerm} entry`,
        text: `Op ${op.id} became entry ${idx} of term ${appendedAt.term} at node ${appendedAt.node}, but node ${appendedAt.node} lost its leadership before the entry was committed: the new leader ${leader.id} (term ${leader.term}) has a term ${nowTerm} entry at index ${idx}, which replaces it everywhere. The client's request is gone; it stays pending because the client cannot know.`,
        fields: [
          ...fields,
          { name: `leader ${leader.id} entry term at ${idx}`, value: nowTerm, source: `leader ${leader.id} log` },
        ],
      },
      prop,
      [appendedAt.node, leader.id, op.node],
      [],
    );
  const inner = explainEntry(op.node, idx, state);
  if (inner === undefined) return undefined;
  const reason = inner.reason === 'committed-not-applied' ? 'proposal-not-applied' : 'proposal-not-committed';
  return {
    ...inner,
    reason,
    text: `Op ${op.id} is entry ${idx} (term ${appendedAt.term}). ${inner.text}`,
    fields: [...fields, ...inner.fields],
  };
}

function proposalFields(p: ProposalEvent): WhyField[] {
  const f: WhyField[] = [{ name: 'raft outcome', value: p.outcome, source: `node ${p.node} at proposal` }];
  if (p.forwardedTo !== undefined)
    f.push({ name: 'forwarded to', value: p.forwardedTo, source: `node ${p.node} SoftState.Lead` });
  return f;
}

// ---- nodes ----

function explainCampaign(node: number, state: WhyState): WhyAnswer | undefined {
  const o = state.observation;
  const nd = o.nodes.find((x) => x.id === node);
  if (nd === undefined) return undefined;
  const ob = nd.observation;
  if (nd.status !== 'alive' || ob === undefined || nd.paused)
    return answer(
      {
        reason: 'campaign-node-down',
        short: `node ${node} is ${nd.paused ? 'paused' : nd.status}`,
        text: `Node ${node} is ${nd.paused ? 'paused: its clock does not tick' : nd.status}, so its election timer does not run.`,
        fields: [{ name: 'status', value: nd.paused ? 'paused' : nd.status, source: 'scheduler' }],
      },
      undefined,
      [node],
      [],
    );
  const cs = ob.confState;
  const inConfig = cs.voters.includes(node) || cs.votersOutgoing.includes(node) || cs.learners.includes(node);
  const fields: WhyField[] = [
    { name: 'role', value: roleName(ob.role), source: `node ${node} SoftState.RaftState` },
    {
      name: 'voters',
      value: idList([...new Set([...cs.voters, ...cs.votersOutgoing])]),
      source: `node ${node} ConfState.Voters (+ VotersOutgoing)`,
    },
    { name: 'learners', value: idList(cs.learners), source: `node ${node} ConfState.Learners` },
  ];
  if (ob.role === StateLeader)
    return answer(
      {
        reason: 'campaign-is-leader',
        short: `node ${node} is the leader`,
        text: `Node ${node} is the leader of term ${ob.term}: a leader has no election timer to run out.`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  if (ob.isLearner)
    return answer(
      {
        reason: 'campaign-learner',
        short: `node ${node} is a learner`,
        text: `Node ${node} is a learner: it receives the log but does not vote and never campaigns (raft's promotable() is false) until it is promoted to voter.`,
        fields: [...fields, { name: 'isLearner', value: true, source: `node ${node} raft.isLearner` }],
      },
      undefined,
      [node],
      [],
    );
  if (!inConfig)
    return answer(
      {
        reason: 'campaign-not-in-config',
        short: `node ${node} is not in its configuration`,
        text: `Node ${node} is not in the configuration it knows (voters ${idList(cs.voters)}): it cannot campaign (promotable() is false). A joining node waits to learn the configuration from the leader; a removed node stays silent.`,
        fields,
      },
      undefined,
      [node],
      [],
    );
  fields.push(
    { name: 'commit index', value: ob.commit, source: `node ${node} raftLog.committed` },
    { name: 'applied index', value: ob.applied, source: `node ${node} raftLog.applied` },
  );
  if (ob.unappliedConfChange)
    return answer(
      {
        reason: 'campaign-unapplied-conf-change',
        short: `a committed conf change between ${ob.applied} and ${ob.commit} is not applied yet`,
        text: `Node ${node} refuses to campaign: among its committed entries not yet applied (${entriesWord(ob.applied + 1, ob.commit)}) is a configuration change. Raft waits until it is applied, so that the node campaigns under the configuration it will be in.`,
        fields: [
          ...fields,
          { name: 'unapplied conf change', value: true, source: `node ${node} raft.hasUnappliedConfChanges()` },
        ],
      },
      undefined,
      [node],
      [],
    );
  fields.push(
    { name: 'electionElapsed', value: ob.electionElapsed, source: `node ${node} raft.electionElapsed` },
    {
      name: 'randomizedElectionTimeout',
      value: ob.randomizedElectionTimeout,
      source: `node ${node} raft.randomizedElectionTimeout`,
    },
    { name: 'leader', value: ob.lead === 0 ? 'none' : ob.lead, source: `node ${node} SoftState.Lead` },
  );
  const left = ob.randomizedElectionTimeout - ob.electionElapsed;
  return answer(
    {
      reason: 'campaign-timer-not-expired',
      short: `its election timer has ${left} ticks left`,
      text: `Node ${node}'s election timer has not run out: ${ob.electionElapsed} of ${ob.randomizedElectionTimeout} ticks (${left} left). ${ob.lead !== 0 ? `Every message from its leader, node ${ob.lead}, resets it to 0, so while the leader is heard node ${node} never campaigns.` : 'It campaigns when the timer reaches its randomized timeout (a value in [electionTimeout, 2×electionTimeout), drawn again at each reset, so that nodes rarely time out together).'}`,
      fields,
    },
    undefined,
    [node, ob.lead],
    [],
  );
}

function explainFollower(node: number, state: WhyState): WhyAnswer | undefined {
  const o = state.observation;
  const leader = currentLeader(o);
  if (leader === undefined)
    return answer(
      {
        reason: 'follower-no-leader',
        short: 'there is no leader',
        text: `No node is leader now, so nobody sends node ${node} entries.`,
        fields: [],
      },
      undefined,
      [node],
      [],
    );
  const L = leader.id;
  if (L === node) return undefined;
  const pr = leader.progress.find((p) => p.id === node);
  if (pr === undefined)
    return answer(
      {
        reason: 'follower-not-tracked',
        short: `leader ${L} does not track node ${node}`,
        text: `Leader ${L} has no progress for node ${node}: node ${node} is not in its configuration, so it sends it nothing.`,
        fields: [{ name: 'tracked', value: false, source: `leader ${L} Progress` }],
      },
      undefined,
      [node, L],
      [],
    );
  const src = (f: string) => `leader ${L} Progress[${node}].${f}`;
  const fields: WhyField[] = [
    { name: 'state', value: pr.state, source: src('State') },
    { name: 'match', value: pr.match, source: src('Match') },
    { name: 'next', value: pr.next, source: src('Next') },
    { name: 'leader last index', value: leader.lastIndex, source: `leader ${L} raftLog.lastIndex()` },
    { name: 'paused', value: pr.paused, source: src('IsPaused()') },
  ];
  switch (pr.state) {
    case 'StateSnapshot':
      fields.push({ name: 'pendingSnapshot', value: pr.pendingSnapshot, source: src('PendingSnapshot') });
      return answer(
        {
          reason: 'follower-snapshot',
          short: `leader ${L} is sending it a snapshot (index ${pr.pendingSnapshot})`,
          text: `Leader ${L} keeps node ${node} in StateSnapshot: the entries node ${node} needs (from index ${pr.match + 1}) were compacted away, so the leader sent a snapshot up to index ${pr.pendingSnapshot} and sends nothing else until it learns the snapshot's fate (the transport reports it, or node ${node} acknowledges it).`,
          fields,
        },
        undefined,
        [node, L],
        [],
      );
    case 'StateProbe':
      return answer(
        {
          reason: 'follower-probe',
          short: pr.paused
            ? `leader ${L} probes node ${node} and waits for its answer`
            : `leader ${L} probes node ${node}`,
          text: `Leader ${L} is probing node ${node} (StateProbe): it does not know where node ${node}'s log matches its own, so it sends one append at a time (next index ${pr.next}) and ${pr.paused ? 'waits for the answer before sending more (the probe is in flight: paused)' : 'sends the next probe with the next heartbeat or answer'}. Once node ${node} accepts one, the leader streams entries (StateReplicate).`,
          fields,
        },
        undefined,
        [node, L],
        [],
      );
    default:
      if (pr.inflightFull) {
        fields.push({ name: 'inflight', value: pr.inflight, source: src('Inflights.Count()') });
        return answer(
          {
            reason: 'follower-inflights-full',
            short: `${pr.inflight} ${pr.inflight === 1 ? 'append' : 'appends'} to node ${node} unacknowledged (window full)`,
            text: `Leader ${L} streams entries to node ${node} (StateReplicate), but ${pr.inflight} ${pr.inflight === 1 ? 'append is' : 'appends are'} in flight without an acknowledgement: the Inflights window (MaxInflightMsgs) is full, so the leader pauses until node ${node} acknowledges some (match ${pr.match}).`,
            fields,
          },
          undefined,
          [node, L],
          [],
        );
      }
      return answer(
        {
          reason: 'follower-replicating',
          short: `leader ${L} streams entries to node ${node}`,
          text: `Leader ${L} streams entries to node ${node} (StateReplicate, match ${pr.match}, next ${pr.next}); node ${node} is not held back.`,
          fields,
        },
        undefined,
        [node, L],
        [],
      );
  }
}

// ---- what can be asked ----

/** The questions with an answer about a message (for the message inspector). */
export function questionsForMessage(envelope: number, state: WhyState): WhyQuestion[] {
  const q: WhyQuestion = { about: 'message', envelope };
  return canExplain(q, state) ? [q] : [];
}

/** The questions with an answer about an entry on a node (for the log views). */
export function questionsForEntry(node: number, index: number, state: WhyState): WhyQuestion[] {
  const q: WhyQuestion = { about: 'entry', node, index };
  return canExplain(q, state) ? [q] : [];
}

/** The questions with an answer about a client operation (for the client history). */
export function questionsForOp(op: number, state: WhyState): WhyQuestion[] {
  const q: WhyQuestion = { about: 'op', op };
  return canExplain(q, state) ? [q] : [];
}

/** The questions with an answer about a node (for the node panel): campaign, and follower (seen from the leader). */
export function questionsForNode(node: number, state: WhyState): WhyQuestion[] {
  const out: WhyQuestion[] = [];
  for (const q of [{ about: 'campaign', node } as const, { about: 'follower', node } as const])
    if (canExplain(q, state)) out.push(q);
  return out;
}
