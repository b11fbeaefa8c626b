// Every lesson of the app, run end to end on an in-process cluster as the player runs
// it: each step's expects hold, each ask has exactly one right answer computed from
// the cluster, no placeholder is left unfilled, and seeking back to the end of any
// step (the player's Back) rebuilds a state where that step's expects hold again.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../cluster/cluster';
import { inProcessRuntime } from '../cluster/runtime/inProcess';
import { checkStep } from './check';
import { captureLive, playLesson } from './headless';
import { parseCatalog } from './parse';

const dir = join(__dirname, 'files');
const files = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => [`files/${f}`, readFileSync(join(dir, f), 'utf8')]),
);
const { lessons, problems } = parseCatalog(files);

describe('the lesson catalog', () => {
  it('parses every lesson file', () => expect(problems).toEqual([]));

  it('has the twelve lessons of issue #11, numbered 1 to 12, each 6 to 20 steps long', () => {
    expect(lessons.map((l) => l.id)).toEqual([
      'election',
      'replication',
      'catch-up',
      'figure-7',
      'figure-8',
      'partition',
      'prevote',
      'check-quorum',
      'membership',
      'snapshot',
      'leader-transfer',
      'read-index',
    ]);
    expect(lessons.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const l of lessons) {
      expect(l.steps.length, l.id).toBeGreaterThanOrEqual(6);
      expect(l.steps.length, l.id).toBeLessThanOrEqual(20);
    }
  });

  it('backs narration with checks: every step that narrates a cluster fact has expects', () => {
    for (const l of lessons)
      for (const s of l.steps) expect(s.expects.length, `${s.pos} has no expect`).toBeGreaterThan(0);
  });
});

describe.each(lessons.map((l) => [l.id, l] as const))('lesson %s', (_id, lesson) => {
  it('runs from first to last step with every expect holding and every ask answerable', async () => {
    const seen: string[] = [];
    const run = await playLesson(lesson, inProcessRuntime, (k, o) => {
      const step = lesson.steps[k - 1]!;
      expect(o.failures, `${step.pos} (step ${k})`).toEqual([]);
      if (step.ask !== undefined) expect(o.correct, `${step.ask.pos}: ${o.askProblem}`).toBeGreaterThan(0);
      const marks = (t: string) => t.split('?').length;
      expect(marks(o.narration), `${step.pos}: unfilled placeholder`).toBe(
        marks(step.narration.replace(/\{[^}]*\}/g, '')),
      );
      seen.push(o.narration);
    });
    expect(seen).toHaveLength(lesson.steps.length);
    // Back: seeking to the end of an earlier step of the last part gives that step's state again.
    const c = run.cluster;
    const last = lesson.steps[lesson.steps.length - 1]!.part;
    for (let k = lesson.steps.length; k >= 1; k--) {
      const step = lesson.steps[k - 1]!;
      if (step.part !== last) break;
      await c.seek(run.ends[k - 1]!);
      expect(checkStep(step, await captureLive(c)).failures, `seek back to step ${k}`).toEqual([]);
    }
    // A lesson is an ordinary run: its export imports into a fresh cluster and replays to the same trace.
    await c.seek(run.ends[run.ends.length - 1]!);
    const exported = c.exportRunJson();
    const copy = await Cluster.create({ nodes: 1, seed: 0, runtime: inProcessRuntime });
    await copy.importRun(exported);
    expect(copy.traceHash()).toBe(c.traceHash());
    expect(copy.currentStep).toBe(c.currentStep);
    await copy.dispose();
    await c.dispose();
  });
});
