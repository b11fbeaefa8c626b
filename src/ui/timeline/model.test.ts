import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterObservation } from '../../cluster/cluster';
import { inProcessRuntime } from '../../cluster/runtime/inProcess';
import type { RecordedAction } from '../../cluster/actions';
import {
  buildTimeline,
  describeAction,
  describeMarkGroup,
  describeStep,
  groupMarks,
  TimelineBuilder,
  type MarkKind,
  type TimelineMark,
} from './model';
import { RunHistory } from './runHistory';

/** A cluster whose observations feed a RunHistory, as the store subscription does. */
async function harness() {
  const c = await Cluster.create({ nodes: 3, seed: 3, runtime: inProcessRuntime });
  const h = new RunHistory();
  let last: ClusterObservation | undefined;
  c.subscribe((o) => {
    last = o;
    h.ingest(o, c.recorder.actions, c.recorder.branches.length);
  });
  await c.observe();
  return { c, h, obs: () => last! };
}

describe('timeline model', () => {
  it('paints terms, marks the election and the crash, and keeps later steps after a seek back', async () => {
    const { c, h } = await harness();
    try {
      for (let i = 0; i < 30; i++) await c.advance(1);
      const leader = c.leader();
      expect(leader).not.toBe(0);
      await c.crash(leader);
      await c.advance(1);
      const m = buildTimeline(c.recorder.actions, h);
      expect(m.total).toBe(32);
      // Bands tile [0, total + 1) without gaps (a bootstrapped cluster starts in term 1).
      expect(m.bands[0]).toMatchObject({ from: 0, term: 1 });
      for (let i = 1; i < m.bands.length; i++) expect(m.bands[i]!.from).toBe(m.bands[i - 1]!.to);
      expect(m.bands[m.bands.length - 1]!.to).toBe(33);
      expect(m.bands.every((b) => b.term !== undefined)).toBe(true);
      expect(m.marks.some((k) => k.kind === 'election' && k.label.startsWith(`${leader} became leader`))).toBe(true);
      expect(m.marks).toContainEqual({ step: 31, kind: 'crash', label: `crash ${leader}` });

      // Seek back: the future steps keep their summaries (same branch).
      await c.seek(5);
      const back = buildTimeline(c.recorder.actions, h);
      expect(back.total).toBe(32);
      expect(back.bands).toEqual(m.bands);
      expect(back.forks).toEqual([]);

      // Acting in the past forks: steps after 5 are gone and the fork point is recorded.
      await c.advance(1);
      const forked = buildTimeline(c.recorder.actions, h);
      expect(c.recorder.branches.length).toBe(1);
      expect(forked.total).toBe(6);
      expect(forked.forks).toEqual([{ step: 5, branch: 1 }]);
      expect(forked.marks.some((k) => k.kind === 'fork' && k.step === 5)).toBe(true);
      expect(forked.marks.some((k) => k.kind === 'crash')).toBe(false);
    } finally {
      await c.dispose();
    }
  });

  it('ignores a summary whose action was replaced', async () => {
    const { c, h } = await harness();
    try {
      await c.advance(2);
      await c.advance(2);
      expect(h.get(2, c.recorder.actions)?.time).toBe(4);
      const fake = c.recorder.actions.map((a) => ({ ...a }));
      fake[1] = { ...fake[1]!, kind: 'heal', args: [] };
      expect(h.get(2, fake)).toBeUndefined();
    } finally {
      await c.dispose();
    }
  });

  it('describes actions and steps in words', () => {
    const a: RecordedAction = { kind: 'partition', args: [[[1, 2], [3]]], index: 0, time: 12.5, result: 'ok' };
    expect(describeAction(a)).toBe('partition [1,2] [3]');
    expect(describeAction({ ...a, kind: 'cut', args: [1, 2, { up: true }] } as RecordedAction)).toBe(
      'restore link 1-2',
    );
    expect(describeAction({ ...a, kind: 'runUntil', args: [12.25] } as RecordedAction)).toBe('run to t=12.25');
    expect(
      describeStep(1, [a], {
        step: 1,
        time: 12.5,
        actionKind: 'partition',
        maxTerm: 3,
        leader: 2,
        down: [3],
        cutLinks: 4,
        commit: 5,
      }),
    ).toBe('step 1 of 1, t=12.5, partition [1,2] [3], term 3, leader 2, down: 3');
  });

  it('builds incrementally exactly what a full build gives, through crashes, seeks, forks and partitions', async () => {
    const c = await Cluster.create({ nodes: 3, seed: 5, runtime: inProcessRuntime });
    // Like the app, the history misses some steps (a burst of actions gives one
    // observation); seeking back to such a step fills it in later.
    const h = new RunHistory();
    let skip = 0;
    c.subscribe((o) => {
      if (skip++ % 3 !== 1) h.ingest(o, c.recorder.actions, c.recorder.branches.length);
    });
    await c.observe();
    try {
      const inc = new TimelineBuilder();
      const same = new TimelineBuilder(); // always handed the recorder's own (mutated) array
      let state = 0x2545f491;
      const rand = (n: number) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 8) % n;
      };
      const check = () => {
        const full = buildTimeline(c.recorder.actions, h);
        expect(inc.build(c.recorder.actions.slice(), h)).toEqual(full);
        expect(same.build(c.recorder.actions, h)).toEqual(full);
      };
      check();
      for (let i = 0; i < 120; i++) {
        const ids = c.nodeIds();
        const id = ids[rand(ids.length)]!;
        switch (rand(8)) {
          case 0:
            await c.crash(id).catch(() => undefined);
            break;
          case 1:
            await c.restart(id).catch(() => undefined);
            break;
          case 2:
            await c.partition([[ids[0]!], ids.slice(1)]).catch(() => undefined);
            break;
          case 3:
            await c.heal();
            break;
          case 4:
            // Seek back; the next action forks.
            await c.seek(rand(c.currentStep + 1));
            break;
          default:
            await c.advance(1 + rand(3));
        }
        check();
      }
      expect(c.recorder.branches.length).toBeGreaterThan(0);
      expect(buildTimeline(c.recorder.actions, h).bands.some((b) => b.term === undefined)).toBe(true);
    } finally {
      await c.dispose();
    }
  });

  it('patches seeks back and forth over a long run in place, equal to a full build', async () => {
    const c = await Cluster.create({ nodes: 5, seed: 11, runtime: inProcessRuntime });
    const h = new RunHistory();
    // Record a run with crashes and partitions while observing only one step in five,
    // as an import or a burst of actions leaves most steps unobserved.
    let feed = false;
    let n = 0;
    c.subscribe((o) => {
      if (feed || n++ % 5 === 0) h.ingest(o, c.recorder.actions, c.recorder.branches.length);
    });
    await c.observe();
    try {
      let state = 0x1234567;
      const rand = (k: number) => {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        return (state >>> 8) % k;
      };
      for (let i = 0; i < 160; i++) {
        const ids = c.nodeIds();
        const id = ids[rand(ids.length)]!;
        const r = rand(10);
        if (r === 0) await c.crash(id).catch(() => undefined);
        else if (r === 1) await c.restart(id).catch(() => undefined);
        else if (r === 2) await c.partition([[id], ids.filter((x) => x !== id)]).catch(() => undefined);
        else if (r === 3) await c.heal();
        else await c.advance(1 + rand(4));
      }
      feed = true;
      const inc = new TimelineBuilder();
      let patched = 0;
      const check = () => {
        const before = inc.build(c.recorder.actions.slice(), h);
        const full = buildTimeline(c.recorder.actions, h);
        expect(before).toEqual(full);
        return before;
      };
      check();
      const total = c.recorder.actions.length;
      for (let i = 0; i < 120; i++) {
        const target = rand(total + 1);
        const v = h.version;
        await c.seek(target);
        if (h.version !== v) patched++;
        check();
      }
      // Most seeks landed on unobserved steps and changed the history (so were patched).
      expect(patched).toBeGreaterThan(60);
      // Seeking to the end and acting again appends after the patches.
      await c.seek(total);
      await c.advance(3);
      await c.crash(c.nodeIds()[0]!).catch(() => undefined);
      check();
    } finally {
      await c.dispose();
    }
  });
});

