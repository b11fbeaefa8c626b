import { describe, expect, it } from 'vitest';
import type { Envelope } from '../cluster/bus';
import type { ClientOp } from '../cluster/client';
import type { ProgressObservation } from '../cluster/protocol';
import { MsgApp, MsgAppResp, newMessage, type MessageType } from '../raft/raftpb/types';
import { checkStep } from './check';
import type { LiveNode, LiveState } from './live';
import { termAt } from './live';
import { parseLesson } from './parse';
import { evaluate, parsePredicate } from './predicates';
import { checkTemplate, fillTemplate } from './template';

function node(id: number, over: Partial<LiveNode> = {}): LiveNode {
  return {
    id,
    status: 'alive',
    paused: false,
    role: 'follower',
    term: 2,
    vote: 1,
    lead: 1,
    commit: 5,
    applied: 5,
    first: 1,
    last: 5,
    voters: [1, 2, 3],
    outgoing: [],
    learners: [],
    progress: [],
    kv: { x: '1' },
    log: [1, 1, 1, 2, 2].map((term, i) => ({ index: i + 1, term })),
    snap: 0,
    snapTerm: 0,
    timeout: 7,
    disk: { term: 2, vote: 1, commit: 4 },
    ...over,
  };
}

function progress(id: number, over: Partial<ProgressObservation> = {}): ProgressObservation {
  return {
    id,
    match: 5,
    next: 6,
    state: 'StateReplicate',
    isLearner: false,
    paused: false,
    recentActive: true,
    pendingSnapshot: 0,
    inflight: 0,
    inflightFull: false,
    ...over,
  };
}

function envelope(id: number, type: MessageType, from: number, to: number, over: object = {}): Envelope {
  return {
    id,
    from,
    to,
    msg: newMessage({ type, from, to, term: 2, ...over }),
    sendTime: 0,
    dueTime: 1,
    size: 48,
    held: false,
    duplicateOf: undefined,
  };
}

const op = (id: number, over: Partial<ClientOp>): ClientOp => ({
  id,
  client: 'c1',
  kind: 'get',
  node: 1,
  invokeTime: 0,
  status: 'ok',
  requestId: `r${id}`,
  ...over,
});

/** Leader 1 in term 2; node 3 lags (log to 4, probing); node 4 crashed; two messages in flight. */
function state(): LiveState {
  const nodes = new Map<number, LiveNode>([
    [
      1,
      node(1, {
        role: 'leader',
        progress: [progress(1), progress(2), progress(3, { state: 'StateProbe', match: 4, next: 5, inflight: 1 })],
      }),
    ],
    [2, node(2)],
    [3, node(3, { commit: 4, applied: 4, last: 4, log: [1, 1, 1, 2].map((term, i) => ({ index: i + 1, term })) })],
    [4, node(4, { status: 'crashed', role: 'none', vote: 0, lead: 0, snap: 3, snapTerm: 1, log: [] })],
  ]);
  return {
    leader: 1,
    nodes,
    inFlight: [
      envelope(7, MsgApp, 1, 3, { index: 4, logTerm: 2, commit: 5 }),
      envelope(8, MsgAppResp, 2, 1, { reject: true, rejectHint: 3 }),
    ],
    history: [
      op(1, { kind: 'put', key: 'x', value: '1', result: 'ok' }),
      op(2, { result: '1', consistency: 'stale-possible', key: 'x' }),
    ],
  };
}

const fact = (text: string) => evaluate(state(), parsePredicate('t:1', text.split(' '), text));

