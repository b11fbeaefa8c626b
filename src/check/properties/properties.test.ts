import { describe, expect, it } from 'vitest';
import { StateCandidate } from '../../raft/types';
import {
  checkDurability,
  checkElectionSafety,
  checkLeaderAppendOnly,
  checkLeaderCompleteness,
  checkLiveness,
  checkLogMatching,
  checkProperties,
  checkStateMachineSafety,
} from './index';
import { logMismatch } from './logMatching';
import { makeLog } from '../model';
import { model, StateLeader, step } from './testkit';

const L = StateLeader;

/** A healthy 3-node run: election in term 1, two entries replicated, committed and applied. */
function goodRun() {
  return model(
    step(0, [{ id: 1 }, { id: 2 }, { id: 3 }], { time: 0 }),
    step(1, [
      { id: 1, role: L, term: 1, vote: 1, log: [[1]] },
      { id: 2, term: 1, vote: 1 },
      { id: 3, term: 1, vote: 1 },
    ]),
    step(2, [
      { id: 1, role: L, term: 1, vote: 1, log: [[1], [1, 'a']], commit: 2, applied: 2 },
      { id: 2, term: 1, vote: 1, log: [[1], [1, 'a']], commit: 2, applied: 2 },
      { id: 3, term: 1, vote: 1, log: [[1]], commit: 1, applied: 1 },
    ]),
    // node 1 crashes; node 2 wins term 2 and keeps the committed entries
    step(
      3,
      [
        { id: 1, alive: false, term: 1, vote: 1, log: [[1], [1, 'a']], commit: 2 },
        { id: 2, role: L, term: 2, vote: 2, log: [[1], [1, 'a'], [2]], commit: 2, applied: 2 },
        { id: 3, term: 2, vote: 2, log: [[1], [1, 'a'], [2]], commit: 2, applied: 2 },
      ],
      { faulty: true, events: [{ kind: 'crash', node: 1 }] },
    ),
    step(
      4,
      [
        { id: 1, term: 2, vote: 0, log: [[1], [1, 'a'], [2]], commit: 3, applied: 3, incarnation: 1 },
        { id: 2, role: L, term: 2, vote: 2, log: [[1], [1, 'a'], [2]], commit: 3, applied: 3 },
        { id: 3, term: 2, vote: 2, log: [[1], [1, 'a'], [2]], commit: 3, applied: 3 },
      ],
      { events: [{ kind: 'restart', node: 1 }] },
    ),
  );
}

describe('properties on a good run', () => {
  it('all hold', () => {
    const rs = checkProperties(goodRun());
    expect(rs.map((r) => [r.property, r.status, r.violations])).toEqual(
      [
        'election-safety',
        'leader-append-only',
        'log-matching',
        'leader-completeness',
        'state-machine-safety',
        'durability',
        'liveness',
      ].map((p) => [p, 'holds', []]),
    );
  });
});

describe('election safety', () => {
  it('fires on two leaders in one term', () => {
    const m = model(
      step(0, [
        { id: 1, role: L, term: 3 },
        { id: 2, term: 3 },
      ]),
      step(1, [
        { id: 1, role: L, term: 3 },
        { id: 2, role: L, term: 3 },
      ]),
    );
    const r = checkElectionSafety(m);
    expect(r.status).toBe('violated');
    expect(r.violations).toHaveLength(1);
    expect(r.violations[0]).toMatchObject({ property: 'election-safety', step: 1 });
    expect(r.violations[0]!.message).toContain('term 3');
  });
  it('quiet on leaders of different terms, even at once', () => {
    const m = model(
      step(0, [
        { id: 1, role: L, term: 3 },
        { id: 2, role: L, term: 4 },
      ]),
    );
    expect(checkElectionSafety(m).status).toBe('holds');
  });
  it('ignores candidates', () => {
    const m = model(
      step(0, [
        { id: 1, role: L, term: 3 },
        { id: 2, role: StateCandidate, term: 3 },
      ]),
    );
    expect(checkElectionSafety(m).violations).toEqual([]);
  });
});

