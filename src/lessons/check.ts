// What a step says once it has run: its expects checked against the live cluster, the
// right answer of its ask computed from the same state (never written in the file),
// and its narration filled in. Pure: a function of the step and a LiveState.

import type { ClusterConfig } from '../cluster/cluster';
import type { RuntimeFactory } from '../cluster/protocol';
import { ReadOnlyLeaseBased, ReadOnlySafe } from '../raft/types';
import type { LessonConfig, Step } from './format';
import type { LiveState } from './live';
import { evaluate, type CheckResult } from './predicates';
import { fillTemplate } from './template';

export interface StepOutcome {
  expects: CheckResult[];
  /** Expects that do not hold. */
  failures: CheckResult[];
  /** 1-based index of the right choice; 0 when the state makes no single choice true. */
  correct: number;
  /** When correct is 0: why (so the player can say the lesson and the cluster disagree). */
  askProblem: string;
  narration: string;
  explanation: string;
}

export function checkStep(step: Step, s: LiveState): StepOutcome {
  const expects = step.expects.map((p) => evaluate(s, p));
  let correct = 0;
  let askProblem = '';
  let explanation = '';
  if (step.ask !== undefined) {
    const truths = step.ask.choices.map((c) => evaluate(s, c.when).ok);
    const n = truths.filter(Boolean).length;
    if (n === 1) correct = truths.indexOf(true) + 1;
    else askProblem = `${n === 0 ? 'none' : n} of the answers match${n === 1 ? 'es' : ''} the cluster now`;
    const answer = correct > 0 ? fillTemplate(step.ask.choices[correct - 1]!.label, s) : '?';
    explanation = fillTemplate(step.ask.explanation, s, { answer });
  }
  return {
    expects,
    failures: expects.filter((r) => !r.ok),
    correct,
    askProblem,
    narration: fillTemplate(step.narration, s),
    explanation,
  };
}

/** The cluster a lesson runs on. */
export function lessonClusterConfig(c: LessonConfig): Omit<ClusterConfig, 'runtime'> {
  return {
    nodes: c.nodes,
    seed: c.seed,
    mode: c.mode,
    raft: {
      preVote: c.preVote,
      checkQuorum: c.checkQuorum,
      electionTick: c.electionTick,
      heartbeatTick: c.heartbeatTick,
      maxInflightMsgs: c.maxInflightMsgs,
      maxSizePerMsg: c.maxSizePerMsg,
      snapCount: c.snapCount,
      snapshotCatchUpEntries: c.snapshotCatchUpEntries,
      readOnlyOption: c.readOnly === 'lease' ? ReadOnlyLeaseBased : ReadOnlySafe,
    },
  };
}

export function withRuntime(c: Omit<ClusterConfig, 'runtime'>, runtime: RuntimeFactory): ClusterConfig {
  return { ...c, runtime };
}
