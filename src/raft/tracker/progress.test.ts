import { describe, expect, it } from 'vitest';
import { Inflights } from './inflights';
import { Progress, ProgressMap } from './progress';
import { StateProbe, StateReplicate, StateSnapshot, type StateType } from './state';

describe('Progress', () => {
  it('prints like etcd', () => {
    const ins = new Inflights(1, 0);
    ins.add(123, 1);
    const pr = new Progress({
      match: 1,
      next: 2,
      state: StateSnapshot,
      pendingSnapshot: 123,
      recentActive: false,
      msgAppFlowPaused: true,
      isLearner: true,
      inflights: ins,
    });
    expect(pr.toString()).toBe('StateSnapshot match=1 next=2 learner paused pendingSnap=123 inactive inflight=1[full]');
    const r = new Progress({
      match: 10,
      next: 11,
      state: StateReplicate,
      recentActive: true,
      inflights: new Inflights(5, 0),
    });
    r.inflights.add(11, 1);
    r.inflights.add(12, 1);
    expect(r.toString()).toBe('StateReplicate match=10 next=11 inflight=2');
  });

  it('isPaused', () => {
    const cases: Array<[StateType, boolean, boolean]> = [
      [StateProbe, false, false],
      [StateProbe, true, true],
      [StateReplicate, false, false],
      [StateReplicate, true, true],
      [StateSnapshot, false, true],
      [StateSnapshot, true, true],
    ];
    for (const [state, paused, want] of cases) {
      const p = new Progress({ state, msgAppFlowPaused: paused, inflights: new Inflights(256, 0) });
      expect(p.isPaused()).toBe(want);
    }
  });

  it('maybeUpdate and maybeDecrTo unpause', () => {
    const p = new Progress({ next: 2, msgAppFlowPaused: true });
    p.maybeDecrTo(1, 1);
    expect(p.msgAppFlowPaused).toBe(false);
    p.msgAppFlowPaused = true;
    p.maybeUpdate(2);
    expect(p.msgAppFlowPaused).toBe(false);
  });

  it('becomeProbe', () => {
    const cases: Array<[Progress, number]> = [
      [new Progress({ state: StateReplicate, match: 1, next: 5, inflights: new Inflights(256, 0) }), 2],
      [
        new Progress({
          state: StateSnapshot,
          match: 1,
          next: 5,
          pendingSnapshot: 10,
          inflights: new Inflights(256, 0),
        }),
        11,
      ],
      [
        new Progress({ state: StateSnapshot, match: 1, next: 5, pendingSnapshot: 0, inflights: new Inflights(256, 0) }),
        2,
      ],
    ];
    for (const [p, wnext] of cases) {
      p.becomeProbe();
      expect(p.state).toBe(StateProbe);
      expect(p.match).toBe(1);
      expect(p.next).toBe(wnext);
      expect(p.pendingSnapshot).toBe(0);
    }
  });

  it('becomeReplicate and becomeSnapshot', () => {
    const p = new Progress({ state: StateProbe, match: 1, next: 5, inflights: new Inflights(256, 0) });
    p.becomeReplicate();
    expect(p.state).toBe(StateReplicate);
    expect(p.next).toBe(2);
    const s = new Progress({ state: StateProbe, match: 1, next: 5, inflights: new Inflights(256, 0) });
    s.becomeSnapshot(10);
    expect(s.state).toBe(StateSnapshot);
    expect(s.match).toBe(1);
    expect(s.pendingSnapshot).toBe(10);
    expect(s.next).toBe(11);
    expect(s.sentCommitIndex).toBe(10);
  });

  it('maybeUpdate', () => {
    const cases: Array<[number, number, number, boolean]> = [
      [2, 3, 5, false],
      [3, 3, 5, false],
      [4, 4, 5, true],
      [5, 5, 6, true],
    ];
    for (const [update, wm, wn, wok] of cases) {
      const p = new Progress({ match: 3, next: 5 });
      expect(p.maybeUpdate(update)).toBe(wok);
      expect(p.match).toBe(wm);
      expect(p.next).toBe(wn);
    }
  });

  it('maybeDecrTo', () => {
    const cases: Array<[StateType, number, number, number, number, boolean, number]> = [
      [StateReplicate, 5, 10, 5, 5, false, 10],
      [StateReplicate, 5, 10, 4, 4, false, 10],
      [StateReplicate, 5, 10, 9, 9, true, 6],
      [StateProbe, 0, 0, 0, 0, false, 0],
      [StateProbe, 0, 10, 5, 5, false, 10],
      [StateProbe, 0, 10, 9, 9, true, 9],
      [StateProbe, 0, 2, 1, 1, true, 1],
      [StateProbe, 0, 1, 0, 0, true, 1],
      [StateProbe, 0, 10, 9, 2, true, 3],
      [StateProbe, 0, 10, 9, 0, true, 1],
    ];
    for (const [state, m, n, rejected, last, w, wn] of cases) {
      const p = new Progress({ state, match: m, next: n });
      expect(p.maybeDecrTo(rejected, last)).toBe(w);
      expect(p.match).toBe(m);
      expect(p.next).toBe(wn);
    }
  });

  it('sentEntries and commit bookkeeping', () => {
    const p = new Progress({ state: StateReplicate, match: 5, next: 6, inflights: new Inflights(2, 0) });
    p.sentEntries(3, 30);
    expect(p.next).toBe(9);
    expect(p.inflights.count()).toBe(1);
    expect(p.msgAppFlowPaused).toBe(false);
    p.sentEntries(1, 10);
    expect(p.msgAppFlowPaused).toBe(true);
    expect(p.isPaused()).toBe(true);

    expect(p.canBumpCommit(3)).toBe(true);
    expect(p.next).toBe(10);
    p.sentCommit(8);
    expect(p.canBumpCommit(9)).toBe(true);
    p.sentCommit(9);
    expect(p.canBumpCommit(10)).toBe(false); // already sent up to next-1
    p.sentCommit(4);
    expect(p.canBumpCommit(4)).toBe(false);
    expect(p.canBumpCommit(5)).toBe(true);

    const probe = new Progress({ state: StateProbe, match: 0, next: 1 });
    probe.sentEntries(0, 0);
    expect(probe.msgAppFlowPaused).toBe(false);
    probe.sentEntries(2, 5);
    expect(probe.msgAppFlowPaused).toBe(true);
    expect(probe.next).toBe(1);

    const snap = new Progress({ state: StateSnapshot });
    expect(() => snap.sentEntries(1, 1)).toThrow('sending append in unhandled state StateSnapshot');
  });

  it('becomeProbe regresses sentCommit', () => {
    const p = new Progress({ state: StateReplicate, match: 3, next: 10, sentCommitIndex: 9 });
    p.becomeProbe();
    expect(p.sentCommitIndex).toBe(3);
  });

  it('clone copies inflights, shallowCopy shares them', () => {
    const p = new Progress({ inflights: new Inflights(4, 0) });
    const c = p.clone();
    const s = p.shallowCopy();
    expect(c.inflights).not.toBe(p.inflights);
    expect(s.inflights).toBe(p.inflights);
    c.inflights.add(1, 1);
    expect(p.inflights.count()).toBe(0);
  });
});

describe('ProgressMap', () => {
  it('prints sorted by id and keeps ids sorted across mutation', () => {
    const m = new ProgressMap();
    m.set(3, new Progress({ match: 0, next: 1, recentActive: true }));
    m.set(1, new Progress({ match: 2, next: 3, state: StateReplicate, recentActive: true }));
    expect(m.toString()).toBe('1: StateReplicate match=2 next=3\n3: StateProbe match=0 next=1\n');
    expect(m.ids()).toEqual([1, 3]);
    m.set(2, new Progress({ next: 1, isLearner: true, recentActive: true }));
    expect(m.ids()).toEqual([1, 2, 3]);
    m.delete(1);
    expect(m.ids()).toEqual([2, 3]);
    expect(m.toString()).toBe('2: StateProbe match=0 next=1 learner\n3: StateProbe match=0 next=1\n');
    m.clear();
    expect(m.toString()).toBe('');
  });
});
