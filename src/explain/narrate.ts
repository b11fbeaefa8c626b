// Narration: one plain-language line per meaningful event, for a student.
//
// Every sentence is built from the event's own fields (the message's raft fields, the
// facts the node's host measured) and from what earlier events established (kept in a
// NarrationContext: the configuration, the client's requests, the last delivery) —
// never from parsing free text, and never a claim the data does not support.
//
// What is not narrated (narrate returns undefined), by rule:
//   - ticks, heartbeats (MsgHeartbeat/MsgHeartbeatResp sent, delivered or lost), and
//     appends that carry no entries: routine; their effects (a campaign, a commit
//     index learnt) are narrated by their own events;
//   - the sending of answers (MsgVoteResp, MsgAppResp, ...): the answer is narrated
//     where it is decided (the vote, the append) and where it matters (the leader's
//     commit, the candidate becoming leader);
//   - deliveries: narrated through what they meant (vote, append, append-resp) unless
//     raft refused them;
//   - Ready cycles, votes recorded ('voted'), HardState-only writes, storage-thread
//     messages, commands that succeeded, user actions: their content is narrated by
//     the events they produced;
//   - raft's own log lines: they are "etcd's words", shown as they are when asked.
// An event the narrator does not know (a kind or a message type it has no words for)
// yields an explicit "unknown event" line rather than silence.

import type {
  AppendEvent,
  AppendRespEvent,
  ClusterEvent,
  CommitEvent,
  EntrySummary,
  MsgInfo,
  ProposalEvent,
  QuorumFacts,
  RequestEvent,
  RoleEvent,
} from '../cluster/events';
import { appendReason, idList, voteReason } from './reasons';
import type { NarrationLine } from './types';
import { proposalReason } from './whyProposal';

/** What earlier events established, for later lines. Plain data; one per stream. */
export interface NarrationContext {
  /** Client requests by op id. */
  requests: Map<number, RequestEvent>;
  /** The latest delivery per node (its message explains what the node did next). */
  lastDelivery: Map<number, { envelope: number; msg: MsgInfo }>;
  /** Indexes whose configuration change was already narrated as applied. */
  configsNarrated: Set<number>;
  /** Node -> the leader it was last said to follow, per term ("term:lead"). */
  following: Map<number, string>;
}

export function createNarrationContext(): NarrationContext {
  return { requests: new Map(), lastDelivery: new Map(), configsNarrated: new Set(), following: new Map() };
}

/** The message types the narrator knows (every etcd type); others give an "unknown event" line. */
const knownTypes = new Set([
  'MsgHup',
  'MsgBeat',
  'MsgProp',
  'MsgApp',
  'MsgAppResp',
  'MsgVote',
  'MsgVoteResp',
  'MsgSnap',
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgUnreachable',
  'MsgSnapStatus',
  'MsgCheckQuorum',
  'MsgTransferLeader',
  'MsgTimeoutNow',
  'MsgReadIndex',
  'MsgReadIndexResp',
  'MsgPreVote',
  'MsgPreVoteResp',
  'MsgStorageAppend',
  'MsgStorageAppendResp',
  'MsgStorageApply',
  'MsgStorageApplyResp',
  'MsgForgetLeader',
]);

const routineTypes = new Set([
  'MsgHeartbeat',
  'MsgHeartbeatResp',
  'MsgStorageAppend',
  'MsgStorageAppendResp',
  'MsgStorageApply',
  'MsgStorageApplyResp',
]);

function sorted(ids: Iterable<number>): number[] {
  return [...new Set(ids)].filter((x) => x !== 0).sort((a, b) => a - b);
}

function line(
  ev: ClusterEvent,
  text: string,
  level: 'major' | 'minor',
  nodes: Iterable<number>,
  messages: number[] = [],
): NarrationLine {
  return { seq: ev.seq, step: ev.step, time: ev.time, kind: ev.kind, text, level, nodes: sorted(nodes), messages };
}

function unknown(ev: ClusterEvent, what: string): NarrationLine {
  return { ...line(ev, `unknown event: ${what}`, 'minor', [ev.node]), unknown: true };
}

/** "entry 7" / "entries 6–8" */
export function entriesWord(first: number, last: number): string {
  return first === last ? `entry ${first}` : `entries ${first}–${last}`;
}

