// Runs a whole lesson on a headless cluster (Node: tests and the authoring CLI), step
// by step, as the player does: prologue, then each step's setup, then its checks.

import { Cluster } from '../cluster/cluster';
import type { RuntimeFactory } from '../cluster/protocol';
import { checkStep, lessonClusterConfig, type StepOutcome } from './check';
import { runCommands } from './commands';
import type { Lesson } from './format';
import { liveState, type LiveState } from './live';

export interface HeadlessRun {
  /** The cluster of the last part. */
  cluster: Cluster;
  outcomes: StepOutcome[];
  /** The recorder step at the end of each step (index k-1), on its part's cluster. */
  ends: number[];
}

export async function captureLive(c: Cluster): Promise<LiveState> {
  return liveState(await c.observe(), (id) => c.disk(id));
}

/** Plays every step; onStep sees each step's outcome and live state. The caller disposes the cluster. */
export async function playLesson(
  lesson: Lesson,
  runtime: RuntimeFactory,
  onStep?: (k: number, o: StepOutcome, s: LiveState) => void,
): Promise<HeadlessRun> {
  let cluster: Cluster | undefined;
  let part = -1;
  const ends: number[] = [];
  const outcomes: StepOutcome[] = [];
  for (const [k, step] of lesson.steps.entries()) {
    if (step.part !== part) {
      await cluster?.dispose();
      cluster = await startPart(lesson, step.part, runtime);
      part = step.part;
    }
    await runCommands(cluster!, step.setup);
    ends.push(cluster!.currentStep);
    const s = await captureLive(cluster!);
    const o = checkStep(step, s);
    outcomes.push(o);
    onStep?.(k + 1, o, s);
  }
  return { cluster: cluster!, outcomes, ends };
}

/** A fresh cluster for one part of a lesson, with the part's prologue run. */
export async function startPart(lesson: Lesson, part: number, runtime: RuntimeFactory): Promise<Cluster> {
  const p = lesson.parts[part]!;
  const c = await Cluster.create({ ...lessonClusterConfig(p.config), runtime });
  try {
    await runCommands(c, p.prologue);
  } catch (e) {
    await c.dispose();
    throw e;
  }
  return c;
}
