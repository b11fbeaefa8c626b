// The timeline's picture of a run, as plain data: term bands, marks and forks over the
// recorder's steps. The x axis is the step number, not virtual time: in manual mode
// time stands still while the user acts, and every action must still be reachable.
// The state after step s is drawn on the cell [s, s + 1); the cursor sits in the cell
// of the current step.

import type { RecordedAction } from '../../cluster/recorder';
import type { ForkPoint, RunHistory, StepSummary } from './runHistory';

/** A run of consecutive steps with the same highest term (term undefined: not observed). */
export interface TermBand {
  /** First step (inclusive) and end (exclusive). */
  from: number;
  to: number;
  term: number | undefined;
}

export type MarkKind =
  'election' | 'crash' | 'restart' | 'partition' | 'heal' | 'cut' | 'restore' | 'pause' | 'resume' | 'fork';

export interface TimelineMark {
  step: number;
  kind: MarkKind;
  /** Short text for the tooltip and the screen reader ("2 became leader in term 3"). */
  label: string;
}

export interface TimelineModel {
  /** Number of steps in the branch (the last step's cell is [total, total + 1)). */
  total: number;
  bands: TermBand[];
  marks: TimelineMark[];
  forks: ForkPoint[];
}

function fmtTime(t: number): string {
  return Number.isInteger(t) ? String(t) : t.toFixed(2).replace(/0+$/, '');
}

/** A recorded action in words (for tooltips and the slider's spoken value). */
export function describeAction(a: RecordedAction): string {
  const [x, y] = a.args;
  switch (a.kind) {
    case 'advance':
      return `advance ${String(x)} ticks`;
    case 'runUntil':
      return `run to t=${typeof x === 'number' ? fmtTime(x) : String(x)}`;
    case 'partition':
      return `partition ${Array.isArray(x) ? x.map((g) => `[${Array.isArray(g) ? g.join(',') : String(g)}]`).join(' ') : ''}`;
    case 'cut': {
      const up = typeof a.args[2] === 'object' && a.args[2] !== null && (a.args[2] as { up?: boolean }).up === true;
      return `${up ? 'restore' : 'cut'} link ${String(x)}-${String(y)}`;
    }
    case 'put':
      return `put ${String(x)}=${String(y)}`;
    case 'get':
      return `get ${String(x)}`;
    case 'heal':
    case 'step':
      return a.kind;
    default:
      return x === undefined || x === null
        ? a.kind
        : `${a.kind} ${typeof x === 'object' ? JSON.stringify(x) : String(x)}`;
  }
}

const actionMarks: Partial<Record<RecordedAction['kind'], MarkKind>> = {
  crash: 'crash',
  restart: 'restart',
  partition: 'partition',
  heal: 'heal',
  pause: 'pause',
  resume: 'resume',
};

/** Builds the timeline model from the branch's actions and the observed step summaries. */
export function buildTimeline(actions: readonly RecordedAction[], history: RunHistory): TimelineModel {
  return new TimelineBuilder().build(actions, history);
}

/**
 * The first index where two action lists differ by identity. The recorder only
 * appends and cuts its tail (a fork), and imports bring all-new objects, so a list
 * agrees with an earlier one on a prefix and differs everywhere after: binary search.
 */
function firstDifference(a: readonly RecordedAction[], b: readonly RecordedAction[]): number {
  const n = Math.min(a.length, b.length);
  if (n === 0 || a[n - 1] === b[n - 1]) return n;
  let lo = 0; // a[i] === b[i] for every i < lo
  let hi = n - 1; // a[hi] !== b[hi]
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] === b[mid]) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Above this many changed steps, the builder redoes the tail instead of patching them in place. */
const maxPatchSteps = 4096;

/**
 * Builds the timeline model incrementally. While a run plays, every observation adds
 * a step or a few, and rebuilding over the whole branch (tens of thousands of steps)
 * on each one cost several percent of the main thread. The builder keeps the bands
 * and marks of the last build and redoes only what may have changed:
 * - from the first step whose action differs from the previous list (a fork or an
 *   import) to the end;
 * - the steps the run history summarized since (`changedRange`). When they lie inside
 *   what was built (a seek back), they are patched in place: their bands, their
 *   election marks and the election mark of the next observed step, which compares
 *   with them. Otherwise everything from the lowest of them on is redone.
 * Its result equals `buildTimeline` over the same input (a property test checks it).
 */