function summaries(list: readonly EntrySummary[], more: number): string {
  if (list.length === 0) return '';
  const words = list.map((e) => (e.kind === 'empty' ? "the leader's empty entry" : e.summary));
  return ` (${words.join(', ')}${more > 0 ? `, and ${more} more` : ''})`;
}

/** Who holds `index`, by the leader's progress: the quorum sentence of a commit. */
export function storedOn(q: QuorumFacts, index: number): string {
  const has = (id: number) => (q.match.find((m) => m.id === id)?.match ?? 0) >= index;
  const half = (voters: number[]) => {
    const got = voters.filter(has);
    return { got, need: Math.floor(voters.length / 2) + 1, of: voters.length };
  };
  const inc = half(q.voters);
  if (q.outgoing.length === 0)
    return `stored on ${idList(inc.got)} (a majority of ${inc.of}${inc.of === 1 ? ' voter' : ''})`;
  const out = half(q.outgoing);
  return `stored on ${idList(inc.got)} of the new voters (${idList(q.voters)}) and ${idList(out.got)} of the old voters (${idList(q.outgoing)}): a majority of each half of the joint configuration`;
}

/** What a client request asks, in words ("put x=1", "add node 4 as a learner"). */
function requestWhat(r: RequestEvent): string {
  const id = /(\d+)$/.exec(r.detail)?.[1] ?? '?';
  switch (r.opKind) {
    case 'put':
      return `put ${r.key}=${r.value}`;
    case 'get':
      return `read ${r.key}`;
    case 'addNode':
      return `add node ${id} as a voter`;
    case 'addLearner':
      return `add node ${id} as a learner`;
    case 'promote':
      return `promote learner ${id} to voter`;
    case 'removeNode':
      return `remove node ${id}`;
    case 'changeMembership':
      return `change the membership (${r.detail})`;
    case 'leaveJoint':
      return 'leave the joint configuration';
    case 'transferLeadership':
      return `hand leadership to node ${r.value ?? id}`;
    case 'compact':
      return `compact its log up to index ${r.value ?? id}`;
    default:
      return r.detail;
  }
}

function requestWords(r: RequestEvent | undefined, op: number | undefined): string {
  if (r === undefined) return op === undefined ? 'a proposal' : `op ${op}`;
  return `op ${r.op} (${requestWhat(r)})`;
}

const dropWords: Record<string, string> = {
  loss: 'lost on the network',
  'link-down': 'the link is cut',
  crashed: 'its addressee is down',
  'unknown-node': 'its addressee does not exist',
  manual: 'dropped by you',
  removed: 'its addressee was removed',
};

/**
 * The line for one event (undefined: not narrated, see the rules above). The context
 * is updated as events go by; feed it every event of the stream, in order.
 */
