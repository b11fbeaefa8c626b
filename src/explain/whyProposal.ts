// Why raft refused a client request at a node, from the node's state when it got it
// (NodeFacts): the tests of etcd's stepFollower / stepCandidate / stepLeader for
// MsgProp and MsgReadIndex, in their order.

import type { NodeFacts, ProposalEvent } from '../cluster/events';
import { factFields, type Reasoned } from './reasons';

/** Why node n refused a request it got in state f (call it for refused requests). */
export function proposalReason(n: number, f: NodeFacts, request: ProposalEvent['request']): Reasoned {
  const what = request === 'readIndex' ? 'read' : request === 'transferLeader' ? 'transfer request' : 'proposal';
  if (f.role === 'candidate' || f.role === 'pre-candidate' || (f.role === 'follower' && f.lead === 0)) {
    const read = request === 'readIndex';
    return {
      reason: read ? 'read-no-leader' : 'proposal-no-leader',
      short: `it knows no leader in term ${f.term}`,
      text: `Node ${n} ${read ? 'cannot serve the read' : 'drops the proposal'}: it is ${f.role === 'follower' ? 'a follower that knows no leader' : `a ${f.role}, an election is under way`} in term ${f.term}, so there is nobody to ${read ? 'confirm the read index' : 'forward it to'}. ${read ? 'The read waits; raft drops it without an answer.' : 'Raft returns ErrProposalDropped; the client may retry later.'}`,
      fields: factFields(n, f, ['role', 'term', 'lead']),
    };
  }
  if (f.role === 'follower') {
    if (f.disableProposalForwarding && request !== 'readIndex')
      return {
        reason: 'proposal-forwarding-disabled',
        short: `it does not forward proposals to leader ${f.lead} (DisableProposalForwarding)`,
        text: `Node ${n} drops the ${what}: it is a follower of node ${f.lead}, and DisableProposalForwarding is set, so it does not pass proposals on.`,
        fields: factFields(n, f, ['role', 'lead', 'disableProposalForwarding']),
      };
    return {
      reason: 'proposal-waiting',
      short: `it forwards it to leader ${f.lead}`,
      text: `Node ${n} is a follower: it forwards the ${what} to leader ${f.lead}.`,
      fields: factFields(n, f, ['role', 'lead']),
    };
  }
  // Leader.
  if (!f.inConfig)
    return {
      reason: 'proposal-learner-or-removed',
      short: `leader ${n} is no longer in the configuration`,
      text: `Leader ${n} drops the ${what}: it was removed from the configuration and leads only until that change is committed, taking no new proposals.`,
      fields: factFields(n, f, ['role', 'inConfig']),
    };
  if (f.leadTransferee !== 0 && request !== 'readIndex')
    return {
      reason: 'proposal-dropped-transfer',
      short: `it is handing leadership over to node ${f.leadTransferee}`,
      text: `Leader ${n} drops the ${what}: it is transferring leadership to node ${f.leadTransferee}, and takes no proposals until the transfer ends (it succeeds, or times out after an election timeout).`,
      fields: factFields(n, f, ['role', 'leadTransferee']),
    };
  // The remaining refusal of a leader (appendEntries): the uncommitted-size limit.
  if (request === 'propose' || request === 'confchange')
    return {
      reason: 'proposal-too-large-uncommitted',
      short: `its uncommitted entries already hold ${f.uncommittedSize} bytes (limit ${f.maxUncommittedSize})`,
      text: `Leader ${n} drops the ${what}: its log already holds ${f.uncommittedSize} bytes of uncommitted payload, and taking this one would pass MaxUncommittedEntriesSize (${f.maxUncommittedSize} bytes). It takes proposals again as entries commit.`,
      fields: factFields(n, f, ['role', 'uncommittedSize', 'maxUncommittedSize']),
    };
  return {
    reason: 'proposal-failed',
    short: 'raft refused it',
    text: `Leader ${n} refused the ${what}.`,
    fields: factFields(n, f, ['role', 'term', 'leadTransferee', 'inConfig', 'uncommittedSize']),
  };
}