export class TimelineBuilder {
  private actions: readonly RecordedAction[] = [];
  private history: RunHistory | undefined;
  private version = 0;
  private forks: readonly ForkPoint[] = [];
  /** Bands and step marks (not fork marks) for steps [0, built). */
  private bands: TermBand[] = [];
  private stepMarks: TimelineMark[] = [];
  private built = 0;
  private last: TimelineModel | undefined;

  build(actions: readonly RecordedAction[], history: RunHistory): TimelineModel {
    let from = 0;
    let patch: { from: number; to: number } | undefined;
    // The same array as last time was changed in place (the recorder's own, not a
    // snapshot): nothing to compare it with, so it is redone whole.
    if (history === this.history && actions !== this.actions) {
      // Step s reads action s - 1 (its summary is valid only while that action is the
      // same, and its marks come from it), so the steps up to the first changed
      // action stand, except those summarized since.
      const kept = Math.min(this.built, firstDifference(this.actions, actions) + 1);
      const changed = history.changedRange(this.version);
      if (changed.from < kept && changed.to <= kept && changed.to - changed.from <= maxPatchSteps) {
        patch = changed;
        from = kept;
      } else from = Math.min(kept, changed.from);
    }
    if (
      patch === undefined &&
      from === this.built &&
      actions.length + 1 === this.built &&
      history.forks === this.forks &&
      this.last !== undefined
    )
      return this.last;
    this.truncate(from);
    this.history = history;
    this.version = history.version;
    this.actions = actions;
    if (patch !== undefined) this.patch(patch.from, patch.to, actions, history);
    const total = actions.length;
    const bands = this.bands;
    const marks = this.stepMarks;
    let prev = this.lastObservedBefore(from, actions, history);
    for (let s = from; s <= total; s++) {
      const sum = history.get(s, actions);
      const term = sum?.maxTerm;
      const last = bands[bands.length - 1];
      if (last !== undefined && last.term === term) last.to = s + 1;
      else bands.push({ from: s, to: s + 1, term });
      const election = electionMark(s, sum, prev);
      if (election !== undefined) marks.push(election);
      if (sum !== undefined) prev = sum;
      if (s > 0) {
        const m = actionMark(s, actions[s - 1]!);
        if (m !== undefined) marks.push(m);
      }
    }
    this.built = total + 1;
    this.forks = history.forks;
    const forks = history.forks.filter((f) => f.step <= total);
    const allMarks = [...marks];
    for (const f of forks) allMarks.push({ step: f.step, kind: 'fork', label: `branch ${f.branch} starts here` });
    // Hand out copies: the builder keeps extending its own arrays in place.
    this.last = { total, bands: bands.map((b) => ({ ...b })), marks: sameMarks(this.last?.marks, allMarks), forks };
    return this.last;
  }

  /** Forgets every step from `from` on. */
  private truncate(from: number): void {
    this.built = Math.min(this.built, from);
    while (this.bands.length > 0 && this.bands[this.bands.length - 1]!.from >= from) this.bands.pop();
    const last = this.bands[this.bands.length - 1];
    if (last !== undefined && last.to > from) last.to = from;
    while (this.stepMarks.length > 0 && this.stepMarks[this.stepMarks.length - 1]!.step >= from) this.stepMarks.pop();
  }