export function narrate(ev: ClusterEvent, ctx: NarrationContext): NarrationLine | undefined {
  const n = ev.node;
  switch (ev.kind) {
    case 'send': {
      const m = ev.msg;
      if (!knownTypes.has(m.type)) return unknown(ev, `message type ${m.type}`);
      if (ev.due === undefined) return undefined; // the drop that follows says it
      if (ev.duplicateOf !== undefined)
        return line(
          ev,
          `${ev.manual === true ? 'You copy' : 'The network duplicates'} message #${ev.duplicateOf} (${m.type} ${m.from}→${m.to}); the copy is #${ev.envelope}`,
          'minor',
          [m.from, m.to],
          [ev.envelope, ev.duplicateOf],
        );
      switch (m.type) {
        case 'MsgApp':
          if (m.entries === undefined) return undefined;
          return line(
            ev,
            `Node ${n} sends ${entriesWord(m.entries.first, m.entries.last)} (term ${m.entries.lastTerm}) to node ${ev.to}, after entry ${m.index} (term ${m.logTerm}); leader's commit index ${m.commit}`,
            'minor',
            [n, ev.to],
            [ev.envelope],
          );
        case 'MsgVote':
        case 'MsgPreVote':
          return line(
            ev,
            `Node ${n} asks node ${ev.to} for ${m.type === 'MsgPreVote' ? 'a pre-vote' : 'its vote'} in term ${m.term} (its last entry: index ${m.index}, term ${m.logTerm})`,
            'minor',
            [n, ev.to],
            [ev.envelope],
          );
        case 'MsgSnap':
          return undefined; // a 'snapshot' event says it
        case 'MsgProp':
          return line(
            ev,
            `Node ${n} forwards a proposal${m.entries !== undefined ? ` of ${m.entries.count} ${m.entries.count === 1 ? 'entry' : 'entries'}` : ''} to leader ${ev.to}`,
            'minor',
            [n, ev.to],
            [ev.envelope],
          );
        case 'MsgReadIndex':
          return line(ev, `Node ${n} forwards a read to leader ${ev.to}`, 'minor', [n, ev.to], [ev.envelope]);
        case 'MsgTransferLeader':
          return line(
            ev,
            `Node ${n} forwards the leadership transfer request to leader ${ev.to}`,
            'minor',
            [n, ev.to],
            [ev.envelope],
          );
        case 'MsgTimeoutNow':
          return line(
            ev,
            `Leader ${n} tells node ${ev.to} to start an election now (leadership transfer)`,
            'major',
            [n, ev.to],
            [ev.envelope],
          );
        default:
          return undefined; // answers and heartbeats: see the rules
      }
    }
    case 'deliver': {
      const m = ev.msg;
      if (!knownTypes.has(m.type)) return unknown(ev, `message type ${m.type}`);
      ctx.lastDelivery.set(n, { envelope: ev.envelope, msg: m });
      const err = ev.facts?.error;
      if (err !== undefined)
        return line(
          ev,
          `Node ${n} refuses ${m.type} from node ${ev.from}: ${err}${m.type === 'MsgProp' ? ` (${proposalDropWords(ev.facts!.before, n)})` : ''}`,
          'major',
          [n, ev.from],
          [ev.envelope],
        );
      if (m.type === 'MsgSnap' && m.snapshot !== undefined)
        return line(
          ev,
          `Node ${n} receives node ${ev.from}'s snapshot (up to index ${m.snapshot.index}, term ${m.snapshot.term})`,
          'minor',
          [n, ev.from],
          [ev.envelope],
        );
      if (m.type === 'MsgProp' && ev.facts !== undefined) {
        const app = ev.facts.replies.find((r) => r.type === 'MsgApp' && r.entries !== undefined);
        if (app?.entries !== undefined)
          return line(
            ev,
            `Leader ${n} appends node ${ev.from}'s forwarded proposal as ${entriesWord(app.entries.first, app.entries.last)} (term ${app.entries.lastTerm})`,
            'minor',
            [n, ev.from],
            [ev.envelope],
          );
      }
      return undefined;
    }
    case 'drop': {
      const m = ev.msg;
      if (!knownTypes.has(m.type)) return unknown(ev, `message type ${m.type}`);
      if (routineTypes.has(m.type)) return undefined;
      const why = dropWords[ev.reason] ?? ev.reason;
      return line(
        ev,
        `Message #${ev.envelope} (${m.type} ${m.from}→${m.to}, term ${m.term}) is lost: ${why}`,
        m.type === 'MsgSnap' || m.type === 'MsgProp' || m.type === 'MsgTimeoutNow' ? 'major' : 'minor',
        [m.from, m.to],
        [ev.envelope],
      );
    }
    case 'hold':
      return line(
        ev,
        ev.held
          ? `You hold message #${ev.envelope}: it waits until you release or deliver it`
          : `You release message #${ev.envelope}`,
        'minor',
        [n],
        [ev.envelope],
      );
    case 'reorder':
      return line(ev, `You delay message #${ev.envelope} until t=${ev.due}`, 'minor', [n], [ev.envelope]);
    case 'tick':
      return undefined;
    case 'role':
      return narrateRole(ev, ctx);
    case 'campaign': {
      const last = `its last entry: index ${ev.lastIndex}, term ${ev.lastTerm}`;
      const others = ev.voters.filter((v) => v !== n);
      const ask = others.length === 0 ? 'it is the only voter' : `it asks ${idList(others)}`;
      const what = ev.preVote
        ? `starts a pre-vote for term ${ev.term} (${ask}; its term stays ${ev.term - 1} until a majority would vote for it)`
        : `starts an election in term ${ev.term} and votes for itself (${ask})`;
      let why: string;
      const d = ctx.lastDelivery.get(n);
      if (ev.cause === 'tick') why = `Node ${n}'s election timer ran out; it ${what}`;
      else if (ev.cause === 'campaign') why = `Node ${n} is told to campaign; it ${what}`;
      else if (ev.cause === 'step' && d !== undefined && d.envelope === ev.envelope && d.msg.type === 'MsgTimeoutNow')
        why = `Node ${n} got MsgTimeoutNow from leader ${d.msg.from}; it ${what.replace('starts an election', 'starts an election at once')}`;
      else if (ev.cause === 'step' && !ev.preVote) why = `Node ${n} won the pre-vote; it ${what}`;
      else why = `Node ${n} ${what}`;
      return line(ev, `${why} — ${last}`, 'major', ev.voters, ev.envelope === undefined ? [] : [ev.envelope]);
    }
    case 'vote': {
      const r = voteReason(ev);
      const kind = ev.preVote ? 'pre-vote' : 'vote';
      const text =
        ev.outcome === 'granted'
          ? ev.preVote
            ? `Node ${n} would vote for node ${ev.candidate} in term ${ev.term} (pre-vote granted)`
            : `Node ${n} grants its vote to node ${ev.candidate} (term ${ev.term})`
          : ev.outcome === 'rejected'
            ? `Node ${n} rejects node ${ev.candidate}'s ${kind} request for term ${ev.term}: ${r.short}`
            : `Node ${n} ignores node ${ev.candidate}'s ${kind} request for term ${ev.term}: ${r.short}`;
      return line(ev, text, 'major', [n, ev.candidate], [ev.envelope]);
    }
    case 'append':
      return narrateAppend(ev);
    case 'append-resp':
      return narrateAppendResp(ev);
    case 'commit':
      return narrateCommit(ev);
    case 'voted':
      return undefined;
    case 'transfer':
      return ev.target !== 0
        ? line(ev, `Leader ${n} starts handing leadership over to node ${ev.target}`, 'major', [n, ev.target])
        : line(ev, `Leader ${n}'s leadership transfer to node ${ev.prev} is over`, 'minor', [n, ev.prev]);
    case 'cycle':
      return undefined;
    case 'persist': {
      if (ev.entries === undefined) return undefined;
      const e = ev.entries;
      return line(ev, `Node ${n} writes ${entriesWord(e.first, e.last)} (term ${e.lastTerm}) to its disk`, 'minor', [
        n,
      ]);
    }
    case 'apply': {
      const es = ev.entries;
      const first = es[0]!.index;
      const words = es.filter((e) => e.kind !== 'empty').map((e) => e.summary);
      return line(
        ev,
        `Node ${n} applies ${entriesWord(first, ev.appliedTo)} to its state machine${words.length > 0 ? ` (${words.slice(0, 4).join(', ')}${words.length > 4 ? `, and ${words.length - 4} more` : ''})` : " (the leader's empty entry)"}`,
        'minor',
        [n],
      );
    }
    case 'snapshot':
      switch (ev.action) {
        case 'sent':
          return line(
            ev,
            `Leader ${n} sends node ${ev.peer} a snapshot (up to index ${ev.index}, term ${ev.term}): the entries it needs are no longer in the leader's log`,
            'major',
            [n, ev.peer ?? 0],
            ev.envelope === undefined ? [] : [ev.envelope],
          );
        case 'installed':
          return line(
            ev,
            `Node ${n} installs a snapshot up to index ${ev.index} (term ${ev.term}) in place of its log`,
            'major',
            [n],
          );
        case 'taken':
          return line(
            ev,
            `Node ${n} takes a snapshot at index ${ev.index} and compacts its log up to index ${ev.compactedTo ?? ev.index}`,
            'minor',
            [n],
          );
        default:
          return unknown(ev, `snapshot ${String((ev as { action: string }).action)}`);
      }
    case 'config': {
      const first = !ctx.configsNarrated.has(ev.index);
      ctx.configsNarrated.add(ev.index);
      const joint = ev.outgoing.length > 0;
      const text = `Node ${n} applies the configuration change at index ${ev.index} (${ev.summary}): voters ${idList(ev.voters)}${joint ? ` joint with ${idList(ev.outgoing)}` : ''}${ev.learners.length > 0 ? `, learners ${idList(ev.learners)}` : ''}`;
      return line(ev, text, first ? 'major' : 'minor', [n, ...ev.voters, ...ev.learners]);
    }
    case 'read-state':
      return line(
        ev,
        `Node ${n} may answer ${ev.states.length === 1 ? 'a read' : `${ev.states.length} reads`} once it has applied index ${ev.states[ev.states.length - 1]!.index} (ReadIndex)`,
        'minor',
        [n],
      );
    case 'proposal':
      return narrateProposal(ev, ctx);
    case 'command':
      return ev.ok ? undefined : line(ev, `Node ${n} refuses ${ev.command}: ${ev.error ?? 'error'}`, 'minor', [n]);
    case 'node-start':
      return ev.voters.length + ev.learners.length > 0
        ? line(
            ev,
            `Node ${n} starts with voters ${idList(ev.voters)}${ev.learners.length > 0 ? ` and learners ${idList(ev.learners)}` : ''}`,
            ev.time > 0 ? 'major' : 'minor',
            [n],
          )
        : line(ev, `Node ${n} starts empty: it will learn the configuration from the leader`, 'major', [n]);
    case 'crash':
      return line(ev, `Node ${n} crashes: everything but its disk is lost`, 'major', [n]);
    case 'restart':
      return line(
        ev,
        `Node ${n} restarts from its disk: term ${ev.term}, ${ev.vote === 0 ? 'no vote' : `voted for ${ev.vote}`}, commit index ${ev.commit}`,
        'major',
        [n],
      );
    case 'pause':
      return line(ev, `Node ${n} is paused: it neither ticks nor receives`, 'major', [n]);
    case 'resume':
      return line(ev, `Node ${n} resumes`, 'major', [n]);
    case 'node-removed':
      return line(ev, `Node ${n} is shut down: it left the configuration`, 'major', [n]);
    case 'panic':
      return line(ev, `Node ${n} stops on an error: ${ev.message}`, 'major', [n]);
    case 'partition':
      return line(
        ev,
        `The network splits into ${ev.groups.map((g) => `{${g.join(', ')}}`).join(' and ')}${ev.groups.length === 1 ? ' and the rest' : ''}: messages between groups are lost`,
        'major',
        ev.groups.flat(),
      );
    case 'heal':
      return line(ev, 'The network heals: every link is up again', 'major', []);
    case 'cut':
      return line(
        ev,
        `${ev.up ? 'The link' : 'You cut the link'} ${ev.from}${ev.oneWay ? '→' : '↔'}${ev.to}${ev.up ? ' is restored' : ''}`,
        'major',
        [ev.from, ev.to],
      );
    case 'link-faults': {
      const f = Object.entries(ev.faults)
        .map(([k, v]) => `${k} ${String(v)}`)
        .join(', ');
      const where =
        ev.scope === 'global' ? 'every link' : ev.scope === 'clear' ? 'links' : `the link ${ev.from}→${ev.to}`;
      return line(
        ev,
        ev.scope === 'clear' ? 'Links go back to the global network settings' : `Network settings of ${where}: ${f}`,
        'minor',
        ev.from === undefined ? [] : [ev.from, ev.to ?? 0],
      );
    }
    case 'request': {
      ctx.requests.set(ev.op, ev);
      const what =
        ev.opKind === 'get'
          ? `read ${ev.key} (${ev.detail.endsWith('linearizable') ? 'linearizable, through ReadIndex' : 'local, possibly stale'})`
          : requestWhat(ev);
      return line(ev, `Client ${ev.client} asks node ${n} to ${what} (op ${ev.op})`, 'major', [n]);
    }
    case 'response': {
      const r = ctx.requests.get(ev.op);
      return line(
        ev,
        `${requestWords(r, ev.op)} ${ev.status === 'ok' ? 'is done' : 'failed'}${ev.result !== undefined && ev.result !== '' ? `: ${ev.result}` : ''}`,
        'major',
        [n],
      );
    }
    case 'log':
    case 'action':
      return undefined;
    default:
      return unknown(ev, (ev as { kind: string }).kind);
  }
}

