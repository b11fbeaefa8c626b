import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RaftError } from '../errors';
import { confChangesFromString } from '../raftpb/confchange';
import { ConfChangeAddNode, type ConfChangeSingle, type ConfChangeType } from '../raftpb/types';
import { makeProgressTracker } from '../tracker/tracker';
import { Changer, describe as describeCCs } from './confchange';

function ccs(s: string): ConfChangeSingle[] {
  return confChangesFromString(s);
}

/** A Changer whose tracker is advanced by every successful step. */
function stepper(lastIndex = 10): {
  c: Changer;
  simple: (s: string) => string;
  enter: (auto: boolean, s: string) => string;
  leave: () => string;
} {
  const c = new Changer(makeProgressTracker(10, 0), lastIndex);
  const run = (f: () => ReturnType<Changer['simple']>): string => {
    const [cfg, trk] = f();
    c.tracker.config = cfg;
    c.tracker.progress = trk;
    return cfg.toString();
  };
  return {
    c,
    simple: (s) => run(() => c.simple(...ccs(s))),
    enter: (auto, s) => run(() => c.enterJoint(auto, ...ccs(s))),
    leave: () => run(() => c.leaveJoint()),
  };
}

describe('Changer', () => {
  it('simple changes one voter at a time', () => {
    const s = stepper();
    expect(s.simple('v1')).toBe('voters=(1)');
    expect(s.simple('v2 l3')).toBe('voters=(1 2) learners=(3)');
    expect(s.c.tracker.progress.toString()).toBe(
      '1: StateProbe match=0 next=10\n2: StateProbe match=0 next=10\n3: StateProbe match=0 next=10 learner\n',
    );
    expect(() => s.simple('v4 v5')).toThrow('more than one voter changed without entering joint config');
    expect(() => s.simple('r1 r2')).toThrow('removed all voters');
    // Demoting a voter to learner and back.
    expect(s.simple('l2')).toBe('voters=(1) learners=(2 3)');
    expect(s.simple('v3')).toBe('voters=(1 3) learners=(2)');
    // The learners set disappears (rather than printing "()") once emptied.
    expect(s.simple('r2')).toBe('voters=(1 3)');
    expect(s.c.tracker.config.learners).toBeUndefined();
  });

  it('rejects what etcd rejects, with its messages', () => {
    const s = stepper();
    expect(() => s.enter(false, 'v1')).toThrow("can't make a zero-voter config joint");
    expect(() => s.leave()).toThrow("can't leave a non-joint config");
    s.simple('v1');
    s.enter(true, 'v2 v3');
    expect(() => s.enter(false, 'v4')).toThrow('config is already joint');
    expect(() => s.simple('v4')).toThrow("can't apply simple config change in joint config");
    expect(() => s.c.simple({ type: 9 as ConfChangeType, nodeId: 1 })).toThrow(RaftError);
    expect(() => stepper().c.simple({ type: 9 as ConfChangeType, nodeId: 1 })).toThrow('unexpected conf type 9');
  });

  it('joint: demotion goes through learners_next; leaving drops outgoing-only peers', () => {
    const s = stepper();
    s.simple('v1');
    s.simple('v2');
    s.simple('v3');
    expect(s.enter(true, 'r2 l3 v4')).toBe('voters=(1 4)&&(1 2 3) learners_next=(3) autoleave');
    expect(s.c.tracker.progress.get(3)!.isLearner).toBe(false);
    expect([...s.c.tracker.progress.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(s.leave()).toBe('voters=(1 4) learners=(3)');
    expect(s.c.tracker.progress.get(3)!.isLearner).toBe(true);
    expect([...s.c.tracker.progress.keys()].sort()).toEqual([1, 3, 4]);
  });

  it('does not modify the tracker it reads', () => {
    const s = stepper();
    s.simple('v1');
    const before = s.c.tracker.config.toString() + s.c.tracker.progress.toString();
    s.c.simple(...ccs('v2'));
    s.c.enterJoint(false, ...ccs('v2 v3 l1'));
    expect(s.c.tracker.config.toString() + s.c.tracker.progress.toString()).toBe(before);
    // ...but shares Inflights with the result, as etcd's shallow copy does.
    const [, trk] = s.c.simple(...ccs('v2'));
    expect(trk.get(1)!.inflights).toBe(s.c.tracker.progress.get(1)!.inflights);
  });

  it('describe', () => {
    expect(describeCCs(...ccs('v1 r2 l3 u4'))).toBe(
      'ConfChangeAddNode(1) ConfChangeRemoveNode(2) ConfChangeAddLearnerNode(3) ConfChangeUpdateNode(4)',
    );
  });

  it('simple one-by-one and joint in one step reach the same config (property)', () => {
    const typ = fc.integer({ min: 0, max: 3 }).map((t) => t as ConfChangeType);
    // Node 1 stays a voter throughout (never touched by the changes), so no
    // sequence of simple changes can remove every voter.
    const setup = fc
      .array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 })
      .map((ids) => [1, ...ids].map((nodeId): ConfChangeSingle => ({ type: ConfChangeAddNode, nodeId })));
    const changes = fc.array(fc.record({ type: typ, nodeId: fc.integer({ min: 2, max: 10 }) }), {
      minLength: 1,
      maxLength: 9,
    });

    const fresh = (init: ConfChangeSingle[]): Changer => {
      const c = new Changer(makeProgressTracker(10, 0), 10);
      for (const cc of init) {
        [c.tracker.config, c.tracker.progress] = c.simple(cc);
      }
      return c;
    };
    const snapshot = (c: Changer): string =>
      c.tracker.config.toString() +
      '\n' +
      c.tracker.progress.toString() +
      JSON.stringify(c.tracker.confState()) +
      JSON.stringify(
        [...c.tracker.progress]
          .sort((x, y) => x[0] - y[0])
          .map(([id, pr]) => [id, pr.match, pr.next, pr.isLearner, pr.recentActive]),
      );

    fc.assert(
      fc.property(setup, changes, (init, ccList) => {
        const a = fresh(init);
        for (const cc of ccList) [a.tracker.config, a.tracker.progress] = a.simple(cc);

        const b = fresh(init);
        const [cfg, trk] = b.enterJoint(false, ...ccList);
        const [cfgAuto, trkAuto] = b.enterJoint(true, ...ccList);
        expect(cfgAuto.autoLeave).toBe(true);
        cfgAuto.autoLeave = false;
        expect(cfgAuto.toString()).toBe(cfg.toString());
        expect(trkAuto.toString()).toBe(trk.toString());
        [b.tracker.config, b.tracker.progress] = [cfgAuto, trkAuto];
        const [cfg2, trk2] = b.leaveJoint();
        [b.tracker.config, b.tracker.progress] = [cfg, trk];
        [b.tracker.config, b.tracker.progress] = b.leaveJoint();
        expect(b.tracker.config.toString()).toBe(cfg2.toString());
        expect(b.tracker.progress.toString()).toBe(trk2.toString());

        expect(snapshot(b)).toBe(snapshot(a));
      }),
      { numRuns: 1000 },
    );
  });
});
