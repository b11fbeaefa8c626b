// The bridge between the safety panel and src/check: runs the property checkers over
// the model of the run's steps and the linearizability checker over the client
// history, and maps their results onto the panel's rows and lanes.

import { checkLinearizability } from '../../../check/linearizable/index';
import { propertyChecks, type PropertyResult } from '../../../check/properties/index';
import { invariantInfo, type InvariantRow, type LinearizabilityView, type SafetyInput } from './report';

type Outcome = Omit<InvariantRow, 'id' | 'title' | 'explain'>;

function outcome(r: PropertyResult): Outcome {
  const v = r.violations[0];
  if (v !== undefined) {
    const more = r.violations.length > 1 ? ` (and ${r.violations.length - 1} more)` : '';
    return { status: 'violated', step: v.step, time: v.time, detail: `${v.message}${more}` };
  }
  if (r.status === 'waiting') {
    const o: Outcome = { status: 'waiting' };
    if (r.detail !== undefined) o.detail = r.detail;
    return o;
  }
  return { status: 'ok' };
}

function linearizability(inp: SafetyInput): LinearizabilityView {
  const r = checkLinearizability(inp.history, { budget: inp.linearizabilityBudget });
  const stale =
    r.stale.length > 0
      ? `; ${r.stale.length} local read${r.stale.length > 1 ? 's' : ''} not checked (stale possible)`
      : '';
  if (r.status === 'violated' && r.fail !== undefined) {
    const v: LinearizabilityView = {
      status: 'violated',
      points: r.points,
      failOp: r.fail.op,
      detail: r.fail.message + stale,
    };
    if (Number.isFinite(r.fail.time)) v.failTime = r.fail.time;
    return v;
  }
  if (r.status === 'unknown')
    return {
      status: 'undecided',
      points: new Map(),
      detail: `the search gave up after ${r.steps} steps${stale}`,
    };
  return { status: 'ok', points: r.points, detail: `${r.points.size} operations placed${stale}` };
}

export function runCheckers(inp: SafetyInput): { invariants: InvariantRow[]; linearizability: LinearizabilityView } {
  const model = { steps: [...inp.modelSteps] };
  const opts = { livenessBound: inp.livenessBound };
  const invariants = invariantInfo.map((info) => ({ ...info, ...outcome(propertyChecks[info.id](model, opts)) }));
  return { invariants, linearizability: linearizability(inp) };
}