function narrateRole(ev: RoleEvent, ctx: NarrationContext): NarrationLine | undefined {
  const n = ev.node;
  const p = ev.prev;
  if (ev.role === 'candidate' || ev.role === 'pre-candidate') return undefined; // the campaign line says it
  if (ev.role === 'leader') {
    const v = ev.votes;
    return line(
      ev,
      `Node ${n} becomes leader of term ${ev.term}${v !== undefined ? ` with votes from ${idList(v.granted)}` : ''}`,
      'major',
      [n, ...(v?.granted ?? [])],
      ev.envelope === undefined ? [] : [ev.envelope],
    );
  }
  const d = ctx.lastDelivery.get(n);
  const cause = d !== undefined && d.envelope === ev.envelope ? d.msg : undefined;
  const msgs = ev.envelope === undefined ? [] : [ev.envelope];
  if (p.role === 'leader') {
    const why =
      ev.term > p.term
        ? `it saw term ${ev.term}${cause !== undefined ? ` in node ${cause.from}'s ${cause.type}` : ''}`
        : ev.cause === 'tick'
          ? 'it has not heard from a majority within an election timeout (CheckQuorum)'
          : ev.cause === 'apply'
            ? 'it was removed from the configuration'
            : `of ${ev.cause}`;
    return line(ev, `Leader ${n} steps down to follower (term ${ev.term}): ${why}`, 'major', [n], msgs);
  }
  if (p.role === 'candidate' || p.role === 'pre-candidate') {
    const v = ev.votes;
    const lost =
      ev.term > p.term
        ? `it saw term ${ev.term}${cause !== undefined ? ` from node ${cause.from}` : ''}`
        : ev.lead !== 0
          ? `node ${ev.lead} is leader of this term${cause !== undefined ? ` (it sent ${cause.type})` : ''}`
          : v !== undefined
            ? `${p.role === 'pre-candidate' ? 'the pre-vote' : 'the election'} is lost (granted: ${idList(v.granted)}; rejected: ${idList(v.rejected)})`
            : 'it gives up';
    return line(
      ev,
      `Node ${n} goes back to follower (term ${ev.term})${ev.lead !== 0 ? `, following leader ${ev.lead}` : ''}: ${lost}`,
      'major',
      [n, ...(ev.lead !== 0 ? [ev.lead] : [])],
      msgs,
    );
  }
  // follower -> follower: a newer term, or a leader found or forgotten.
  if (ev.lead !== 0 && ev.lead !== p.lead) {
    const key = `${ev.term}:${ev.lead}`;
    if (ctx.following.get(n) === key) return undefined;
    ctx.following.set(n, key);
    return line(
      ev,
      `Node ${n} follows leader ${ev.lead} in term ${ev.term}${ev.term > p.term ? ` (up from term ${p.term})` : ''}`,
      'minor',
      [n, ev.lead],
      msgs,
    );
  }
  if (ev.term > p.term)
    return line(
      ev,
      `Node ${n} moves to term ${ev.term}${cause !== undefined ? ` (it saw node ${cause.from}'s ${cause.type})` : ''}`,
      'minor',
      [n, ...(cause !== undefined ? [cause.from] : [])],
      msgs,
    );
  if (ev.lead === 0 && p.lead !== 0)
    return line(ev, `Node ${n} forgets leader ${p.lead} (term ${ev.term})`, 'minor', [n, p.lead], msgs);
  return undefined;
}

function narrateAppend(ev: AppendEvent): NarrationLine | undefined {
  const n = ev.node;
  const nodes = [n, ev.leader];
  switch (ev.outcome) {
    case 'accepted':
      if (ev.entries === undefined) return undefined;
      return line(
        ev,
        `Node ${n} appends ${entriesWord(ev.entries.first, ev.entries.last)} from leader ${ev.leader} (term ${ev.entries.lastTerm}): its entry ${ev.prevIndex} matches the leader's (term ${ev.prevTerm})`,
        'minor',
        nodes,
        [ev.envelope],
      );
    case 'committed':
      return undefined;
    case 'rejected': {
      const r = appendReason(ev);
      return line(
        ev,
        `Node ${n} rejects the append at index ${ev.prevIndex}: ${r.short}; the leader will back up`,
        'major',
        nodes,
        [ev.envelope],
      );
    }
    case 'stale':
      return line(
        ev,
        `Node ${n} ignores node ${ev.leader}'s append: its term ${ev.term} is older than node ${n}'s term ${ev.facts.term}`,
        'minor',
        nodes,
        [ev.envelope],
      );
    default:
      return unknown(ev, `append outcome ${String((ev as { outcome: string }).outcome)}`);
  }
}

function narrateAppendResp(ev: AppendRespEvent): NarrationLine | undefined {
  const n = ev.node;
  const f = ev.follower;
  const p = ev.progress;
  if (ev.reject) {
    const moved = p !== undefined && p.after.next !== p.before.next;
    return line(
      ev,
      moved
        ? `Leader ${n} backs up for node ${f}: next index ${p.before.next} → ${p.after.next} (hint: index ${ev.hint?.index}, term ${ev.hint?.term}), and probes again`
        : `Leader ${n} ignores node ${f}'s stale rejection of index ${ev.index}`,
      moved ? 'major' : 'minor',
      [n, f],
      [ev.envelope],
    );
  }
  if (p !== undefined && p.before.state !== p.after.state)
    return line(
      ev,
      `Leader ${n} now ${p.after.state === 'StateReplicate' ? 'streams entries to' : p.after.state === 'StateProbe' ? 'probes' : 'sends a snapshot to'} node ${f} (${p.after.state}, match ${p.after.match})`,
      'minor',
      [n, f],
      [ev.envelope],
    );
  return undefined;
}

function narrateCommit(ev: CommitEvent): NarrationLine | undefined {
  const n = ev.node;
  const range = entriesWord(ev.from + 1, ev.to);
  if (ev.to < ev.from) return undefined; // never happens in raft; nothing to say
  if (ev.quorum !== undefined) {
    const count = ev.to - ev.from;
    return line(
      ev,
      `${range[0]!.toUpperCase()}${range.slice(1)}${summaries(ev.entries, ev.more)} ${count === 1 ? 'is' : 'are'} committed: ${storedOn(ev.quorum, ev.to)}`,
      'major',
      [n, ...ev.quorum.match.filter((m) => m.match >= ev.to).map((m) => m.id)],
      ev.envelope === undefined ? [] : [ev.envelope],
    );
  }
  return line(
    ev,
    `Node ${n} learns that ${ev.to - ev.from === 1 ? `entry ${ev.to} is` : `entries up to ${ev.to} are`} committed${ev.role === 'leader' ? '' : ' (from its leader)'}`,
    'minor',
    [n],
    ev.envelope === undefined ? [] : [ev.envelope],
  );
}

function proposalDropWords(f: ProposalEvent['facts'], n: number): string {
  return proposalReason(n, f, 'propose').short;
}

function narrateProposal(ev: ProposalEvent, ctx: NarrationContext): NarrationLine | undefined {
  const n = ev.node;
  const r = ev.op === undefined ? undefined : ctx.requests.get(ev.op);
  const what = requestWords(r, ev.op);
  switch (ev.outcome) {
    case 'appended':
      return line(
        ev,
        `Leader ${n} appends ${what} to its log as ${entriesWord(ev.appended!.first, ev.appended!.last)} (term ${ev.appended!.term})`,
        'major',
        [n],
      );
    case 'forwarded':
      return line(ev, `Node ${n} is not leader: it forwards ${what} to node ${ev.forwardedTo}`, 'minor', [
        n,
        ev.forwardedTo ?? 0,
      ]);
    case 'dropped':
      return line(ev, `Node ${n} drops ${what}: ${proposalReason(n, ev.facts, ev.request).short}`, 'major', [n]);
    case 'pending':
      return line(
        ev,
        ev.request === 'readIndex'
          ? ev.facts.role === 'leader'
            ? `Leader ${n} checks with a majority that it is still leader before serving ${what}`
            : `Node ${n} knows no leader: ${what} waits`
          : `Node ${n} takes ${what}`,
        'minor',
        [n],
      );
    default:
      return unknown(ev, `proposal outcome ${String((ev as { outcome: string }).outcome)}`);
  }
}

/** Narrates a whole stream from the start (a fresh context). */
export function narrateAll(events: readonly ClusterEvent[], ctx = createNarrationContext()): NarrationLine[] {
  const out: NarrationLine[] = [];
  for (const ev of events) {
    const l = narrate(ev, ctx);
    if (l !== undefined) out.push(l);
  }
  return out;
}
