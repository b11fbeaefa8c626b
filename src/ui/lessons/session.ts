// The lesson session: plays a lesson on the app's cluster and keeps track of its path.
//
// A lesson is an ordinary recorded run. The session remembers, for each step it ran,
// the recorder step (cursor) at the end of that step, and the recorded actions of the
// path as objects. Going to a step is then: seek to its end if the recorder still holds
// the path up to there (Back, jump, "back to the lesson"), else seek to the latest step
// whose end it still holds and run the setups from there (Next), else build the part's
// cluster afresh and run it from its prologue (another part, or the run was replaced).
// When the student acts (any control of the app), the run leaves the path: seeking back
// forks, as acting in the past always does, and the player says which mode it is in.
//
// One navigation at a time: requests made while the session is busy are ignored.

import type { Cluster } from '../../cluster/cluster';
import type { RecordedAction } from '../../cluster/recorder';
import { lessonClusterConfig } from '../../lessons/check';
import { runCommands } from '../../lessons/commands';
import type { Lesson, LessonConfig } from '../../lessons/format';
import { addPending, controller, getState, patchLesson, pushNotice, setVirtualTime, updateSettings } from '../store';
import { findLesson } from './catalog';

function settingsOf(c: LessonConfig) {
  return {
    nodes: c.nodes,
    seed: c.seed,
    preVote: c.preVote,
    checkQuorum: c.checkQuorum,
    electionTick: c.electionTick,
    heartbeatTick: c.heartbeatTick,
    maxInflightMsgs: c.maxInflightMsgs,
    maxSizePerMsg: c.maxSizePerMsg,
    snapCount: c.snapCount,
    readOnly: c.readOnly === 'lease' ? ('ReadOnlyLeaseBased' as const) : ('ReadOnlySafe' as const),
  };
}

class LessonSession {
  lesson: Lesson | undefined;
  /** The cluster the session built for `part` (the student may have replaced it since). */
  private cluster: Cluster | undefined;
  private part = -1;
  /** Cursor after the part's prologue, and at the end of each step run on this cluster. */
  private start = 0;
  private readonly ends = new Map<number, number>();
  /** The recorded actions of the path, as the session left them. */
  private path: readonly RecordedAction[] = [];
  /** Answers given in this session, per step (a step answered before is shown answered). */
  private readonly answers = new Map<number, number>();
  private busy = false;
  /** The navigation under way (opening another lesson waits for it). */
  private running: Promise<void> = Promise.resolve();

  /** Opens a lesson at a step (1-based). Resolves when the step is shown. */
  async open(id: string, step = 1): Promise<void> {
    const lesson = findLesson(id);
    if (lesson === undefined) {
      pushNotice('error', `There is no lesson "${id}".`);
      return;
    }
    await this.running;
    this.lesson = lesson;
    this.cluster = undefined;
    this.part = -1;
    this.answers.clear();
    this.busy = false;
    patchLesson({ id, step: 0, phase: 'busy', chosen: 0, cursor: -1, error: '', indexOpen: false });
    await this.goTo(Math.min(Math.max(1, step), lesson.steps.length));
  }

  exit(): void {
    this.lesson = undefined;
    patchLesson({ id: '', step: 0, phase: 'busy', error: '' });
  }

  get active(): boolean {
    return this.lesson !== undefined && getState().lesson.id !== '';
  }

  /** Next: reveals a waiting question's answer, else goes to the next step. */
  next(): Promise<void> {
    const st = getState().lesson;
    if (!this.active || this.busy) return Promise.resolve();
    if (st.phase === 'ask') return this.answer(-1);
    if (st.step < this.lesson!.steps.length) return this.goTo(st.step + 1);
    return Promise.resolve();
  }

  back(): Promise<void> {
    const st = getState().lesson;
    if (!this.active || this.busy || st.step <= 1) return Promise.resolve();
    return this.goTo(st.step - 1);
  }

