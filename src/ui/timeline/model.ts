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
  const total = actions.length;
  const bands: TermBand[] = [];
  const marks: TimelineMark[] = [];
  let prev: StepSummary | undefined;
  for (let s = 0; s <= total; s++) {
    const sum = history.get(s, actions);
    const term = sum?.maxTerm;
    const last = bands[bands.length - 1];
    if (last !== undefined && last.term === term) last.to = s + 1;
    else bands.push({ from: s, to: s + 1, term });
    if (
      sum !== undefined &&
      sum.leader !== 0 &&
      (prev === undefined || prev.leader !== sum.leader || prev.maxTerm !== sum.maxTerm)
    ) {
      // Only a change seen between two observed steps counts (the first observed step may be mid-run).
      if (prev !== undefined || s === 0)
        marks.push({ step: s, kind: 'election', label: `${sum.leader} became leader in term ${sum.maxTerm}` });
    }
    if (sum !== undefined) prev = sum;
    if (s > 0) {
      const a = actions[s - 1]!;
      let kind = actionMarks[a.kind];
      if (a.kind === 'cut') kind = describeAction(a).startsWith('restore') ? 'restore' : 'cut';
      if (kind !== undefined && !a.result.startsWith('error')) marks.push({ step: s, kind, label: describeAction(a) });
    }
  }
  const forks = history.forks.filter((f) => f.step <= total);
  for (const f of forks) marks.push({ step: f.step, kind: 'fork', label: `branch ${f.branch} starts here` });
  return { total, bands, marks, forks };
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