describe('leader append-only', () => {
  it('fires when a leader overwrites an entry within its term', () => {
    const m = model(
      step(0, [{ id: 1, role: L, term: 2, log: [[1], [2, 'x']] }]),
      step(1, [{ id: 1, role: L, term: 2, log: [[1], [2, 'y']] }]),
    );
    const r = checkLeaderAppendOnly(m);
    expect(r.status).toBe('violated');
    expect(r.violations[0]).toMatchObject({ step: 1 });
    expect(r.violations[0]!.message).toContain('entry 2');
  });
  it('fires when a leader truncates its log', () => {
    const m = model(
      step(0, [{ id: 1, role: L, term: 2, log: [[1], [2], [2]] }]),
      step(1, [{ id: 1, role: L, term: 2, log: [[1], [2]] }]),
    );
    expect(checkLeaderAppendOnly(m).violations[0]!.message).toContain('shrank');
  });
  it('quiet when a leader appends, or a follower is overwritten', () => {
    const m = model(
      step(0, [
        { id: 1, role: L, term: 2, log: [[1], [2]] },
        { id: 2, term: 2, log: [[1], [1]] },
      ]),
      step(1, [
        { id: 1, role: L, term: 2, log: [[1], [2], [2]] },
        { id: 2, term: 2, log: [[1], [2]] },
      ]),
    );
    expect(checkLeaderAppendOnly(m).status).toBe('holds');
  });
  it('quiet when a node loses leadership and is overwritten in a later term', () => {
    const m = model(
      step(0, [{ id: 1, role: L, term: 2, log: [[1], [2]] }]),
      step(1, [{ id: 1, role: L, term: 3, log: [[1], [3]] }]),
    );
    expect(checkLeaderAppendOnly(m).status).toBe('holds');
  });
});

describe('log matching', () => {
  it('logMismatch finds a divergence below a common (index, term)', () => {
    expect(logMismatch(makeLog(1, [[1, 'a'], [2]]), makeLog(1, [[1, 'b'], [2]]))).toEqual({ at: 1, anchor: 2 });
    expect(logMismatch(makeLog(1, [[1], [2]]), makeLog(1, [[1], [3]]))).toBeUndefined();
  });
  it('fires on logs equal at (index, term) but different before', () => {
    const m = model(
      step(0, [
        { id: 1, log: [[1]] },
        { id: 2, log: [[1]] },
      ]),
      step(1, [
        { id: 1, log: [[1], [2, 'p'], [3]] },
        { id: 2, log: [[1], [2, 'q'], [3]] },
      ]),
    );
    const r = checkLogMatching(m);
    expect(r.status).toBe('violated');
    expect(r.violations[0]).toMatchObject({ step: 1 });
    expect(r.violations[0]!.message).toContain('entry 2');
  });
  it('quiet on diverging uncommitted tails', () => {
    const m = model(
      step(0, [
        { id: 1, log: [[1], [2], [2]] },
        { id: 2, log: [[1], [3]] },
        { id: 3, log: [[1]] },
      ]),
    );
    expect(checkLogMatching(m).status).toBe('holds');
  });
});

describe('leader completeness', () => {
  it('fires when a new leader lacks a committed entry', () => {
    const m = model(
      step(0, [
        { id: 1, role: L, term: 1, log: [[1], [1, 'c']], commit: 2 },
        { id: 2, term: 1, log: [[1], [1, 'c']], commit: 2 },
        { id: 3, term: 1, log: [[1]], commit: 1 },
      ]),
      step(1, [
        { id: 1, term: 2, log: [[1], [1, 'c']], commit: 2 },
        { id: 2, term: 2, log: [[1], [1, 'c']], commit: 2 },
        { id: 3, role: L, term: 2, log: [[1], [2]], commit: 1 },
      ]),
    );
    const r = checkLeaderCompleteness(m);
    expect(r.status).toBe('violated');
    expect(r.violations[0]).toMatchObject({ step: 1 });
    expect(r.violations[0]!.message).toContain('leader 3 of term 2 lacks entry 2');
  });
  it('quiet when the new leader holds every committed entry', () => {
    expect(checkLeaderCompleteness(goodRun()).status).toBe('holds');
  });
});

describe('state machine safety', () => {
  it('fires when two nodes applied different entries at one index', () => {
    const m = model(
      step(0, [
        { id: 1, log: [[1], [1, 'a']], commit: 2, applied: 2, kv: 'A' },
        { id: 2, log: [[1], [1, 'b']], commit: 2, applied: 2, kv: 'A' },
      ]),
    );
    const r = checkStateMachineSafety(m);
    expect(r.status).toBe('violated');
    expect(r.violations[0]!.message).toContain('entry 2');
  });
  it('fires when equal applied indexes hold different KV states', () => {
    const m = model(
      step(0, [{ id: 1, applied: 2, kv: 'A' }]),
      step(1, [
        { id: 1, applied: 2, kv: 'A' },
        { id: 2, applied: 2, kv: 'B' },
      ]),
    );
    const r = checkStateMachineSafety(m);
    expect(r.violations[0]).toMatchObject({ step: 1 });
    expect(r.violations[0]!.message).toContain('different data');
  });
  it('quiet when nodes apply the same entries at different paces', () => {
    const m = model(
      step(0, [
        { id: 1, log: [[1], [1, 'a'], [1, 'b']], commit: 3, applied: 3, kv: 'AB' },
        { id: 2, log: [[1], [1, 'a']], commit: 2, applied: 2, kv: 'A' },
      ]),
    );
    expect(checkStateMachineSafety(m).status).toBe('holds');
  });
});