  jump(step: number): Promise<void> {
    if (!this.active || this.busy) return Promise.resolve();
    return this.goTo(step);
  }

  /** Back to the lesson's path at the current step, after the student took over. */
  returnToPath(): Promise<void> {
    if (!this.active || this.busy) return Promise.resolve();
    return this.goTo(getState().lesson.step);
  }

  /** Answers the current step's question (1-based choice; -1: reveal without one) and runs the step. */
  async answer(choice: number): Promise<void> {
    const st = getState().lesson;
    if (!this.active || this.busy || st.phase !== 'ask') return;
    this.answers.set(st.step, choice);
    await this.goTo(st.step);
  }

  /** Whether the app's run is still on the lesson's path at the shown step. */
  onPath(): boolean {
    const c = this.cluster;
    const cursor = getState().lesson.cursor;
    return c !== undefined && c === controller.cluster && c.currentStep === cursor && this.holds(cursor);
  }

  /** The cluster's recorder still holds the path's first `cursor` actions. */
  private holds(cursor: number): boolean {
    const c = this.cluster;
    if (c === undefined || c !== controller.cluster || cursor < 0 || cursor > this.path.length) return false;
    const actions = c.recorder.actions;
    if (cursor > actions.length) return false;
    for (let i = 0; i < cursor; i++) if (actions[i] !== this.path[i]) return false;
    return true;
  }

  private goTo(k: number): Promise<void> {
    this.running = this.move(k);
    return this.running;
  }

  private async move(k: number): Promise<void> {
    const lesson = this.lesson!;
    const step = lesson.steps[k - 1]!;
    const answered = this.answers.get(k);
    const after = step.ask === undefined || answered !== undefined;
    this.busy = true;
    addPending(1);
    // A lesson moves only when asked: a playing clock would record actions off its path.
    if (getState().playback.playing) controller.pause();
    patchLesson({ step: k, phase: 'busy', chosen: answered ?? 0, error: '' });
    try {
      const cursor = after ? await this.reach(k) : await this.reach(k - 1, step.part);
      const c = this.cluster!;
      setVirtualTime(c.time);
      patchLesson({ phase: after ? 'shown' : 'ask', cursor });
    } catch (e) {
      patchLesson({ phase: 'error', error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.busy = false;
      addPending(-1);
    }
  }

  /** Puts the cluster at the end of step k (k below the part's first step: right after its prologue). */
  private async reach(k: number, part = this.lesson!.steps[k - 1]!.part): Promise<number> {
    const steps = this.lesson!.steps;
    const first = steps.findIndex((s) => s.part === part) + 1;
    if (this.part !== part || !this.holds(this.start)) await this.build(part);
    const c = this.cluster!;
    let j = k;
    while (j >= first && !(this.ends.has(j) && this.holds(this.ends.get(j)!))) j--;
    const from = j >= first ? this.ends.get(j)! : this.start;
    if (c.currentStep !== from) await c.seek(from);
    if (j < k)
      await controller.quietly(c, async () => {
        for (let s = j + 1; s <= k; s++) {
          await runCommands(c, steps[s - 1]!.setup);
          this.ends.set(s, c.currentStep);
          this.path = c.recorder.actions.slice(0, c.currentStep);
        }
      });
    return c.currentStep;
  }

  /** A fresh cluster for a part of the lesson, with its prologue run. */
  private async build(part: number): Promise<void> {
    const p = this.lesson!.parts[part]!;
    updateSettings(settingsOf(p.config));
    const c = await controller.startCluster(lessonClusterConfig(p.config));
    if (c === undefined) throw new Error('the cluster could not start');
    this.cluster = c;
    this.part = part;
    this.ends.clear();
    await controller.quietly(c, () => runCommands(c, p.prologue));
    this.start = c.currentStep;
    this.path = c.recorder.actions.slice(0, this.start);
  }
}

/** The app's lesson session (one per page). */
export const lessonSession = new LessonSession();