  /**
   * Redoes steps [from, to) inside what was built (to <= built): their bands and
   * election marks, and the election mark of the first observed step at or after `to`.
   * Action marks stay: the actions did not change.
   */
  private patch(from: number, to: number, actions: readonly RecordedAction[], history: RunHistory): void {
    const bands = this.bands;
    // The new bands of [from, to), with what is left of the bands they cut into.
    const first = bandAt(bands, from);
    const lastIdx = bandAt(bands, to - 1);
    const pieces: TermBand[] = [];
    const push = (b: TermBand) => {
      const p = pieces[pieces.length - 1];
      if (p !== undefined && p.term === b.term) p.to = b.to;
      else pieces.push(b);
    };
    const before = bands[first - 1];
    if (before !== undefined) push({ ...before });
    if (bands[first]!.from < from) push({ from: bands[first]!.from, to: from, term: bands[first]!.term });
    const sums: (StepSummary | undefined)[] = [];
    for (let s = from; s < to; s++) {
      const sum = history.get(s, actions);
      sums.push(sum);
      push({ from: s, to: s + 1, term: sum?.maxTerm });
    }
    if (bands[lastIdx]!.to > to) push({ from: to, to: bands[lastIdx]!.to, term: bands[lastIdx]!.term });
    const after = bands[lastIdx + 1];
    if (after !== undefined) push({ ...after });
    const start = before === undefined ? first : first - 1;
    const end = after === undefined ? lastIdx + 1 : lastIdx + 2;
    bands.splice(start, end - start, ...pieces);

    // Election marks of [from, to), then of the next observed step.
    let prev = this.lastObservedBefore(from, actions, history);
    const elections: TimelineMark[] = [];
    for (let i = 0; i < sums.length; i++) {
      const m = electionMark(from + i, sums[i], prev);
      if (m !== undefined) elections.push(m);
      if (sums[i] !== undefined) prev = sums[i];
    }
    const next = this.firstObservedFrom(to);
    let nextMark: TimelineMark | undefined;
    if (next < this.built) nextMark = electionMark(next, history.get(next, actions), prev);
    const marks = this.stepMarks;
    const lo = firstMarkAt(marks, from);
    let hi = lo;
    while (hi < marks.length && marks[hi]!.step < to) hi++;
    // Marks of one step keep the full pass's order: the election mark, then the action's.
    const merged: TimelineMark[] = [];
    let e = 0;
    for (let i = lo; i < hi; i++) {
      const m = marks[i]!;
      if (m.kind === 'election') continue;
      while (e < elections.length && elections[e]!.step <= m.step) merged.push(elections[e++]!);
      merged.push(m);
    }
    while (e < elections.length) merged.push(elections[e++]!);
    marks.splice(lo, hi - lo, ...merged);
    if (next < this.built) {
      const at = firstMarkAt(marks, next);
      const has = marks[at]?.step === next && marks[at]!.kind === 'election';
      if (nextMark !== undefined) marks.splice(at, has ? 1 : 0, nextMark);
      else if (has) marks.splice(at, 1);
    }
  }

  /** The summary of the last observed step before `step` (what the full pass calls `prev`); bands must be current below `step`. */
  private lastObservedBefore(
    step: number,
    actions: readonly RecordedAction[],
    history: RunHistory,
  ): StepSummary | undefined {
    if (step <= 0) return undefined;
    for (let i = bandAt(this.bands, step - 1); i >= 0; i--) {
      const b = this.bands[i]!;
      if (b.term !== undefined) return history.get(Math.min(b.to, step) - 1, actions);
    }
    return undefined;
  }

  /** The first observed step at or after `step` among those built (built when none). */
  private firstObservedFrom(step: number): number {
    for (let i = bandAt(this.bands, step); i >= 0 && i < this.bands.length; i++) {
      const b = this.bands[i]!;
      if (b.term !== undefined) return Math.max(b.from, step);
    }
    return this.built;
  }
}

/** The election mark of step s: a new leader or term against the last observed step before it. */
function electionMark(
  s: number,
  sum: StepSummary | undefined,
  prev: StepSummary | undefined,
): TimelineMark | undefined {
  if (sum === undefined || sum.leader === 0) return undefined;
  if (prev !== undefined && prev.leader === sum.leader && prev.maxTerm === sum.maxTerm) return undefined;
  // Only a change seen between two observed steps counts (the first observed step may be mid-run).
  if (prev === undefined && s !== 0) return undefined;
  return { step: s, kind: 'election', label: `${sum.leader} became leader in term ${sum.maxTerm}` };
}

/** The mark of the action that leads to step s, if it is one the timeline shows. */
function actionMark(s: number, a: RecordedAction): TimelineMark | undefined {
  let kind = actionMarks[a.kind];
  if (a.kind === 'cut') kind = describeAction(a).startsWith('restore') ? 'restore' : 'cut';
  if (kind === undefined || a.result.startsWith('error')) return undefined;
  return { step: s, kind, label: describeAction(a) };
}