describe('durability', () => {
  it('fires when a restart loses the durable term', () => {
    const m = model(
      step(0, [{ id: 1, term: 5, vote: 1 }]),
      step(1, [{ id: 1, alive: false, term: 5, vote: 1 }], { events: [{ kind: 'crash', node: 1 }] }),
      step(2, [{ id: 1, term: 4, vote: 1, incarnation: 1 }], { events: [{ kind: 'restart', node: 1 }] }),
    );
    const r = checkDurability(m);
    expect(r.status).toBe('violated');
    expect(r.violations[0]).toMatchObject({ step: 2 });
    expect(r.violations[0]!.message).toContain('across a restart');
  });
  it('fires when a vote changes within a term', () => {
    const m = model(step(0, [{ id: 1, term: 5, vote: 2 }]), step(1, [{ id: 1, term: 5, vote: 3 }]));
    expect(checkDurability(m).violations[0]!.message).toContain('vote in term 5');
  });
  it('fires when committed entries disappear from a node', () => {
    const m = model(step(0, [{ id: 1, log: [[1], [1], [1]], commit: 3 }]), step(1, [{ id: 1, log: [[1]], commit: 3 }]));
    expect(checkDurability(m).violations[0]!.message).toContain('lost committed entries 2..3');
  });
  it('fires when a committed entry is replaced on another node', () => {
    const m = model(
      step(0, [
        { id: 1, log: [[1], [1, 'a']], commit: 2 },
        { id: 2, log: [[1], [2, 'z']], commit: 2 },
      ]),
    );
    expect(checkDurability(m).violations[0]!.message).toContain('committed entry 2');
  });
  it('fires when the disk changes while the node is down', () => {
    const m = model(
      step(0, [{ id: 1, alive: false, log: [[1]] }]),
      step(1, [{ id: 1, alive: false, log: [[1], [1]] }]),
    );
    expect(checkDurability(m).violations[0]!.message).toContain('while it was down');
  });
  it('quiet when an uncommitted tail is overwritten', () => {
    const m = model(
      step(0, [{ id: 1, term: 1, log: [[1], [1]], commit: 1 }]),
      step(1, [{ id: 1, term: 2, log: [[1], [2]], commit: 2 }]),
    );
    expect(checkDurability(m).status).toBe('holds');
  });
});

describe('liveness after healing', () => {
  it('fires when no leader appears long after the faults stop', () => {
    const m = model(
      step(0, [{ id: 1 }, { id: 2 }], { time: 0, faulty: true }),
      step(1, [{ id: 1 }, { id: 2 }], { time: 10 }),
      step(2, [{ id: 1 }, { id: 2 }], { time: 300 }),
    );
    const r = checkLiveness(m, { livenessBound: 100 });
    expect(r.status).toBe('violated');
    expect(r.violations[0]).toMatchObject({ step: 2 });
    expect(r.violations[0]!.message).toContain('no leader 290 ticks');
  });
  it('fires when a leader never commits an entry of its term', () => {
    const m = model(
      step(0, [{ id: 1, role: L, term: 2, log: [[1]], commit: 1 }], { time: 0 }),
      step(1, [{ id: 1, role: L, term: 2, log: [[1]], commit: 1 }], { time: 500 }),
    );
    expect(checkLiveness(m, { livenessBound: 100 }).violations[0]!.message).toContain('has not committed');
  });
  it('waits while faulty or within the bound, holds once a leader commits', () => {
    expect(checkLiveness(model(step(0, [{ id: 1 }], { faulty: true }))).status).toBe('waiting');
    expect(checkLiveness(model(step(0, [{ id: 1 }], { time: 5 })), { livenessBound: 100 }).status).toBe('waiting');
    // a long faulty stretch without a leader is not a violation
    const m = model(
      step(0, [{ id: 1 }], { time: 0, faulty: true }),
      step(1, [{ id: 1 }], { time: 1000, faulty: true }),
      step(2, [{ id: 1, role: L, term: 2, log: [[2]], commit: 1 }], { time: 1050 }),
    );
    expect(checkLiveness(m, { livenessBound: 100 }).status).toBe('holds');
  });
});