describe('grouping marks', () => {
  const mark = (step: number, kind: MarkKind, label = `${kind} at ${step}`): TimelineMark => ({ step, kind, label });

  it('keeps icons a gap apart, each within a gap of every step it stands for, and loses no mark', () => {
    // 2,000 marks over 100,000 steps on a 1,000-pixel strip.
    const kinds: MarkKind[] = ['crash', 'restart', 'election', 'partition', 'heal'];
    const marks: TimelineMark[] = [];
    let seed = 7;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      marks.push(mark(seed % 100_000, kinds[i % kinds.length]!));
    }
    const x = (s: number): number => (s / 100_001) * 1000;
    const gap = 15;
    const groups = groupMarks(marks, x, gap);
    expect(groups.length).toBeLessThanOrEqual(1000 / gap + 1);
    expect(groups.reduce((n, g) => n + g.marks.length, 0)).toBe(marks.length);
    for (let i = 1; i < groups.length; i++) expect(groups[i]!.x - groups[i - 1]!.x).toBeGreaterThanOrEqual(gap);
    for (const g of groups)
      for (const m of g.marks) {
        expect(x(m.step + 0.5) - g.x).toBeGreaterThanOrEqual(0);
        expect(x(m.step + 0.5) - g.x).toBeLessThan(gap);
      }
  });

  it('shows the most telling kind, counts each kind, and lists the first marks', () => {
    const x = (s: number): number => s;
    const [a, b] = groupMarks(
      [mark(3, 'restart'), mark(1, 'crash'), mark(5, 'election', '2 became leader in term 4'), mark(40, 'heal')],
      x,
      10,
    );
    expect(a!.marks.map((m) => m.step)).toStrictEqual([1, 3, 5]);
    expect(a!.kind).toBe('election');
    expect(describeMarkGroup(a!, 2)).toBe(
      'Steps 1–5: 1 election, 1 crash, 1 restart\nstep 1: crash at 1\nstep 3: restart at 3\n… and 1 more',
    );
    expect(b!.kind).toBe('heal');
    expect(describeMarkGroup(b!)).toBe('Step 40: heal at 40');
    const two = groupMarks([mark(8, 'crash'), mark(8, 'crash')], x, 10);
    expect(describeMarkGroup(two[0]!)).toBe('Step 8: 2 crashes\nstep 8: crash at 8\nstep 8: crash at 8');
  });
});