/** Index of the band holding `step` (bands tile [0, built) in order); -1 below, length above. */
function bandAt(bands: readonly TermBand[], step: number): number {
  let lo = 0;
  let hi = bands.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (bands[mid]!.to <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo < bands.length && bands[lo]!.from <= step ? lo : lo === 0 ? -1 : lo;
}

/** Index of the first mark at or after `step` (marks are in step order). */
function firstMarkAt(marks: readonly TimelineMark[], step: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (marks[mid]!.step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `prev` when it holds the same marks as `next` (keeps the memo'd marks layer still), else `next`. */
function sameMarks(prev: TimelineMark[] | undefined, next: TimelineMark[]): TimelineMark[] {
  if (prev === undefined || prev.length !== next.length) return next;
  for (let i = 0; i < next.length; i++) {
    const a = prev[i]!;
    const b = next[i]!;
    if (a.step !== b.step || a.kind !== b.kind || a.label !== b.label) return next;
  }
  return prev;
}

/** The sentence a screen reader hears for the slider's value. */
export function describeStep(step: number, actions: readonly RecordedAction[], sum: StepSummary | undefined): string {
  const parts = [`step ${step} of ${actions.length}`];
  const a = step > 0 ? actions[step - 1] : undefined;
  if (a !== undefined) parts.push(`t=${fmtTime(a.time)}`, describeAction(a));
  if (sum !== undefined) {
    parts.push(`term ${sum.maxTerm}`);
    parts.push(sum.leader === 0 ? 'no leader' : `leader ${sum.leader}`);
    if (sum.down.length > 0) parts.push(`down: ${sum.down.join(', ')}`);
  }
  return parts.join(', ');
}

/** Marks drawn as one icon: those within an icon's width of the group's first mark. */
export interface MarkGroup {
  /** Where the icon stands: the x of the group's first mark. */
  x: number;
  /** x of its last mark (equal to x for a single mark). */
  lastX: number;
  /** In step order (fork marks after step marks of the same step). */
  marks: TimelineMark[];
  /** The kind whose icon stands for the group (markSalience). */
  kind: MarkKind;
}

/** Which kind a group's icon shows when it holds several: the first of these it has. */
const markSalience: readonly MarkKind[] = [
  'fork',
  'election',
  'crash',
  'restart',
  'partition',
  'cut',
  'heal',
  'restore',
  'pause',
  'resume',
];

/**
 * Groups marks for drawing. A long run holds thousands of marks (100,000 steps: about
 * 2,700), far more icons than a strip a thousand pixels wide can show apart; drawn one by
 * one they were pushed off their steps and cost a repaint of every icon on each seek.
 * Walking the marks in step order, a mark less than `gap` pixels right of its group's
 * first mark joins that group; otherwise it starts the next one. So icons are at least
 * `gap` apart and each stands within `gap` of every step it stands for.
 */
export function groupMarks(marks: readonly TimelineMark[], x: (step: number) => number, gap: number): MarkGroup[] {
  const order = marks.map((m, i) => ({ m, i })).sort((a, b) => a.m.step - b.m.step || a.i - b.i);
  const groups: MarkGroup[] = [];
  let g: MarkGroup | undefined;
  for (const { m } of order) {
    const mx = x(m.step + 0.5);
    if (g !== undefined && mx < g.x + gap) {
      g.marks.push(m);
      g.lastX = mx;
      if (markSalience.indexOf(m.kind) < markSalience.indexOf(g.kind)) g.kind = m.kind;
    } else {
      g = { x: mx, lastX: mx, marks: [m], kind: m.kind };
      groups.push(g);
    }
  }
  return groups;
}

const kindNouns: Record<MarkKind, [string, string]> = {
  election: ['election', 'elections'],
  crash: ['crash', 'crashes'],
  restart: ['restart', 'restarts'],
  partition: ['partition', 'partitions'],
  cut: ['link cut', 'link cuts'],
  heal: ['heal', 'heals'],
  restore: ['link restored', 'links restored'],
  pause: ['pause', 'pauses'],
  resume: ['resume', 'resumes'],
  fork: ['fork', 'forks'],
};

/**
 * A group's tooltip: the mark itself when alone; else the steps it covers, the count of
 * each kind, and the first marks in full ("Steps 310–388: 2 crashes, 1 election …").
 */
export function describeMarkGroup(g: MarkGroup, shown = 8): string {
  const first = g.marks[0]!;
  if (g.marks.length === 1) return `Step ${first.step}: ${first.label}`;
  const last = g.marks[g.marks.length - 1]!;
  const counts = new Map<MarkKind, number>();
  for (const m of g.marks) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  const tally = markSalience
    .filter((k) => counts.has(k))
    .map((k) => `${counts.get(k)} ${kindNouns[k][counts.get(k) === 1 ? 0 : 1]}`)
    .join(', ');
  const lines = g.marks.slice(0, shown).map((m) => `step ${m.step}: ${m.label}`);
  if (g.marks.length > shown) lines.push(`… and ${g.marks.length - shown} more`);
  const span = first.step === last.step ? `Step ${first.step}` : `Steps ${first.step}–${last.step}`;
  return `${span}: ${tally}\n${lines.join('\n')}`;
}