describe('facts', () => {
  it('checks the leader and node fields, with !=, >= and <=', () => {
    expect(fact('leader=1').ok).toBe(true);
    expect(fact('leader=none')).toEqual({ ok: false, text: 'leader=none', why: 'leader is 1' });
    expect(fact('node=1 role=leader term=2 commit=5').ok).toBe(true);
    expect(fact('node=(1,2) term=2 lead=1 vote!=3').ok).toBe(true);
    expect(fact('node=(1,2,3) commit=5')).toMatchObject({ ok: false, why: 'node 3: commit is 4' });
    expect(fact('node=3 commit>=4 commit<=4 last<=4').ok).toBe(true);
    expect(fact('node=3 commit>=5').ok).toBe(false);
    expect(fact('node=4 status=crashed role=none lead=none').ok).toBe(true);
    expect(fact('node=9 term=2')).toMatchObject({ ok: false, why: 'there is no node 9' });
  });

  it('compares voters as sets and logs as sequences of terms', () => {
    expect(fact('node=1 voters=(3,1,2) learners=() outgoing=()').ok).toBe(true);
    expect(fact('node=3 log=(1,1,1,2)').ok).toBe(true);
    expect(fact('node=3 log=(1,1,2,1)')).toMatchObject({ ok: false, why: 'node 3: log is (1,1,1,2)' });
    expect(fact('node=2 key=x value=1').ok).toBe(true);
    expect(fact('node=2 key=y value=none').ok).toBe(true);
    expect(fact('node=2 disk-term=2 disk-vote=1 disk-commit=4').ok).toBe(true);
    expect(fact('node=2 disk-commit=5')).toMatchObject({ ok: false, why: 'node 2: disk-commit is 4' });
  });

  it("checks a leader's progress records", () => {
    expect(fact('node=1 peer=3 state=probe match=4 next=5 inflight=1 active=true').ok).toBe(true);
    expect(fact('node=1 peer=2 state=probe')).toMatchObject({
      ok: false,
      why: 'progress of 2 at 1: state is replicate',
    });
    expect(fact('node=2 peer=3 match=4')).toMatchObject({ ok: false, why: expect.stringMatching(/keeps no progress/) });
  });

  it('checks which disks hold an entry, the snapshot included', () => {
    expect(fact('entry=5 term=2 on=(1,2) off=(3,4) replicas=2').ok).toBe(true);
    expect(fact('entry=5 term=2 on=(1,2,3)')).toMatchObject({ ok: false, why: 'entry 5 with term 2 is on (1,2)' });
    expect(fact('entry=3 term=1 on=(1,2,3,4) replicas>=4').ok).toBe(true);
    expect(fact('entry=4 term=2 replicas!=4').ok).toBe(true);
    expect(termAt(state().nodes.get(4)!, 2)).toBeUndefined();
  });

  it('counts messages in flight by type and fields', () => {
    expect(fact('msg=MsgApp from=1 to=3 index=4 logterm=2 commit=5').ok).toBe(true);
    expect(fact('msg=MsgApp to=(2,3) count=1').ok).toBe(true);
    expect(fact('msg=MsgAppResp reject=true hint=3').ok).toBe(true);
    expect(fact('msg=MsgVote')).toMatchObject({ ok: false, why: '0 such messages in flight' });
    expect(fact('msg=MsgVote count=0').ok).toBe(true);
    expect(fact('msg=any from!=1 count=1').ok).toBe(true);
    expect(fact('msg=any index>=4 count=1').ok).toBe(true);
  });

  it('checks client operations', () => {
    expect(fact('op=last status=ok result=1 consistency=stale').ok).toBe(true);
    expect(fact('op=1 status=ok').ok).toBe(true);
    expect(fact('op=last consistency=linearizable')).toMatchObject({
      ok: false,
      why: 'operation 2: consistency is stale',
    });
    expect(fact('op=5 status=ok')).toMatchObject({ ok: false, why: 'there is no client operation 5' });
  });
});

describe('placeholders', () => {
  it('fills node fields, progress, the leader and the last result from the live state', () => {
    const s = state();
    expect(fillTemplate('Node {leader} leads term {term of leader}; {voters of 1}; log {log of 3}.', s)).toBe(
      'Node 1 leads term 2; 1, 2, 3; log 1 1 1 2.',
    );
    expect(fillTemplate('{state of 3} from {next of 3}, {role of 4}, vote {vote of 4}, read {result}', s)).toBe(
      'probe from 5, none, vote none, read 1',
    );
    expect(fillTemplate('{term of 9} {match of 9} {answer}', s, { answer: 'Yes' })).toBe('? ? Yes');
    s.leader = 0;
    expect(fillTemplate('{leader} {match of 3}', s)).toBe('none ?');
  });

  it('rejects placeholders it cannot fill', () => {
    expect(() => checkTemplate('f:3', '{term of}', false)).toThrow(/^f:3: unknown placeholder \{term of\}/);
    expect(() => checkTemplate('f:3', '{match of leader}', false)).toThrow(/unknown placeholder/);
    expect(() => checkTemplate('f:3', '{answer}', true)).not.toThrow();
  });
});

describe('checkStep', () => {
  const lesson = parseLesson(
    `lesson 1
----
T
S

ask Who leads?
Node 1 if leader=1
Node 2 if leader=2
Someone if node=1 term=2
----
{answer}: node {leader}.

step S
expect leader=1
expect node=3 commit=5
----
Node {leader} leads, commit {commit of 1}.
`,
    'f.txt',
  );

  it('computes the right answer from the state and says which expects fail', () => {
    const step = lesson.steps[0]!;
    const s = state();
    const o = checkStep(step, s);
    // Two choices hold here (leader=1 and term=2): the lesson and the cluster disagree.
    expect(o.correct).toBe(0);
    expect(o.askProblem).toBe('2 of the answers match the cluster now');
    expect(o.failures.map((f) => f.why)).toEqual(['node 3: commit is 4']);
    expect(o.narration).toBe('Node 1 leads, commit 5.');

    s.nodes.get(1)!.term = 3;
    s.nodes.get(3)!.commit = 5;
    const o2 = checkStep(step, s);
    expect(o2.correct).toBe(1);
    expect(o2.explanation).toBe('Node 1: node 1.');
    expect(o2.failures).toEqual([]);

    s.leader = 2;
    const o3 = checkStep(step, s);
    expect(o3.correct).toBe(2);
    expect(o3.explanation).toBe('Node 2: node 2.');
    expect(o3.failures.map((f) => f.why)).toEqual(['leader is 2']);
  });
});
